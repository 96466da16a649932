import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AccessLog, formatEntry, maskPath } from "./access-log.js";

const entry = (i: number, p = "/x") => ({
  time: 1_700_000_000_000 + i,
  id: `r-${i}`,
  client: "::1",
  method: "GET",
  path: p,
  status: 200,
  duration: 1.23456,
  service: "api",
  target: "api-1",
  error: null,
});

describe("access log", () => {
  it("formats one JSON line in ASCII, escaping only what needs it", () => {
    const path = '/a"b\\c/é\u0001/😀/\ud800';
    const line = formatEntry({ ...entry(1, path), error: "cut" });
    expect(line.endsWith("\n")).toBe(true);
    expect(line).toMatch(/^[\x20-\x7e]*\n$/);
    expect(JSON.parse(line)).toEqual({ ...entry(1, path), time: "2023-11-14T22:13:20.001Z", duration: 1.235, error: "cut" });
    expect(formatEntry(entry(2, "/plain?q=1"))).toContain('"path":"/plain?q=1"');
    const durations = [0, 0.0004, 0.0005, 0.001, 0.05, 1, 12.3, 12.0304, 999.9995, 61_000.25];
    expect(durations.map((d) => JSON.parse(formatEntry({ ...entry(3), duration: d })).duration)).toEqual(durations.map((d) => Math.round(d * 1000) / 1000));
  });

  it("logs no header, and masks credential-like query values", () => {
    const line = JSON.parse(formatEntry(entry(4, "/cb?code=c0de&state=ok&access_token=abc.def&X-Amz-Signature=ff&api_key=k&page=2")));
    expect(line.path).toBe("/cb?code=c0de&state=ok&access_token=***&X-Amz-Signature=***&api_key=***&page=2");
    expect(Object.keys(line)).toEqual(["time", "id", "client", "method", "path", "status", "duration", "service", "target"]);
    expect(maskPath("/plain")).toBe("/plain");
    expect(maskPath("/a?token=&password")).toBe("/a?token=&password");
  });

  it("masks any credential-like parameter whatever the path holds (fuzz)", () => {
    const piece = fc.constantFrom("token", "Key", "page", "=", "&", "?", "%", "x", "/", "é");
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 14 }),
        fc.string({ unit: fc.constantFrom(..."s3cr3t".split("")), minLength: 4, maxLength: 8 }),
        (parts, value) => {
          const path = `/p?${parts.join("")}&session_token=${value}`;
          const masked = maskPath(path);
          expect(masked.endsWith("&session_token=***")).toBe(true);
          expect(JSON.parse(formatEntry(entry(5, path))).path).toBe(masked);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("writes every line in order across many 64 kB buffers, and flushes on close", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-log-"));
    const file = path.join(dir, "access.log");
    const log = new AccessLog(file);
    log.open();
    for (let i = 0; i < 5_000; i++) log.write(entry(i, i % 7 === 0 ? `/é/${"x".repeat(i % 300)}` : `/p/${i}`));
    log.write(entry(5_000, `/${"long".repeat(20_000)}`));
    await log.close();
    await log.close();
    const lines = fs
      .readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(Array.from({ length: 5_001 }, (_, i) => `r-${i}`));
    expect(lines[7].path).toBe(`/é/${"x".repeat(7)}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
