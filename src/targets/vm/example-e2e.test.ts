/**
 * The harena example on the vm target without a VM: its stand-in services started as the generated
 * units say (ExecStart, WorkingDirectory = the example's folder, Environment= lines, and the
 * variables install.sh composes from the secrets file, given test secrets), behind the generated
 * nginx site run by real nginx. Ports are moved to free ones consistently in the units, the
 * composed variables and the site.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { examplePath, repoRoot, stackFrom } from "../../test-support/index.js";
import { waitFor } from "../../test-support/wait.js";
import { mainConfig, relocateSite } from "../common/test-tools.js";
import type { TargetOutput } from "../types.js";
import { vmTarget } from "./index.js";

const SECRETS: Record<string, string> = { DATABASE_URL: "postgres://test@127.0.0.1:1/x", BONSAI_URL: "http://127.0.0.1:1", SECRET_KEY: "k", LLM_API_KEY: "l" };

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** Replaces every `127.0.0.1:<old>` with the new port. */
function movePorts(text: string, ports: ReadonlyMap<number, number>): string {
  return text.replace(/127\.0\.0\.1:(\d+)/g, (all, p: string) => (ports.has(Number(p)) ? `127.0.0.1:${ports.get(Number(p))}` : all));
}

/** The environment a unit instance gets: its Environment= lines, then its composed variable file. */
function unitEnvironment(output: TargetOutput, service: string, unit: string, port: number, ports: ReadonlyMap<number, number>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  for (const m of unit.matchAll(/^Environment=(?:"(.*)"|(\S+))$/gm)) {
    const line = (m[1] ?? m[2] ?? "").replace(/\\"/g, '"').replace(/%%/g, "%").replace("%i", String(port));
    const eq = line.indexOf("=");
    env[line.slice(0, eq)] = movePorts(line.slice(eq + 1), ports);
  }
  const install = output.files.find((f) => f.path === "install.sh")?.content ?? "";
  const block = new RegExp(`\\{\\n([\\s\\S]*?)\\n\\} > /etc/harena/env/${service}\\.env\\.new`).exec(install);
  for (const line of block?.[1]?.split("\n") ?? []) {
    const match = /^ {2}env_line (\w+) "(.*)"$/.exec(line);
    if (!match) continue;
    const value = (match[2] ?? "").replace(/\$\{(\w+):-\}/g, (_, name: string) => SECRETS[name] ?? "").replace(/\\([\\$`"])/g, "$1");
    env[match[1] ?? ""] = movePorts(value, ports);
  }
  return env;
}

const children: ChildProcess[] = [];
let edge = 0;

async function answers(url: string): Promise<void> {
  const ok = () =>
    fetch(url).then(
      (r) => r.ok,
      () => false,
    );
  await waitFor(ok, 10_000, `${url} to answer`);
}

beforeAll(async () => {
  // Harena's services each listen on 8000 in their own container; on one VM they need their own ports,
  // which a vm environment gives them (the vm target refuses the clash otherwise).
  const text = readFileSync(examplePath("harena"), "utf8").replace(
    "environments:\n",
    "environments:\n  vm:\n    target: vm\n    edge: { port: 8000, tls: false }\n    services:\n" +
      "      user-service: { port: 8001 }\n      search-service: { port: 8002 }\n      conversation-service: { port: 8003 }\n",
  );
  const stack = stackFrom(text, "vm");
  const output = vmTarget.generate(stack, {});
  expect(output.errors).toEqual([]);
  const ports = new Map<number, number>();
  for (const s of stack.services) if (s.port !== null) ports.set(s.port, await freePort());
  edge = await freePort();
  for (const service of stack.services) {
    const unit = output.files.find((f) => f.path === `systemd/harena-${service.name}@.service`)?.content ?? "";
    const port = ports.get(service.port ?? 0) as number;
    const command =
      /^ExecStart=\/bin\/sh -c "(.*)"$/m
        .exec(unit)?.[1]
        ?.replace(/\$\$/g, "$")
        .replace(/%%/g, "%")
        .replace(/\\(["\\])/g, "$1") ?? "";
    // The replica's slot is a link to the release; here the release is the example's folder.
    const cwd = /^WorkingDirectory=(.*)$/m.exec(unit)?.[1]?.replace(/^\/opt\/harena\/slots\/[^/]+/, join(repoRoot, "examples/harena")) ?? "";
    children.push(spawn("/bin/sh", ["-c", command], { cwd, env: unitEnvironment(output, service.name, unit, port, ports), stdio: "ignore" }));
    await answers(`http://127.0.0.1:${port}/health`);
  }
  const site = output.files.find((f) => f.path === "nginx/harena.conf")?.content ?? "";
  const prefix = mkdtempSync(join(tmpdir(), "cairn-harena-nginx-"));
  const moved = movePorts(relocateSite(site, prefix), ports).replace(`listen ${stack.edge.port} `, `listen ${edge} `);
  children.push(spawn("nginx", ["-c", mainConfig(prefix, moved), "-p", prefix], { stdio: "ignore" }));
  await answers(`http://127.0.0.1:${edge}/health`);
});

afterAll(() => {
  for (const child of children) child.kill("SIGTERM");
});

function get(path: string): Promise<{ status: number; body: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port: edge, path }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    })
      .on("error", reject)
      .end();
  });
}

describe("harena on the vm target, end to end", () => {
  it("routes each path to its service, which got its variables and secrets", async () => {
    expect((await get("/api/user/me")).body).toEqual({ service: "user", path: "/api/user/me", database: "configured" });
    expect((await get("/api/search/q")).body).toMatchObject({ service: "search", database: "configured", search: "configured" });
    expect((await get("/health")).body).toEqual({ status: "ok", service: "user" });
  });

  it("lets one service call another through the URL the units give it", async () => {
    expect((await get("/api/conversation/1")).body).toMatchObject({ service: "conversation", search_service: "ok" });
  });
});
