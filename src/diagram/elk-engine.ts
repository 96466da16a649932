/**
 * The one elkjs engine of a process. `startElk()` starts it in a worker thread as early as a verb
 * knows it will lay out (see elk-worker.ts); `layoutGraph` uses it, and falls back to elkjs in this
 * thread when a worker cannot be started or stops. The worker never keeps the process alive: it is
 * referenced only while a layout is pending.
 */
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ElkNode } from "elkjs/lib/elk-api.js";
import { type LoadedElk, loadElk } from "./elk-loader.js";
import type { LayoutAnswer, LayoutRequest, WorkerStart } from "./elk-worker.js";

interface Pending {
  readonly resolve: (graph: ElkNode) => void;
  readonly reject: (error: Error) => void;
}

let worker: Worker | null = null;
let inThread: LoadedElk | null = null;
const pending = new Map<number, Pending>();
let next = 0;

/**
 * The worker beside this file. From the TypeScript sources (tests), Node 20 runs no module hooks
 * in a worker thread, so `--import tsx` cannot load it there: tsx's require hook does.
 */
function newWorker(workerData: WorkerStart): Worker {
  const options = { workerData, stdout: false, stderr: false };
  if (!import.meta.url.endsWith(".ts")) return new Worker(fileURLToPath(new URL("./elk-worker.js", import.meta.url)), options);
  const file = fileURLToPath(new URL("./elk-worker.ts", import.meta.url));
  return new Worker(`require(${JSON.stringify(file)})`, { ...options, eval: true, execArgv: ["--require", fileURLToPath(import.meta.resolve("tsx/cjs"))] });
}

function failAll(error: Error): void {
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

/** Starts the worker (once); returns false when the process cannot start one. */
export function startElk(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (worker) return true;
  try {
    const started = newWorker({ env: { ...env } });
    started.on("message", (answer: LayoutAnswer) => {
      const p = pending.get(answer.id);
      if (!p) return;
      pending.delete(answer.id);
      if (pending.size === 0) started.unref();
      if ("error" in answer) p.reject(new Error(answer.error));
      else p.resolve(answer.graph);
    });
    const stopped = (error: Error) => {
      if (worker === started) worker = null;
      failAll(error);
    };
    started.on("error", stopped);
    started.on("exit", (code) => stopped(new Error(`the layout worker stopped (exit code ${code})`)));
    // After the listeners: adding a "message" listener refs the worker again, and a process that
    // stops before any layout (a stack with errors, a bad option) would then never exit.
    started.unref();
    worker = started;
    return true;
  } catch {
    return false;
  }
}

/** Stops the worker; layouts under way finish in this thread. */
export async function stopElk(): Promise<void> {
  const running = worker;
  worker = null;
  failAll(new Error("the layout worker was stopped"));
  await running?.terminate();
}

/** Lays `graph` out with elkjs: in the worker when one runs, else in this thread. */
export async function layoutGraph(graph: ElkNode): Promise<ElkNode> {
  if (worker) {
    const running = worker;
    const id = next++;
    try {
      return await new Promise<ElkNode>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        running.ref();
        running.postMessage({ id, graph } satisfies LayoutRequest);
      });
    } catch (error) {
      // elkjs refusing the graph is an answer; a worker that stopped is not: lay out here instead.
      if (worker === running) throw error;
    }
  }
  inThread ??= loadElk();
  const result = await inThread.elk.layout(graph);
  inThread.save();
  return result;
}
