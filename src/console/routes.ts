/** The console's routes: pages, assets, the JSON API, the event stream and the actions. */
import { createReadStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Stack } from "../model/types.js";
import { snapshot } from "../runtime/stack-runner/snapshot.js";
import { ASSET_TYPES, readAsset } from "./assets.js";
import type { ConsoleSession } from "./auth.js";
import type { Console, ConsoleSource } from "./console.js";
import { routeData } from "./data/routes.js";
import { ConsoleError, commonHeaders, intParam, sendJson, sendText } from "./http.js";
import { LEVELS, type Level, LOG_CAPACITY } from "./logs.js";
import { metricsView } from "./metrics-view.js";
import { alarmViews, diagramSvg, environmentCosts, worstStates } from "./overview.js";
import { CSP, PAGES, renderPage } from "./page.js";
import { requestsView, tracesView, traceView } from "./telemetry.js";

export interface RouteContext {
  readonly source: ConsoleSource;
  readonly console: Console;
  readonly session: ConsoleSession;
}

const diagrams = new WeakMap<Stack, Promise<string>>();

/** Answers one admitted request; throws a `ConsoleError` for the client's mistakes. */
export async function routeRequest(context: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://console.invalid");
  const method = req.method ?? "GET";
  const path = url.pathname;
  const { runner } = context.source;
  if (method === "GET" || method === "HEAD") {
    const page = PAGES.find((p) => p.path === path);
    if (page) {
      const html = renderPage(page.id, runner.stack.name, runner.stack.environment.name, context.session.csrf);
      return sendText(res, 200, html, "text/html; charset=utf-8", { "content-security-policy": CSP });
    }
    if (path.startsWith("/assets/")) {
      const name = path.slice("/assets/".length);
      const bytes = await readAsset(name);
      if (!bytes) throw new ConsoleError(404, "no such asset");
      res.writeHead(200, commonHeaders({ "content-type": ASSET_TYPES[name] ?? "application/octet-stream", "content-length": bytes.length }));
      res.end(bytes);
      return;
    }
    if (path === "/api/events") {
      context.console.hub.open(res);
      return;
    }
    if (path === "/api/overview") return sendJson(res, 200, await overview(context));
    if (path === "/api/services") return sendJson(res, 200, await services(context));
    if (path === "/api/logs") return sendJson(res, 200, logs(context, url));
    if (path === "/api/jobs") return sendJson(res, 200, await jobs(context));
    if (path === "/api/requests") return sendJson(res, 200, requestsView(context.source, context.console));
    if (path === "/api/traces") return sendJson(res, 200, tracesView(context.source, url.searchParams));
    if (path === "/api/metrics") return sendJson(res, 200, metricsView(context.source));
    const trace = /^\/api\/traces\/([^/]+)$/.exec(path);
    if (trace) return sendJson(res, 200, traceView(context.source, context.console, trace[1] ?? ""));
    const runLog = /^\/api\/runs\/([^/]+)\/log$/.exec(path);
    if (runLog) return sendRunLog(context, decodeURIComponent(runLog[1] ?? ""), res);
  }
  if (path.startsWith("/api/data")) return routeData(context, method, url, req, res);
  if (method === "POST") {
    const action = /^\/api\/replicas\/([^/]+)\/(restart|stop|start)$/.exec(path);
    if (action) return replicaAction(context, decodeURIComponent(action[1] ?? ""), action[2] ?? "", res);
    if (path === "/api/reload") {
      const answer = await context.source.reload();
      return sendJson(res, answer.ok ? 200 : 422, answer);
    }
    const run = /^\/api\/jobs\/([^/]+)\/run$/.exec(path);
    if (run) return runJob(context, decodeURIComponent(run[1] ?? ""), res);
  }
  throw new ConsoleError(PAGES.some((p) => p.path === path) ? 405 : 404, `no ${method} ${path.slice(0, 100)} here`);
}

async function overview(context: RouteContext) {
  const { runner } = context.source;
  const stack = runner.stack;
  let svg = diagrams.get(stack);
  if (!svg) {
    svg = diagramSvg(stack);
    diagrams.set(stack, svg);
  }
  const report = await snapshot(runner);
  return {
    stack: stack.name,
    environment: stack.environment.name,
    url: runner.url,
    diagram: await svg.catch((error: Error) => `<p>the diagram could not be drawn: ${error.message}</p>`),
    costs: await environmentCosts(stack.file, stack.root),
    alarms: alarmViews(stack, worstStates(report.alarms ?? [])),
    services: report.services.map((s) => ({ name: s.name, states: s.replicas.map((r) => r.state) })),
    resources: report.resources,
    jobs: report.jobs.map((j) => ({ name: j.name, running: j.running, last: j.lastRun?.status ?? null })),
    problems: report.problems,
  };
}

async function services(context: RouteContext) {
  const report = await snapshot(context.source.runner);
  const { history } = context.console;
  return {
    ...report,
    services: report.services.map((s) => ({
      ...s,
      replicas: s.replicas.map((r) => ({ ...r, samples: history.samplesOf(r.id), changes: history.changesOf(r.id) })),
    })),
  };
}

function logs(context: RouteContext, url: URL) {
  const level = url.searchParams.get("level") || undefined;
  if (level !== undefined && !(LEVELS as readonly string[]).includes(level)) throw new ConsoleError(400, `level must be one of ${LEVELS.join(", ")}`);
  const store = context.console.logs;
  return {
    capacity: LOG_CAPACITY,
    services: store.services(),
    lines: store.query({
      service: url.searchParams.get("service") || undefined,
      level: level as Level | undefined,
      text: url.searchParams.get("text")?.slice(0, 200) || undefined,
      limit: intParam(url, "limit", 500, LOG_CAPACITY),
    }),
  };
}

async function jobs(context: RouteContext) {
  const report = await snapshot(context.source.runner);
  const { history } = context.console;
  for (const job of report.jobs) if (job.lastRun) history.run(job.name, job.lastRun);
  return { jobs: report.jobs.map((j) => ({ ...j, runs: history.runsOf(j.name) })) };
}

/** Serves a run's log: only a run the console knows, so no path is taken from the request. */
function sendRunLog(context: RouteContext, id: string, res: ServerResponse): void {
  const { scheduler } = context.source.runner.parts;
  const known = [...(scheduler?.snapshot() ?? []).flatMap((j) => [...(j.lastRun ? [j.lastRun] : []), ...context.console.history.runsOf(j.name)])];
  const run = known.find((r) => r.id === id);
  if (!run) throw new ConsoleError(404, `no run ${id.slice(0, 100)}`);
  const stream = createReadStream(run.log);
  stream.once("error", () => {
    if (!res.headersSent) sendJson(res, 404, { error: "the run's log is gone" });
    else res.destroy();
  });
  stream.once("open", () => {
    res.writeHead(200, commonHeaders({ "content-type": "text/plain; charset=utf-8" }));
    stream.pipe(res);
  });
}

async function replicaAction(context: RouteContext, id: string, action: string, res: ServerResponse): Promise<void> {
  const { runner } = context.source;
  const replica = runner.parts.supervisor?.replicaById(id);
  if (!replica) throw new ConsoleError(404, `no replica ${id.slice(0, 100)}`);
  runner.note(`console: ${action} ${id}`);
  if (action === "stop") await replica.stop();
  else if (action === "restart") await replica.restart();
  else if (!replica.resume()) throw new ConsoleError(409, `${id} is not stopped`);
  void context.console.sample().catch(() => {});
  sendJson(res, 200, { ok: true, replica: replica.snapshot() });
}

function runJob(context: RouteContext, name: string, res: ServerResponse): void {
  const { runner } = context.source;
  if (!runner.stack.jobs.some((j) => j.name === name)) throw new ConsoleError(404, `no job ${name.slice(0, 100)}`);
  runner.note(`console: run ${name} now`);
  void runner.runJob(name, []).catch((error: Error) => runner.note(`job ${name}: ${error.message}`));
  sendJson(res, 202, { ok: true });
}
