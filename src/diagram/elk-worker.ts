/**
 * The elkjs engine in a worker thread (started by elk-engine.ts). While the main thread is still
 * loading modules and the stack file, it loads elkjs from the code cache, lays out a small graph
 * (elk-options.ts) and writes the code cache when it had none: a `cairn diagram` pays for these
 * side by side with the rest on a machine with two cores. Each message is one layout, answered in
 * the order received.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ElkNode } from "elkjs/lib/elk-api.js";
import { loadElk } from "./elk-loader.js";
import { warmUpGraph } from "./elk-options.js";

export interface LayoutRequest {
  readonly id: number;
  readonly graph: ElkNode;
}

/** What the worker is started with. */
export interface WorkerStart {
  /** The environment, for the code cache's folder. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type LayoutAnswer = { readonly id: number; readonly graph: ElkNode } | { readonly id: number; readonly error: string };

const port = parentPort;
if (port) {
  const engine = loadElk((workerData as WorkerStart).env);
  // The code cache is written here, before any answer: the process may exit as soon as it has its
  // layout, and that would stop this thread in the middle of writing. A warm-up that fails costs
  // its time, nothing else: the requests are laid out all the same.
  const warm = engine.elk.layout(warmUpGraph()).then(
    () => engine.save(),
    () => undefined,
  );
  port.on("message", async ({ id, graph }: LayoutRequest) => {
    await warm;
    try {
      const answer: LayoutAnswer = { id, graph: await engine.elk.layout(graph) };
      port.postMessage(answer);
    } catch (error) {
      port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies LayoutAnswer);
    }
  });
}
