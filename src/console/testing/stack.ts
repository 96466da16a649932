/** A small running stack with its console, for the console's tests: real processes and a real server. */
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasErrors, loadStack } from "../../load/load.js";
import { Session } from "../../runtime/stack-runner/session.js";
import { copyExample, repo } from "../../runtime/stack-runner/test-helpers.js";
import type { Console } from "../console.js";

export const TEST_APP = join(import.meta.dirname, "..", "..", "runtime", "supervisor", "test-app.mjs");

/** Starts a stack file (written to a temporary folder) with its console; the caller closes the session. */
export async function startWithConsole(yaml: string, files: Record<string, string> = {}): Promise<{ dir: string; session: Session; console: Console }> {
  const dir = mkdtempSync(join(tmpdir(), "cairn-console-"));
  // Data stores run as their own users (not root): they must be let through the folder.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, "cairn.yaml"), yaml);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const analysis = await loadStack(join(dir, "cairn.yaml"), dir, { lint: false });
  const stack = analysis.stacks.values().next().value;
  if (hasErrors(analysis) || !stack) throw new Error(analysis.diagnostics.map((d) => d.message).join("\n"));
  const session = new Session(stack, { cwd: dir, env: { PATH: process.env.PATH }, onLog: () => {}, watch: false, console: true });
  await session.start();
  if (!session.console) throw new Error("the console did not start");
  return { dir, session, console: session.console };
}

/** Logs in with the console's one-time link; returns the cookie header and the page's CSRF token. */
export async function login(server: Console): Promise<{ cookie: string; csrf: string }> {
  const first = await fetch(server.loginUrl(), { redirect: "manual" });
  const cookie = (first.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const page = await (await fetch(`http://127.0.0.1:${server.port}/`, { headers: { cookie } })).text();
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)?.[1] ?? "";
  return { cookie, csrf };
}

/** Starts an example stack (copied to a temporary folder, edited) with its console. */
export async function startExample(
  name: string,
  edit: (text: string) => string,
  files: Record<string, string> = {},
): Promise<{ dir: string; session: Session; console: Console }> {
  const dir = copyExample(name, edit);
  // The example's own packages are the repository's pinned ones (`npm install` in the example does the same).
  symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  const analysis = await loadStack(join(dir, "cairn.yaml"), dir, { env: "local", lint: false });
  const stack = analysis.stacks.get("local");
  if (hasErrors(analysis) || !stack) throw new Error(analysis.diagnostics.map((d) => d.message).join("\n"));
  const session = new Session(stack, { cwd: dir, env: { PATH: process.env.PATH }, onLog: () => {}, watch: false, console: true });
  await session.start();
  if (!session.console) throw new Error("the console did not start");
  return { dir, session, console: session.console };
}
