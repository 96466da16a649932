/**
 * dynalite's own mocha suite (its 12 core operation files) against a fresh Cairn DynamoDB endpoint. The
 * suite is copied to a temporary folder and run with the mocha, should and aws4 of Cairn's own
 * devDependencies (NODE_PATH), so no install is needed. Tests under a `functionality` block count as
 * behaviour; `serializations` and `validations` (the error messages, word for word) as validation.
 */
import { execFile } from "node:child_process";
import { chmod, cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { DynamoServer } from "../../src/runtime/resources/dynamo/server.js";
import type { SuiteResult } from "./types.js";

const FILES = [
  "createTable",
  "describeTable",
  "listTables",
  "deleteTable",
  "putItem",
  "getItem",
  "updateItem",
  "deleteItem",
  "query",
  "scan",
  "batchGetItem",
  "batchWriteItem",
];

interface MochaTest {
  readonly fullTitle: string;
  readonly err?: { message?: string };
}

/** Runs the suite in `dir` against an endpoint started here. */
export async function runDynalite(dir: string, grep?: string): Promise<SuiteResult[]> {
  const work = await mkdtemp(join(tmpdir(), "cairn-conformance-dynalite-"));
  const server = new DynamoServer("127.0.0.1", "us-east-1");
  try {
    await cp(dir, work, { recursive: true });
    await chmod(work, 0o755);
    await server.listen(0);
    const modules = resolve("node_modules");
    const report = join(work, "report.json");
    const args = [join(modules, "mocha/bin/mocha.js"), "--require", "should", "-t", "30s", "--reporter", "json", "--reporter-option", `output=${report}`];
    if (grep) args.push("--grep", grep);
    args.push(...FILES.map((f) => `test/${f}.js`));
    await promisify(execFile)(process.execPath, args, {
      cwd: work,
      env: { ...process.env, DDB_PORT: String(server.port), NODE_PATH: modules },
      maxBuffer: 64 * 1024 * 1024,
    }).catch(() => {}); // mocha exits non-zero when a test fails; the report says which.
    const { passes, failures } = JSON.parse(await readFile(report, "utf8")) as { passes: MochaTest[]; failures: MochaTest[] };
    const behaviour = (t: MochaTest) => / functionality /.test(` ${t.fullTitle} `);
    const part = (name: string, pick: (t: MochaTest) => boolean): SuiteResult => ({
      suite: name,
      passed: passes.filter(pick).length,
      total: passes.filter(pick).length + failures.filter(pick).length,
      failing: failures.filter(pick).map((t) => ({ name: t.fullTitle, reason: (t.err?.message ?? "").split("\n")[0] ?? "" })),
    });
    return [part("dynalite behaviour", behaviour), part("dynalite validation", (t) => !behaviour(t))];
  } finally {
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
}
