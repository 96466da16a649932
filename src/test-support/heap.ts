/**
 * The heap in use after a full garbage collection, for tests that compare what a store retains
 * (figures far apart: tens of megabytes against a few). `gc` is reached without `--expose-gc` on
 * the command line: the flag is set at run time and read from a fresh context.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | null = null;

/** Bytes of heap in use once everything unreachable is collected (the event loop turns in between). */
export async function settledHeap(): Promise<number> {
  if (gc === null) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return process.memoryUsage().heapUsed;
}
