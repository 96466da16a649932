/**
 * Checks that need the disk around a stack file: the real path (symlinks resolved) of each `seed` and static
 * `dir` stays inside the project, and a `.env` holding secrets is not tracked by git nor left unignored.
 * The pure, lexical half of the first is src/rules/project-paths.ts.
 */
import { execFile } from "node:child_process";
import { readFile, realpath } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/types.js";
import { isWithin, leavesProject, projectPaths } from "../model/project-paths.js";
import { parseDotEnv } from "../runtime/env/dotenv.js";
import type { StackFile } from "../schema/stack.js";
import { makeDiagnostic, type SourceFile } from "./source.js";

async function real(path: string): Promise<string | null> {
  return realpath(path).catch(() => null);
}

/** Errors for seeds and static folders whose real path leaves the project (a symlink to /etc, say). */
export async function checkProjectFolders(source: SourceFile, input: StackFile): Promise<Diagnostic[]> {
  const root = dirname(source.file);
  const realRoot = (await real(root)) ?? resolve(root);
  const entries = [
    ...projectPaths(input.resources as Record<string, unknown> | undefined),
    ...Object.entries(input.environments ?? {}).flatMap(([name, env]) =>
      projectPaths(env?.resources as Record<string, unknown> | undefined).map((p) => ({ ...p, path: ["environments", name, ...p.path] })),
    ),
  ];
  const out: Diagnostic[] = [];
  for (const entry of entries) {
    // Refused already (lexically), allowed explicitly, or not made yet (a build creates it; the runtime checks again).
    if (entry.outsideAllowed || leavesProject(entry.value) !== null) continue;
    const target = await real(resolve(root, entry.value));
    if (target === null || isWithin(realRoot, target)) continue;
    out.push(
      makeDiagnostic(
        source,
        {
          code: "path/outside-project",
          message: `${JSON.stringify(entry.value)} leaves the project's folder: through a symbolic link, it is ${target}`,
          path: entry.path,
        },
        null,
      ),
    );
  }
  return out;
}

/** Runs git in `cwd`; null when git is missing or fails to start, else its exit code. */
function git(cwd: string, args: string[]): Promise<number | null> {
  return new Promise((done) => {
    const child = execFile("git", args, { cwd, timeout: 5000 }, (error) => {
      if (!error) return done(0);
      const code = (error as { code?: unknown }).code;
      done(typeof code === "number" ? code : null);
    });
    child.stdin?.end();
  });
}

/**
 * A warning when the `.env` beside the stack holds values and git would commit it: it is tracked, or in a
 * work tree and not ignored. Outside a work tree, or without git, there is nothing to warn about.
 */
export async function checkDotEnv(stackFile: string): Promise<Diagnostic | null> {
  const root = dirname(stackFile);
  const file = join(root, ".env");
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return null;
  const names = [...parseDotEnv(text).values.keys()];
  if (names.length === 0) return null;
  if ((await git(root, ["rev-parse", "--is-inside-work-tree"])) !== 0) return null;
  const tracked = (await git(root, ["ls-files", "--error-unmatch", "--", ".env"])) === 0;
  const ignored = !tracked && (await git(root, ["check-ignore", "-q", "--", ".env"])) === 0;
  if (ignored) return null;
  const shown = names.length > 3 ? `${names.slice(0, 3).join(", ")}...` : names.join(", ");
  return makeDiagnostic(
    { file },
    {
      code: "lint/dotenv-not-ignored",
      message: `.env (${shown}) is ${tracked ? "tracked by git: its secrets are in the repository's history" : "not ignored by git: `git add .` would commit it"}`,
      path: [],
    },
    null,
  );
}
