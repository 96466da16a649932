/** Helpers shared by the CityFlow tests: where the example lives and how to run its scripts. */
import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

export const EXAMPLE = resolve(import.meta.dirname, "../../examples/cityflow");
export const RAW = join(EXAMPLE, "data/raw");
export const ARTIFACTS = resolve(import.meta.dirname, "../../test-artifacts");

const run = promisify(execFile);

/** Runs a script of the example with node; resolves with its output and exit code, never rejects on a non-zero exit. */
export async function node(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: EXAMPLE, env: { PATH: process.env.PATH ?? "", ...env }, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

export interface Metric {
  metric_type: string;
  date: string;
  value: number;
  unit: string;
  values: Record<string, unknown>;
}
