/**
 * The console's server against a running stack: login by one-time token, 401 without it, the Host
 * check, CSRF on actions, an action that changes a pid, and a fuzz of malformed requests after which
 * the process still answers.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../runtime/ports.js";
import { sendRaw } from "../runtime/resources/testing/raw-http.js";
import type { Session } from "../runtime/stack-runner/session.js";
import { waitFor } from "../test-support/wait.js";
import type { Console } from "./console.js";
import { login, startWithConsole, TEST_APP } from "./testing/stack.js";

let session: Session;
let server: Console;
let base: string;

beforeAll(async () => {
  ({ session, console: server } = await startWithConsole(`name: consoled
services:
  web:
    run: node ${TEST_APP}
    port: ${await freePort()}
    health: { path: /health, interval: 200ms, timeout: 500ms, healthy: 1, unhealthy: 2 }
jobs:
  hello:
    run: node -e "console.log('hello from the job')"
    schedule: "0 3 * * *"
`));
  base = `http://127.0.0.1:${server.port}`;
}, 60_000);

afterAll(async () => {
  await session?.close();
});

describe("the console's login", () => {
  it("answers 401 without a token or a cookie, on pages and on the API", async () => {
    for (const path of ["/", "/services", "/api/services", "/api/events", "/assets/app.js"]) expect((await fetch(`${base}${path}`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
  });

  it("exchanges the one-time token for an HttpOnly, SameSite=Strict cookie and drops it from the URL", async () => {
    const link = server.loginUrl();
    const answer = await fetch(link.replace("/?", "/logs?service=web&"), { redirect: "manual" });
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe("/logs?service=web");
    const cookie = answer.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^cairn_console=[0-9a-f]{48}; HttpOnly; SameSite=Strict; Path=\/$/);
    expect((await fetch(link, { redirect: "manual" })).status).toBe(401);
    const page = await fetch(`${base}/logs`, { headers: { cookie: cookie.split(";")[0] ?? "" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("refuses a Host that is not loopback (DNS rebinding), even with a valid cookie", async () => {
    const { cookie } = await login(server);
    const answer = await sendRaw(
      server.port,
      `GET /api/services HTTP/1.1\r\nhost: evil.example:${server.port}\r\ncookie: ${cookie}\r\nconnection: close\r\n\r\n`,
    );
    expect(answer.status).toBe(403);
    for (const host of [`localhost:${server.port}`, `[::1]:${server.port}`]) {
      const ok = await sendRaw(server.port, `GET /api/jobs HTTP/1.1\r\nhost: ${host}\r\ncookie: ${cookie}\r\nconnection: close\r\n\r\n`);
      expect(ok.status).toBe(200);
    }
  });

  it("needs the CSRF token for an action; with it, a restart gives the replica a new pid", async () => {
    const { cookie, csrf } = await login(server);
    const pidOf = async () => {
      const report = (await (await fetch(`${base}/api/services`, { headers: { cookie } })).json()) as { services: { replicas: { pid: number | null }[] }[] };
      return report.services[0]?.replicas[0]?.pid ?? null;
    };
    const before = await pidOf();
    expect(before).toBeGreaterThan(0);
    expect((await fetch(`${base}/api/replicas/web.1/restart`, { method: "POST", headers: { cookie } })).status).toBe(403);
    expect((await fetch(`${base}/api/replicas/web.1/restart`, { method: "POST", headers: { cookie, "x-csrf-token": "0".repeat(48) } })).status).toBe(403);
    const crossSite = await fetch(`${base}/api/replicas/web.1/restart`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf, origin: "http://evil.example" },
    });
    expect(crossSite.status).toBe(403);
    const restart = await fetch(`${base}/api/replicas/web.1/restart`, { method: "POST", headers: { cookie, "x-csrf-token": csrf } });
    expect(restart.status).toBe(200);
    await waitFor(
      async () => {
        const after = await pidOf();
        return after !== null && after !== before;
      },
      15_000,
      "a new pid for web.1",
    );
  });

  it("takes OTLP spans from local programs without a session (not from another origin) and shows them as a trace", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const start = BigInt(Date.now()) * 1_000_000n;
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "web" } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: "00f067aa0ba902b7",
                  name: "GET /orders",
                  kind: 2,
                  startTimeUnixNano: String(start),
                  endTimeUnixNano: String(start + 5_000_000n),
                },
              ],
            },
          ],
        },
      ],
    });
    const post = (headers: Record<string, string> = {}) =>
      fetch(`${base}/v1/traces`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    expect((await post({ origin: "http://evil.example" })).status).toBe(403);
    expect((await post()).status).toBe(200);
    expect((await fetch(`${base}/api/traces`)).status).toBe(401);
    const { cookie } = await login(server);
    const traces = (await (await fetch(`${base}/api/traces`, { headers: { cookie } })).json()) as { traces: { traceId: string; services: string[] }[] };
    expect(traces.traces.find((t) => t.traceId === traceId)?.services).toEqual(["web"]);
    const trace = (await (await fetch(`${base}/api/traces/${traceId}`, { headers: { cookie } })).json()) as { spans: { name: string; durationMs: number }[] };
    expect(trace.spans.map((s) => [s.name, s.durationMs])).toEqual([["GET /orders", 5]]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('replica="web.1"');
  });

  it("filters the traces list by service, root text and duration, and refuses a query it does not take", async () => {
    const start = BigInt(Date.now()) * 1_000_000n;
    // Trace n starts n ms after `start`.
    const span = (traceId: string, spanId: string, name: string, ms: number, parentSpanId = "") => {
      const at = start + BigInt(Number.parseInt(traceId[0] ?? "0", 16)) * 1_000_000n;
      return { traceId, spanId, parentSpanId, name, kind: 2, startTimeUnixNano: String(at), endTimeUnixNano: String(at + BigInt(ms) * 1_000_000n) };
    };
    const resource = (service: string, spans: object[]) => ({
      resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
      scopeSpans: [{ spans }],
    });
    const invoices = "1bf92f3577b34da6a3ce929d0e0e4736";
    const slow = "2bf92f3577b34da6a3ce929d0e0e4736";
    const poll = "3bf92f3577b34da6a3ce929d0e0e4736";
    const body = JSON.stringify({
      resourceSpans: [
        resource("web", [span(invoices, "1000000000000001", "GET /invoices", 4), span(slow, "2000000000000001", "GET /invoices/export", 80)]),
        resource("poller", [span(poll, "3000000000000001", "poll for invoices", 90)]),
        resource("web", [span(poll, "3000000000000002", "GET /invoices", 2, "3000000000000001")]),
      ],
    });
    expect((await fetch(`${base}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body })).status).toBe(200);
    const { cookie } = await login(server);
    const list = async (query: string) => {
      const answer = await fetch(`${base}/api/traces?${query}`, { headers: { cookie } });
      return { status: answer.status, body: (await answer.json()) as { traces?: { traceId: string }[]; services?: string[]; error?: string } };
    };
    const ids = async (query: string) => (await list(query)).body.traces?.map((t) => t.traceId);
    expect(await ids("service=web&q=INVOICES")).toEqual([poll, slow, invoices]);
    // The poll's root is its own: a text of the requests' roots leaves it out.
    expect(await ids("service=web&q=get%20/invoices")).toEqual([slow, invoices]);
    expect(await ids("service=poller")).toEqual([poll]);
    expect(await ids("q=get%20/invoices&minMs=50")).toEqual([slow]);
    expect(await ids("q=invoices&minMs=85.5")).toEqual([poll]);
    expect((await list("")).body.services).toEqual(expect.arrayContaining(["poller", "web"]));
    const unknown = await list("service=web&order=desc");
    expect(unknown).toEqual({ status: 400, body: { error: 'unknown parameter "order": /api/traces takes service, q, minMs' } });
    expect((await list(`q=${"x".repeat(300)}`)).body.error).toBe("q is 300 characters long; the console keeps names of at most 256");
    expect((await list("minMs=soon")).status).toBe(400);
    expect((await fetch(`${base}/traces?service=web&q=invoices`, { headers: { cookie } })).status).toBe(200);
  });

  it("answers every malformed request, and keeps answering", async () => {
    const { cookie, csrf } = await login(server);
    const paths = fc.oneof(
      fc.constantFrom(
        "/",
        "/api/services",
        "/api/logs?level=nope",
        "/api/logs?limit=-1",
        "/api/traces?minMs=-1",
        "/api/traces?service=web&service=x",
        "/api/traces?q=%ZZ",
        "/api/runs/%E0%A4%A/log",
        "/api/replicas/%ff/stop",
        "/api/replicas/nope/start",
        "/api/jobs/nope/run",
        "/api/data/bucket/x/object",
        "/api/data/table/x?cursor=@@",
        "/api/data/%",
        "/assets/../../package.json",
        "/assets/%2e%2e%2fpackage.json",
        "*",
        "//x",
      ),
      fc.string({ maxLength: 40 }).map((s) => `/${encodeURI(s)}`),
      fc.string({ maxLength: 20 }).map((s) => `/api/${s.replace(/[\s\r\n]/g, "")}`),
    );
    const request = fc
      .record({
        method: fc.constantFrom("GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "G\u00e9T", "OPTIONS"),
        path: paths,
        host: fc.constantFrom(`127.0.0.1:${server.port}`, `localhost:${server.port}`, "evil.example", "", "127.0.0.1"),
        withCookie: fc.boolean(),
        withCsrf: fc.boolean(),
        body: fc.oneof(fc.constant(""), fc.constant("{"), fc.constant('{"sql": 1}'), fc.string({ maxLength: 200 })),
      })
      .map(({ method, path, host, withCookie, withCsrf, body }) => {
        const headers = [`${method} ${path} HTTP/1.1`, `host: ${host}`, "connection: close", `content-length: ${Buffer.byteLength(body)}`];
        if (withCookie) headers.push(`cookie: ${cookie}`);
        if (withCsrf) headers.push(`x-csrf-token: ${csrf}`);
        return `${headers.join("\r\n")}\r\n\r\n${body}`;
      });
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          request,
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        ),
        async (bytes) => {
          const answer = await sendRaw(server.port, bytes, 1500);
          statuses.push(answer.status);
        },
      ),
      { numRuns: Number(process.env.CAIRN_FUZZ_RUNS ?? 120) },
    );
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect((await fetch(`${base}/api/services`, { headers: { cookie } })).status).toBe(200);
    expect(session.runner.parts.supervisor?.replicas("web").length).toBe(1);
  }, 120_000);
});
