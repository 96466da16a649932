/**
 * Runs CityFlow's parts the way `cairn up` does, piece by piece: the example's resources started with the
 * runtime's own `startResource`, each process given the variables the runtime renders for it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Process, Stack } from "../../src/model/types.js";
import { type RenderInputs, renderProcessEnv } from "../../src/runtime/env/render.js";
import { type LocalResource, startResource } from "../../src/runtime/resources/index.js";
import { exampleStack } from "../../src/test-support/index.js";
import { EXAMPLE } from "./support.js";

export interface Running {
  readonly port: number;
  readonly output: () => string;
  stop(): Promise<void>;
}

export interface CityflowStores {
  readonly stack: Stack;
  /** Variables of a process of the stack (services given their port). */
  envOf(name: string, port?: number | null): Record<string, string>;
  /** Registers a started service so that services depending on it get its URL. */
  addService(name: string, port: number): void;
  close(): Promise<void>;
}

/** Starts the example's buckets and tables in a temporary state folder. */
export async function startStores(): Promise<CityflowStores> {
  const stack = await exampleStack("cityflow", "local");
  const dir = mkdtempSync(join(tmpdir(), "cityflow-stores-"));
  const started: LocalResource[] = [];
  const services = new Map<string, { host: string; port: number }>();
  try {
    for (const resource of stack.resources) {
      started.push(
        await startResource(resource, {
          dataDir: join(dir, resource.name),
          stack: stack.name,
          environment: stack.environment.name,
          host: "127.0.0.1",
          root: EXAMPLE,
          log: () => {},
        }),
      );
    }
  } catch (error) {
    for (const r of started.reverse()) await r.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const inputs = (): RenderInputs => ({
    stack,
    resources: new Map(started.map((r) => [r.name, r.attributes])),
    services,
    secrets: new Map(),
    edgeUrl: null,
    runDate: "2025-11-04",
  });
  const processes: Process[] = [...stack.services, ...stack.jobs];
  return {
    stack,
    envOf(name, port = null) {
      const process = processes.find((p) => p.name === name);
      if (!process) throw new Error(`no process ${name}`);
      const { env, unresolved } = renderProcessEnv(process, inputs(), port);
      if (unresolved.length) throw new Error(`unresolved ${unresolved.map((u) => u.reference).join(", ")}`);
      return env;
    },
    addService(name, port) {
      services.set(name, { host: "127.0.0.1", port });
    },
    async close() {
      for (const r of started.reverse()) await r.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts `node <script>` in the example with `env` and PORT=0; resolves once it says which port it listens on. */
export function startNode(script: string, env: Record<string, string>): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [script], { cwd: EXAMPLE, env: { PATH: process.env.PATH ?? "", ...env, PORT: "0" } });
    let output = "";
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = output.match(/listening on port (\d+)/)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({
          port: Number(port),
          output: () => output,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${output}`));
    });
  });
}
