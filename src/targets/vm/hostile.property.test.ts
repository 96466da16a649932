/**
 * Hostile strings in every field of the stack file that reaches a vm file, parsed by the real
 * tools: `nginx -T` (the site is accepted and has exactly the locations of the same stack with
 * plain values), `systemd-analyze verify` (accepted, and each unit has exactly the directives of
 * the plain stack), `bash -n` and shellcheck (accepted, same commands as the plain stack). A value
 * either comes out as data, or is refused with an error and nothing is written.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeText } from "../../test-support/index.js";
import { mainConfig, relocateSite, writeOutput } from "../common/test-tools.js";
import type { TargetOutput } from "../types.js";
import { vmTarget } from "./index.js";

const FRAGMENTS = [
  "$(touch /tmp/cairn-pwned)",
  "`id`",
  '"',
  "'",
  "\\",
  "\nExecStartPre=+/bin/sh -c id\n",
  "\r\n[Service]\nUser=root",
  "; } location /y { return 200; } location /z {",
  "%n%i%%",
  "&",
  "#",
  "${PATH}",
  "\nEOF\nrm -rf /\n",
  " ",
  "\t",
  "é☃",
  "x",
  "/",
];

const hostile = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(""));

interface Values {
  env: string;
  secretEnv: string;
  health: string;
  route: string;
  host: string;
  description: string;
  arg: string;
  cwd: string;
  database: string;
  schedule: string;
}

const PLAIN: Values = {
  env: "plain",
  secretEnv: "plain",
  health: "/health",
  route: "/api",
  host: "api.example.org",
  description: "admin",
  arg: "plain",
  cwd: "app",
  database: "shop",
  schedule: "0 2 * * *",
};

/** A stack with each value in its field; JSON strings are YAML double-quoted scalars. */
function stackText(v: Values): string {
  const s = JSON.stringify;
  return `name: shop
services:
  web:
    run: node web.mjs
    port: 3000
    replicas: 2
    cwd: ${s(v.cwd)}
    health: { path: ${s(v.health)} }
    env: { PLAIN: ${s(v.env)}, WITH_SECRET: ${s(`${v.secretEnv}\${secret.TOKEN}`)}, DB: "\${db.url}" }
jobs:
  report: { run: node report.mjs, args: [${s(v.arg)}], schedule: ${s(v.schedule)}, timeout: 5m }
resources:
  db: { type: postgres, database: ${s(v.database)}, backups: 7d }
secrets: { TOKEN: token }
routes:
  - { path: ${s(v.route)}, to: web }
  - { host: ${s(v.host)}, to: web }
edge:
  open: [{ port: 22, from: 203.0.113.7/32, description: ${s(v.description)} }]
environments:
  prod: { target: vm }
`;
}

function build(v: Values): { output: TargetOutput | null; refused: string } {
  const analysis = analyzeText(stackText(v), "prod");
  const errors = analysis.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) return { output: null, refused: errors.map((e) => e.code).join(",") };
  const stack = analysis.stacks.get("prod");
  if (!stack) return { output: null, refused: "no stack" };
  const output = vmTarget.generate(stack, {});
  if (output.errors.length) return { output: null, refused: output.errors.map((e) => e.part).join(",") };
  return { output, refused: "" };
}

/** What the real tools see in an output: locations, each unit's directives, each script's commands. */
function parsed(output: TargetOutput): { locations: number; units: Record<string, string[]>; scripts: Record<string, string[]> } {
  const dir = writeOutput(output, "cairn-hostile-");
  const site = output.files.find((f) => f.path.startsWith("nginx/"))?.content ?? "";
  const prefix = mkdtempSync(join(tmpdir(), "cairn-hostile-nginx-"));
  const nginx = spawnSync("nginx", ["-T", "-q", "-c", mainConfig(prefix, relocateSite(site, prefix)), "-p", prefix], { encoding: "utf8" });
  expect(nginx.status, nginx.stderr).toBe(0);
  const locations = (nginx.stdout.match(/^\s*location\s/gm) ?? []).length;
  const unitFiles = readdirSync(join(dir, "systemd")).map((f) => join(dir, "systemd", f));
  const verify = spawnSync("systemd-analyze", ["verify", ...unitFiles], { encoding: "utf8" });
  expect(verify.stderr).toBe("");
  expect(verify.status).toBe(0);
  const units: Record<string, string[]> = {};
  for (const f of output.files.filter((x) => x.path.startsWith("systemd/")))
    units[f.path] = f.content.split("\n").flatMap((line) => (/^[A-Za-z]+=/.test(line) ? [line.slice(0, line.indexOf("="))] : /^\[/.test(line) ? [line] : []));
  const scripts: Record<string, string[]> = {};
  for (const f of output.files.filter((x) => x.path.endsWith(".sh"))) {
    const path = join(dir, f.path);
    const syntax = spawnSync("bash", ["-n", path], { encoding: "utf8" });
    expect(syntax.stderr).toBe("");
    const lint = spawnSync("shellcheck", ["--shell=sh", path], { encoding: "utf8" });
    expect(lint.stdout).toBe("");
    // The first word of each line: what runs, whatever the values.
    scripts[f.path] = f.content.split("\n").map((line) => line.trim().split(/\s+/)[0] ?? "");
  }
  return { locations, units, scripts };
}

const plain = build(PLAIN);

describe("vm files from hostile values", () => {
  it("the plain stack builds, and its files pass the real tools", () => {
    expect(plain.refused).toBe("");
    expect(parsed(plain.output as TargetOutput).locations).toBe(5);
  });

  it("each hostile value is refused, or reaches the files as data only", () => {
    const reference = parsed(plain.output as TargetOutput);
    const fields = Object.keys(PLAIN) as (keyof Values)[];
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...fields), hostile, (field, value) => {
        const result = build({ ...PLAIN, [field]: value });
        if (result.output === null) return;
        accepted++;
        const seen = parsed(result.output);
        expect(seen.locations, `${field}=${JSON.stringify(value)}`).toBe(reference.locations);
        expect(seen.units, `${field}=${JSON.stringify(value)}`).toEqual(reference.units);
        expect(seen.scripts, `${field}=${JSON.stringify(value)}`).toEqual(reference.scripts);
      }),
      { numRuns: 40, seed: 11 },
    );
    // Values that are free text (variables, arguments, descriptions) are carried, not refused.
    expect(accepted).toBeGreaterThan(0);
  }, 300_000);

  it("the three injections found by hand are data or refused", () => {
    const health = build({ ...PLAIN, health: "/h$(touch /tmp/x)&y" });
    expect(health.refused).toContain("health");
    const route = build({ ...PLAIN, route: "/x { return 200; } location /y" });
    expect(route.output).toBeNull();
    const env = build({ ...PLAIN, env: "a\nExecStartPre=+/bin/sh -c id" });
    const unit = env.output?.files.find((f) => f.path === "systemd/shop-web@.service")?.content ?? "";
    expect(unit).not.toMatch(/^ExecStartPre=/m);
    expect(unit).toContain('Environment="PLAIN=a\\nExecStartPre=+/bin/sh -c id"');
  });
});
