/**
 * Where the compose output and the project sit, on this machine and on the one that runs it. The README
 * says to put the project in `/opt/<stack>` with the output at the same place inside it as here, so the
 * relative path the compose file uses for builds and mounts holds on both. Pure.
 */
import { isAbsolute, posix } from "node:path";
import type { Stack } from "../../model/types.js";

export interface ComposeLayout {
  /** The project folder as the compose file names it: relative to the output folder. */
  readonly project: string;
  /** The output folder on the machine, where `docker compose` and the job timers run. */
  readonly deployDir: string;
  /** The output folder is outside the project: the machine layout is `/opt/<stack>/deploy`. */
  readonly outside: boolean;
}

/** The default output folder of an environment, relative to the project (as `cairn build` writes it). */
export function defaultOutDir(stack: Stack): string {
  return `out/${stack.environment.name}-compose`;
}

/** The layout for an output folder given relative to the project or absolute (as the build passes it). */
export function composeLayout(stack: Stack, outDir: string | undefined): ComposeLayout {
  const root = stack.root.replace(/\\/g, "/");
  const out = (outDir ?? defaultOutDir(stack)).replace(/\\/g, "/");
  const inProject = posix.relative(root, isAbsolute(out) ? out : posix.join(root, out));
  const home = `/opt/${stack.name}`;
  if (inProject === "" || inProject.startsWith("..") || isAbsolute(inProject)) {
    return { project: "..", deployDir: `${home}/deploy`, outside: true };
  }
  return { project: posix.relative(posix.join(home, inProject), home), deployDir: posix.join(home, inProject), outside: false };
}
