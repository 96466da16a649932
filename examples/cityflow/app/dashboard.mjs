#!/usr/bin/env node
/**
 * CityFlow dashboard: serves a page of charts and a table over the API's metrics, and pushes a message
 * over a WebSocket (`live`) whenever the metrics change, so open pages refresh by themselves.
 *
 *   GET /            the page (links are relative, so it works at the root or under BASE_PATH)
 *   GET /healthz     {"status":"ok"}
 *   GET /data        every metric and report, read from the API at API_URL
 *   GET /reports/:d  one report's CSV, through the API
 *   WS  /live        {"event":"metrics"} when something changed
 *
 * Reads API_URL, PORT and BASE_PATH, and the OpenTelemetry variables: with OTEL_EXPORTER_OTLP_ENDPOINT
 * set, each request but /healthz is a server span and each call to the API a client span whose
 * `traceparent` the API continues (lib/tracing.mjs, lib/traced.mjs).
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { WebSocketServer } from "ws";
import { basePath, ConfigError, intEnv, requireEnv } from "./lib/config.mjs";
import { accessLog, isMain, localPath, sendJson, serve } from "./lib/http.mjs";
import { METRIC_TYPES } from "./lib/metrics.mjs";
import { endWithResponse, tracedFetch } from "./lib/traced.mjs";
import { createTracer, NO_SPAN } from "./lib/tracing.mjs";

const ASSETS = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/assets/dashboard.js": ["dashboard.js", "text/javascript; charset=utf-8"],
  "/assets/dashboard.css": ["dashboard.css", "text/css; charset=utf-8"],
};
const POLL_MS = 3000;

/** Reads the API: every metric of every type and the list of reports (a client span per call). */
async function readAll(apiUrl, tracer) {
  const get = async (path) => {
    const res = await tracedFetch(tracer, new URL(path, apiUrl), { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const [reports, ...types] = await Promise.all([get("reports"), ...METRIC_TYPES.map((t) => get(`metrics/${t}`))]);
  return { types: Object.fromEntries(types.map((t) => [t.metric_type, t.metrics])), reports: reports.reports };
}

/** What changes when the processor writes: the count and latest update time of each type, and the reports. */
function signature(data) {
  const parts = METRIC_TYPES.map((t) => {
    const items = data.types[t] ?? [];
    const latest =
      items
        .map((i) => i.updated_at ?? "")
        .sort()
        .at(-1) ?? "";
    return `${t}:${items.length}:${latest}`;
  });
  return `${parts.join("|")}|reports:${data.reports.length}`;
}

/** Builds the dashboard server; `start()` is left to the caller (tests listen on port 0). */
export function createDashboard({
  apiUrl,
  base = "",
  pollMs = POLL_MS,
  publicDir = new URL("./public/", import.meta.url),
  tracer = createTracer({ env: {} }),
}) {
  const api = apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`;
  const assets = Object.fromEntries(Object.entries(ASSETS).map(([path, [file, type]]) => [path, [readFileSync(new URL(file, publicDir)), type]]));
  const server = createServer((req, res) => {
    let path = null;
    try {
      path = localPath(req.url, base);
    } catch {
      // Not a path (`//`, `http://[`): answered 400 below.
    }
    const span = path === "/healthz" ? NO_SPAN : tracer.server(req);
    accessLog("dashboard", req, res, span);
    endWithResponse(span, res);
    return tracer.run(span, () => answer(req, res, span, path));
  });

  async function answer(req, res, span, path) {
    if (path === null) return sendJson(res, 400, { error: "the request target is not a path" });
    span.rename(`${req.method} ${path.startsWith("/reports/") ? "/reports/:date" : path}`);
    if (base && new URL(req.url, "http://x").pathname === base) {
      res.writeHead(301, { location: `${base}/` }).end(); // relative links need the trailing slash
      return;
    }
    try {
      if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
      if (path === "/data") return sendJson(res, 200, await readAll(api, tracer));
      const report = path.match(/^\/reports\/(\d{4}-\d{2}-\d{2})$/);
      if (report) {
        const upstream = await tracedFetch(tracer, new URL(`reports/${report[1]}`, api), { signal: AbortSignal.timeout(10_000) });
        res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "text/plain" });
        return res.end(Buffer.from(await upstream.arrayBuffer()));
      }
      const asset = assets[path];
      if (asset) {
        res.writeHead(200, { "content-type": asset[1], "content-length": asset[0].length, "cache-control": "no-cache" });
        return res.end(req.method === "HEAD" ? undefined : asset[0]);
      }
      sendJson(res, 404, { error: `no page ${path}` });
    } catch (error) {
      process.stdout.write(`dashboard: API error on ${req.url}: ${error?.message ?? error}\n`);
      sendJson(res, 502, { error: `the API at ${apiUrl} did not answer: ${error?.message ?? error}` });
    }
  }

  // Live updates: poll the API only while someone watches, push when the signature changes.
  const sockets = new WebSocketServer({ noServer: true });
  let last = null;
  let timer = null;
  const poll = async () => {
    // One trace per poll, so its calls to the API show together.
    const span = tracer.start("poll the API for changes");
    try {
      const now = signature(await tracer.run(span, () => readAll(api, tracer)));
      if (last !== null && now !== last) for (const ws of sockets.clients) ws.send(JSON.stringify({ event: "metrics", signature: now }));
      last = now;
    } catch (error) {
      // The API may be restarting; the next poll tries again.
      span.fail(error?.message ?? error);
    } finally {
      span.end();
    }
    for (const ws of sockets.clients) ws.ping();
  };
  server.on("upgrade", (req, socket, head) => {
    if (localPath(req.url, base) !== "/live") return socket.destroy();
    sockets.handleUpgrade(req, socket, head, (ws) => {
      ws.send(JSON.stringify({ event: "hello" }));
      if (timer === null) {
        timer = setInterval(poll, pollMs);
        poll();
      }
      ws.on("close", () => {
        if (sockets.clients.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
          last = null;
        }
      });
    });
  });
  return {
    server,
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
    },
  };
}

if (isMain(import.meta.url)) {
  try {
    const { API_URL } = requireEnv(["API_URL"]);
    const port = intEnv("PORT", 8501, { allowZero: true });
    const tracer = createTracer({ service: "dashboard" });
    const dashboard = createDashboard({ apiUrl: API_URL, base: basePath(), tracer });
    serve("dashboard", dashboard.server, port, async () => {
      await dashboard.close();
      await tracer.close();
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`dashboard: error: ${error.message}\n`);
    process.exitCode = 2;
  }
}
