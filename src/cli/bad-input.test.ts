/** Bad input never crashes `cairn check`: each case gives its code, exit 1, and no stack trace. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureContext } from "../test-support/index.js";
import { main } from "./main.js";

let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-bad-input-"));
  const files: Record<string, string | Buffer> = {
    "empty.yaml": "",
    "comments.yaml": "# only a comment\n   # and another\n\n",
    "syntax.yaml": "name: s\nservices:\n  web: { run: x\n",
    "duplicate.yaml": "name: s\nservices: {}\nname: t\n",
    "binary.yaml": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe]),
    "latin1.yaml": Buffer.from("name: caf\xe9\n", "latin1"),
    "huge.yaml": `name: s\n${"# padding line of a file that is far too large\n".repeat(220_000)}`,
    "list.yaml": "- name: s\n- services: {}\n",
    "scalar.yaml": "just some text\n",
    "aliases.yaml":
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
    "deep.yaml": `name: s\nx: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
    "two-documents.yaml": "name: s\n---\nname: t\n",
    "licence-header.yaml": `${"# Copyright and licence header line\n#\n".repeat(40)}name: s\nservices:\n  web: { run: node web.js, port: 3000 }\n`,
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  await mkdir(join(dir, "empty-folder"));
  await mkdir(join(dir, "with-stack"));
  await writeFile(join(dir, "with-stack", "cairn.yaml"), "name: s\nservices:\n  web: { run: node web.js, port: 3000 }\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function check(path: string, ...flags: string[]) {
  const context = captureContext(dir);
  const code = await main(["check", path, ...flags], context);
  return { code, out: context.out(), err: context.err(), all: context.out() + context.err() };
}

async function codes(path: string): Promise<{ exit: number; codes: string[]; lines: number[] }> {
  const context = captureContext(dir);
  const exit = await main(["check", path, "--json"], context);
  const report = JSON.parse(context.out()) as { diagnostics: { code: string; line: number }[] };
  return { exit, codes: report.diagnostics.map((d) => d.code), lines: report.diagnostics.map((d) => d.line) };
}

const STACK_TRACE = /^\s+at .+[:(]\d+:\d+\)?$/m;

describe("cairn check on bad input", () => {
  it.each([
    ["empty.yaml", "file/empty"],
    ["comments.yaml", "file/empty"],
    ["binary.yaml", "file/binary"],
    ["latin1.yaml", "file/binary"],
    ["huge.yaml", "file/too-large"],
    ["missing.yaml", "file/missing"],
    ["empty-folder", "file/missing"],
    ["list.yaml", "yaml/not-a-map"],
    ["scalar.yaml", "yaml/not-a-map"],
    ["duplicate.yaml", "yaml/duplicate-key"],
    ["syntax.yaml", "yaml/syntax"],
    ["aliases.yaml", "yaml/syntax"],
    ["deep.yaml", "yaml/syntax"],
    ["two-documents.yaml", "yaml/syntax"],
  ])("%s gives %s and exit 1, without a stack trace", async (file, code) => {
    const result = await check(file);
    expect(result.code).toBe(1);
    expect(result.err).toContain(code);
    expect(result.all).not.toMatch(STACK_TRACE);
    expect(result.all).not.toContain("internal error");
    expect((await codes(file)).codes).toEqual([code]);
  });

  it("a long comment header before the first key is read as usual (no slow empty-file test)", async () => {
    const result = await check("licence-header.yaml");
    expect(result.code).toBe(0);
    expect(result.out).toContain("1 service");
  });

  it("places a YAML syntax error and a duplicate key at their line and column", async () => {
    expect(await codes("duplicate.yaml")).toEqual({ exit: 1, codes: ["yaml/duplicate-key"], lines: [3] });
    const context = captureContext(dir);
    await main(["check", "duplicate.yaml"], context);
    expect(context.err()).toContain("duplicate.yaml:3:1 error yaml/duplicate-key");
    expect((await codes("syntax.yaml")).lines[0]).toBeGreaterThanOrEqual(3);
  });

  it("gives no place for a file that cannot be read, and a clear message", async () => {
    const missing = await check("missing.yaml");
    expect(missing.err).toContain("missing.yaml: no such file or folder");
    expect(await codes("missing.yaml")).toEqual({ exit: 1, codes: ["file/missing"], lines: [0] });
    expect((await check("empty-folder")).err).toContain("empty-folder is a folder without a cairn.yaml");
    expect((await check("huge.yaml")).err).toMatch(/huge\.yaml is 10\.\d MB; a stack file is at most 4 MB/);
  });

  it("reports a path it cannot read as a file (a socket) as unreadable", async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(join(dir, "socket.yaml"), done));
    try {
      const result = await check("socket.yaml");
      expect(result.code).toBe(1);
      expect(result.err).toContain("file/unreadable");
      expect(result.all).not.toMatch(STACK_TRACE);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it("reads cairn.yaml inside a folder", async () => {
    const result = await check("with-stack");
    expect(result.code).toBe(0);
    expect(result.out).toContain("with-stack/cairn.yaml: 1 service, 0 jobs, 0 resources, 0 routes; environments local (local)");
  });

  it("keeps a very long source line readable, and says what is wrong with it", async () => {
    const result = await check("deep.yaml");
    expect(result.err).toContain("the document nests lists or maps too deeply to read");
    const longest = Math.max(...result.err.split("\n").map((l) => l.length));
    expect(longest).toBeLessThan(200);
  });
});

describe("every verb on a folder with no stack file", () => {
  it.each([
    ["logs"],
    ["logs", "web", "-f"],
    ["ps"],
    ["ps", "--json"],
    ["run", "job"],
    ["down"],
    ["reload"],
    ["psql"],
    ["backup", "db"],
    ["restore", "db", "x.dump"],
    ["up"],
    ["cost"],
    ["build", "--target", "vm"],
  ])("cairn %s says what check says, with exit 1 and nothing on stdout", async (...args) => {
    const context = captureContext(join(dir, "empty-folder"));
    const code = await main(args, context);
    expect(code).toBe(1);
    expect(context.err()).toBe("error: . is a folder without a cairn.yaml\nhint: Give the path of a cairn.yaml, or a folder that holds one.\n");
    expect(context.out()).toBe("");
  });
});
