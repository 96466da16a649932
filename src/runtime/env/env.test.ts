import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { consoleAddress } from "../telemetry/console-address.js";
import { parseDotEnv } from "./dotenv.js";
import { renderArgs, renderProcessEnv } from "./render.js";
import { loadSecrets } from "./secrets.js";

describe(".env files", () => {
  it("reads assignments, quotes, export and comments, and names the lines it cannot read", () => {
    const parsed = parseDotEnv(`# comment
A=1
export B = two words # trailing comment
C="line\\nbreak"
D='kept # as is'
not an assignment
A=again
`);
    expect(Object.fromEntries(parsed.values)).toEqual({ A: "again", B: "two words", C: "line\nbreak", D: "kept # as is" });
    expect(parsed.badLines).toEqual([6]);
  });

  it("takes the process environment over the file, generates `generate: true` secrets once (mode 0600)", async () => {
    const root = mkdtempSync(join(tmpdir(), "cairn-env-"));
    const stack = {
      ...stackFrom(`name: s
secrets:
  TOKEN: api token
  KEY: { generate: true }
  EXTRA: { optional: true }
services:
  api: { run: x, port: 1, env: { T: "\${secret.TOKEN}", K: "\${secret.KEY}", E: "\${secret.EXTRA}" } }
`),
      root,
    };
    writeFileSync(join(root, ".env"), "TOKEN=from-file\n");
    const state = join(root, ".cairn", "local");
    const first = await loadSecrets(stack, { TOKEN: "from-env" }, state);
    expect(first.values.get("TOKEN")).toBe("from-env");
    expect(first.missing).toEqual([]);
    const key = first.values.get("KEY") ?? "";
    expect(key).toMatch(/^[\w-]{32}$/);
    expect(statSync(join(state, "secrets.env")).mode & 0o777).toBe(0o600);
    const second = await loadSecrets(stack, {}, state);
    expect(second.values.get("TOKEN")).toBe("from-file");
    expect(second.values.get("KEY")).toBe(key);
    expect(readFileSync(join(state, "secrets.env"), "utf8")).toBe(`KEY=${key}\n`);
  });
});

describe("rendering", () => {
  it("fills resource attributes, service URLs, secrets and stack variables; PORT, HOST and BASE_PATH", () => {
    const stack = stackFrom(`name: shop
domain: shop.example
secrets: { PW: database password }
resources:
  db: { type: postgres }
services:
  api: { run: x, port: 1, base_path: /api, env: { DATABASE_URL: "\${db.url}", PW: "\${secret.PW}", SITE: "\${edge.url}/\${env}" }, depends_on: [db] }
  web: { run: x, port: 2, env: { API: "\${api.url}" } }
jobs:
  nightly: { run: x, args: ["\${run.date}", "--stack=\${stack}"] }
`);
    const inputs = {
      stack,
      resources: new Map([["db", { url: "postgres://u:p@127.0.0.1:5999/shop" }]]),
      services: new Map([["api", { host: "127.0.0.1", port: 41000 }]]),
      secrets: new Map([["PW", "s3cret"]]),
      edgeUrl: "http://localhost:8080",
      runDate: "2026-11-21",
    };
    const [api, web] = stack.services;
    if (!api || !web) throw new Error("services");
    const rendered = renderProcessEnv(api, inputs, 41000);
    expect(rendered.env).toMatchObject({
      PORT: "41000",
      HOST: "127.0.0.1",
      BASE_PATH: "/api",
      DATABASE_URL: "postgres://u:p@127.0.0.1:5999/shop",
      PW: "s3cret",
      SITE: "http://localhost:8080/local",
    });
    expect(rendered.unresolved).toEqual([]);
    expect(renderProcessEnv(web, inputs, 41001).env.API).toBe("http://127.0.0.1:41000");
    expect(renderArgs(stack.jobs[0]?.args ?? [], inputs)).toEqual(["2026-11-21", "--stack=shop"]);
    const missing = renderProcessEnv(api, { ...inputs, resources: new Map() }, 1);
    expect(missing.unresolved).toEqual([{ reference: "db.url" }]);
  });

  it("gives every process the console as OTEL_EXPORTER_OTLP_ENDPOINT and its name as OTEL_SERVICE_NAME; the stack's own values win", () => {
    const stack = stackFrom(`name: shop
services:
  api: { run: x, port: 1 }
  web: { run: x, port: 2, env: { OTEL_SERVICE_NAME: storefront } }
jobs:
  nightly: { run: x }
`);
    const inputs = { stack, resources: new Map(), services: new Map(), secrets: new Map(), edgeUrl: null, otlpEndpoint: consoleAddress(4318) };
    const [api, web] = stack.services;
    const [nightly] = stack.jobs;
    if (!api || !web || !nightly) throw new Error("processes");
    expect(renderProcessEnv(api, inputs, 1).env).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_SERVICE_NAME: "api" });
    expect(renderProcessEnv(web, inputs, 2).env.OTEL_SERVICE_NAME).toBe("storefront");
    expect(renderProcessEnv(nightly, inputs, null).env.OTEL_SERVICE_NAME).toBe("nightly");
    expect(renderProcessEnv(api, { ...inputs, otlpEndpoint: null }, 1).env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });
});
