/**
 * The compose output of every example environment, checked by the real tools: the Compose
 * Specification's JSON Schema (ajv), nginx -t on the proxy's site, and systemd-analyze on job timers.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import draft07 from "ajv/dist/refs/json-schema-draft-07.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Stack } from "../../model/types.js";
import { exampleNames, loadExample, repoRoot } from "../../test-support/index.js";
import { nginxTest, writeOutput } from "../common/test-tools.js";
import { composeTarget } from "./index.js";

const schema = JSON.parse(readFileSync(join(repoRoot, "../shared/schemas/compose-spec.json"), "utf8"));
const ajv = new Ajv({ strict: false });
// The schema names draft-07 by its https address; ajv knows the meta-schema under http.
ajv.addMetaSchema({ ...draft07, $id: schema.$schema }, schema.$schema);
const validate = ajv.compile(schema);

const cases: [string, Stack][] = [];
for (const example of exampleNames) for (const [env, stack] of await loadExample(example)) cases.push([`${example}/${env}`, stack]);

describe.each(cases)("compose output of %s", (_label, stack) => {
  const output = composeTarget.generate(stack, {});
  const compose = output.files.find((f) => f.path === "compose.yaml");

  it("validates against the Compose Specification", () => {
    expect(compose).toBeDefined();
    const document = parse(compose?.content ?? "");
    const ok = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("has an nginx site that nginx -t accepts (service names mapped to 127.0.0.1)", () => {
    const site = output.files.find((f) => f.path.startsWith("nginx/"));
    if (!site) {
      expect(stack.routes.length).toBe(0);
      return;
    }
    const result = nginxTest(
      site.content,
      stack.services.map((s) => s.name),
    );
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  });

  it("has a unit per job, which systemd-analyze accepts", () => {
    const dir = writeOutput(output, "cairn-compose-");
    const units = output.files.filter((f) => f.path.startsWith("systemd/")).map((f) => join(dir, f.path));
    expect(units.filter((u) => u.endsWith(".service")).length).toBe(stack.jobs.length);
    if (units.length === 0) return;
    const run = spawnSync("systemd-analyze", ["verify", ...units], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    for (const m of output.files.flatMap((f) => [...f.content.matchAll(/^OnCalendar=(.+)$/gm)])) {
      expect(spawnSync("systemd-analyze", ["calendar", m[1] as string], { encoding: "utf8" }).status).toBe(0);
    }
  });
});
