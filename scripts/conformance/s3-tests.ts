/**
 * The selected ceph/s3-tests (`selected-tests.json`) against a fresh Cairn S3 endpoint with no bucket, run
 * with Debian's python3 and pytest as the suite's `run.sh` does, with a JUnit report to name each failure.
 * Needs python3-boto3 python3-pytest python3-pytest-timeout python3-isodate python3-munch python3-requests
 * python3-httplib2 (scripts/test.sh installs them).
 */
import { execFile } from "node:child_process";
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { S3Server } from "../../src/runtime/resources/s3/server.js";
import type { SuiteResult } from "./types.js";

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** Runs the selected tests in `dir` (optionally only those matching pytest's `-k` expression). */
export async function runS3Tests(dir: string, only?: string): Promise<SuiteResult[]> {
  const work = await mkdtemp(join(tmpdir(), "cairn-conformance-s3-"));
  const server = new S3Server("127.0.0.1", join(work, "buckets"));
  try {
    const suite = join(work, "suite");
    await cp(dir, suite, { recursive: true });
    await chmod(suite, 0o755);
    await server.listen(0);
    const template = await readFile(join(dir, "s3tests.conf.template"), "utf8");
    await writeFile(join(suite, "s3tests.conf"), template.replace("PORT", String(server.port)));
    const selected = JSON.parse(await readFile(join(dir, "selected-tests.json"), "utf8")) as Record<string, string[]>;
    const ids = Object.values(selected)
      .flat()
      .map((n) => `s3tests/functional/test_s3.py::${n}`);
    const report = join(work, "report.xml");
    const args = ["-m", "pytest", "-p", "no:cacheprovider", "-q", "--timeout=60", `--junitxml=${report}`, ...(only ? ["-k", only] : []), ...ids];
    await promisify(execFile)("/usr/bin/python3", args, {
      cwd: suite,
      env: { ...process.env, S3TEST_CONF: join(suite, "s3tests.conf") },
      maxBuffer: 64 * 1024 * 1024,
    }).catch(() => {}); // pytest exits non-zero when a test fails; the report says which.
    const xml = await readFile(report, "utf8");
    const cases = [...xml.matchAll(/<testcase [^>]*name="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)];
    const failing: Array<{ name: string; reason: string }> = [];
    let passed = 0;
    for (const c of cases) {
      const problem = /<(failure|error)[^>]*message="([^"]*)"/.exec(c[3] ?? "");
      const skipped = /<skipped/.test(c[3] ?? "");
      if (problem || skipped) failing.push({ name: c[1] ?? "", reason: unescapeXml(problem?.[2] ?? "skipped").split("\n")[0] ?? "" });
      else passed++;
    }
    return [{ suite: "s3-tests", passed, total: cases.length, failing }];
  } finally {
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
}
