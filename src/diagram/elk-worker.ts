/**
 * The elkjs engine in a worker thread (started by elk-engine.ts): it loads elkjs from the code
 * cache and lays out a small graph (elk-options.ts) while the main thread is still loading modules
 * and the stack file, so a `cairn diagram` pays for the two side by side on a machine with two
 * cores. Each message is one layout, answered in the order received.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ElkNode } from "elkjs/lib/elk-api.js";
import { loadElk } from "./elk-loader.js";
import { warmUpGraph } from "./elk-options.js";

export interface LayoutRequest {
  readonly id: number;
  readonly graph: ElkNode;
}

export type LayoutAnswer = { readonly id: number; readonly graph: ElkNode } | { readonly id: number; readonly error: string };

const port = parentPort;
if (port) {
  const engine = loadElk(workerData as Readonly<Record<string, string | undefined>>);
  // A warm-up that fails costs its time, nothing else: the requests are laid out all the same.
  const warm = engine.elk.layout(warmUpGraph()).catch(() => undefined);
  port.on("message", async ({ id, graph }: LayoutRequest) => {
    await warm;
    try {
      const answer: LayoutAnswer = { id, graph: await engine.elk.layout(graph) };
      port.postMessage(answer);
      engine.save();
    } catch (error) {
      port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies LayoutAnswer);
    }
  });
}
