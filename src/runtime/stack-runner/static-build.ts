/**
 * Static sites (`type: static`) are served by the gateway from their folder. When the folder does
 * not exist yet and the resource has a build command, the runner builds it first, with the
 * resource's build variables (such as the edge URL) in the environment.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { StaticSite } from "../../model/types.js";
import type { LogSink } from "../supervisor/log-sink.js";

/** Builds the site when its folder is missing; rejects with the build's exit when it fails. */
export async function buildStaticSite(site: StaticSite, root: string, env: Record<string, string>, sink: LogSink): Promise<"built" | "present" | "none"> {
  if (existsSync(resolve(root, site.dir))) return "present";
  if (!site.buildCommand) return "none";
  sink.line("cairn", `building: ${site.buildCommand}`);
  const child = spawn("/bin/sh", ["-c", site.buildCommand], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  if (child.stdout) sink.follow(child.stdout, "out");
  if (child.stderr) sink.follow(child.stderr, "err");
  const code = await new Promise<number | null>((done) => {
    child.once("error", () => done(127));
    child.once("exit", (c) => done(c));
  });
  if (code !== 0) throw new Error(`build \`${site.buildCommand}\` failed with exit code ${code}`);
  if (!existsSync(resolve(root, site.dir))) throw new Error(`build \`${site.buildCommand}\` did not create ${site.dir}`);
  return "built";
}
