/**
 * CityFlow's tracer sends the headers of OTEL_EXPORTER_OTLP_TRACES_HEADERS / OTEL_EXPORTER_OTLP_HEADERS
 * (app/lib/otlp-headers.mjs) with each export, checked on a real HTTP server started here: the
 * signal's own variable wins, values are percent-decoded, malformed entries are skipped (and named by
 * position and key, never by value) while the spans still go.
 */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE } from "./support.js";

interface Tracer {
  readonly enabled: boolean;
  start(name: string): { end(): void };
  flush(): Promise<void>;
  readonly stats: { sent: number; dropped: number; failed: number };
}
interface Tracing {
  createTracer(options: { service?: string; env?: Record<string, string>; flushMs?: number; warn?: (line: string) => void }): Tracer;
}
interface Headers {
  parseHeaders(text: unknown): { headers: Record<string, string>; skipped: { position: number; key: string | null; reason: string }[] };
  MAX_ENTRIES: number;
  MAX_CHARS: number;
}

const lib = (name: string) => import(pathToFileURL(join(EXAMPLE, "app", "lib", name)).href);
const tracing = (await lib("tracing.mjs")) as Tracing;
const headersLib = (await lib("otlp-headers.mjs")) as Headers;

/** Each export the server received: its headers and the span names in it. */
const received: { headers: IncomingHttpHeaders; names: string[] }[] = [];
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[];
      };
      received.push({ headers: req.headers, names: body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name))) });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  endpoint = `http://127.0.0.1:${address.port}`;
});
afterAll(() => {
  server?.close();
});

/** Sends one span named `name` with `env` added to the endpoint; returns the headers of its export and the warnings. */
async function exportWith(name: string, env: Record<string, string>) {
  const warnings: string[] = [];
  const tracer = tracing.createTracer({
    service: "headers",
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, ...env },
    flushMs: 60_000,
    warn: (l) => warnings.push(l),
  });
  tracer.start(name).end();
  await tracer.flush();
  expect(tracer.stats).toEqual({ sent: 1, dropped: 0, failed: 0 });
  const request = received.find((r) => r.names.includes(name));
  if (!request) throw new Error(`no export of ${name}`);
  return { headers: request.headers, warnings };
}

describe("the OTLP headers of CityFlow's tracer", () => {
  it("sends OTEL_EXPORTER_OTLP_HEADERS with each export, values percent-decoded, keeping its own content type", async () => {
    const { headers, warnings } = await exportWith("general", {
      OTEL_EXPORTER_OTLP_HEADERS: " Authorization = Bearer%20s3cr3t%2Ctoken ,x-tenant=paris,x-empty=",
    });
    expect(headers.authorization).toBe("Bearer s3cr3t,token");
    expect(headers["x-tenant"]).toBe("paris");
    expect(headers["x-empty"]).toBe("");
    expect(headers["content-type"]).toBe("application/json");
    expect(warnings).toEqual([]);
  });

  it("uses OTEL_EXPORTER_OTLP_TRACES_HEADERS instead when set, and the general one when it is empty", async () => {
    const both = await exportWith("both", { OTEL_EXPORTER_OTLP_HEADERS: "x-general=1,x-shared=general", OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-shared=traces" });
    expect(both.headers["x-shared"]).toBe("traces");
    expect(both.headers["x-general"]).toBeUndefined();
    const empty = await exportWith("empty", { OTEL_EXPORTER_OTLP_HEADERS: "x-general=1", OTEL_EXPORTER_OTLP_TRACES_HEADERS: "" });
    expect(empty.headers["x-general"]).toBe("1");
  });

  it("skips malformed entries, names them by position and key only, and still sends the spans", async () => {
    const secrets = ["plainsecret", "%ZZsecret", "crlfsecret", "ownsecret", "utfsecret", "spacesecret"];
    const { headers, warnings } = await exportWith("malformed", {
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: [
        "plainsecret",
        "bad key=spacesecret",
        "x-ok=fine",
        "x-pct=%ZZsecret",
        "content-type=text/plainownsecret",
        "x-crlf=a%0D%0Ainjected:crlfsecret",
        "x-utf=%E2%9C%93utfsecret",
        "=nokey",
        ",",
      ].join(","),
    });
    expect(headers["x-ok"]).toBe("fine");
    expect(headers["content-type"]).toBe("application/json");
    for (const name of ["x-pct", "x-crlf", "x-utf", "injected"]) expect(headers[name]).toBeUndefined();
    expect(warnings).toHaveLength(7);
    expect(warnings[0]).toBe(
      "OTEL_EXPORTER_OTLP_TRACES_HEADERS entry 1 skipped: it is not key=value; write key=value pairs separated by commas, values percent-encoded",
    );
    expect(warnings.slice(1).map((w) => w.replace(/ skipped: .*/, ""))).toEqual(
      ["entry 2", "entry 4 (x-pct)", "entry 5 (content-type)", "entry 6 (x-crlf)", "entry 7 (x-utf)", "entry 8"].map(
        (w) => `OTEL_EXPORTER_OTLP_TRACES_HEADERS ${w}`,
      ),
    );
    for (const secret of secrets) expect(warnings.join("\n")).not.toContain(secret);
  });

  it("reads any text without throwing: names are lowercase header names, values sendable text (fuzz)", () => {
    const name = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: fc.constantFrom(..."ab=,% \t\r\n%0D2C;"), maxLength: 60 })), (text) => {
        const { headers, skipped } = headersLib.parseHeaders(text);
        for (const [k, v] of Object.entries(headers)) {
          expect(k).toMatch(name);
          expect(v).toMatch(/^[\t\x20-\x7e]*$/);
          expect(v).toBe(v.trim());
        }
        for (const s of skipped) if (s.key !== null) expect(text.toLowerCase()).toContain(s.key);
      }),
      { numRuns: 2000 },
    );
  });

  it("gives back what was encoded: any names and printable values, percent-encoded and joined (fuzz)", () => {
    const key = fc.stringMatching(/^x-[a-z0-9-]{1,20}$/);
    const value = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/);
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (wanted) => {
        const text = Object.entries(wanted)
          .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
          .join(",");
        expect(headersLib.parseHeaders(text)).toEqual({ headers: wanted, skipped: [] });
      }),
      { numRuns: 500 },
    );
  });

  it("reads at most MAX_ENTRIES entries, and no list longer than MAX_CHARS", () => {
    const text = Array.from({ length: headersLib.MAX_ENTRIES + 5 }, (_, i) => `x-h${i}=${i}`).join(",");
    const { headers, skipped } = headersLib.parseHeaders(text);
    expect(Object.keys(headers)).toHaveLength(headersLib.MAX_ENTRIES);
    expect(skipped).toEqual([{ position: headersLib.MAX_ENTRIES + 1, key: null, reason: `only the first ${headersLib.MAX_ENTRIES} entries are read` }]);
    const long = headersLib.parseHeaders(`x-a=${"v".repeat(headersLib.MAX_CHARS)}`);
    expect(long).toEqual({ headers: {}, skipped: [{ position: 0, key: null, reason: `the list is longer than ${headersLib.MAX_CHARS} characters` }] });
  });
});
