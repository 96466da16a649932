/** The gateway: one HTTP server on the edge port, the plan of the current stack, a pool per service. */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { performance } from "node:perf_hooks";
import type { Duplex } from "node:stream";
import type { Stack } from "../../model/types.js";
import { type GuardOptions, guard, guardClientErrors, guardConnection } from "../http/guard.js";
import type { RequestTrace } from "../telemetry/telemetry.js";
import { formatTraceparent } from "../telemetry/traceparent.js";
import { AccessLog } from "./access-log.js";
import { hostProblem } from "./admit.js";
import { allowList } from "./allow.js";
import { sendProblem } from "./answers.js";
import { createFastLane, HEAD_TIMEOUT_MS } from "./fast-lane.js";
import { type RequestFacts, scanRequest } from "./headers.js";
import { type CompiledRoute, forwardedUrl, type GatewayPlan, matchRoute, planGateway, serviceRoute } from "./plan.js";
import { Pool } from "./pool.js";
import { type Exchange, forward } from "./proxy.js";
import { RateLimiter, sameRule } from "./rate-limit.js";
import { normalTarget } from "./request-path.js";
import { serveStatic } from "./static-files.js";
import type { Gateway, GatewayOptions, HealthChange, ServiceStatus, TargetSpec } from "./types.js";
import { forwardUpgrade, refuseUpgrade } from "./upgrade.js";

const BAD_PATH = "the path cannot be read (a broken %-escape, a NUL, or `..` above the root)";

/** Creates a gateway for a stack; nothing listens until `start()`. */
export function createGateway(options: GatewayOptions): Gateway {
  const now = options.clock ? () => (options.clock as { now(): number }).now() : Date.now;
  const startupIntervalMs = options.startupIntervalMs ?? 250;
  const listeners = new Set<(change: HealthChange) => void>();
  const changed = (change: HealthChange) => {
    options.onHealthChange?.(change);
    for (const listener of listeners) listener(change);
  };
  let plan: GatewayPlan = planGateway(options.stack);
  let limiter = plan.rateLimit ? new RateLimiter(plan.rateLimit, now) : null;
  let allowed = allowList(options.stack.edge.allow);
  let pools = new Map<string, Pool>();
  for (const service of plan.services.values()) pools.set(service.name, new Pool(service, { now, changed, startupIntervalMs }));
  const log = options.accessLog ? new AccessLog(options.accessLog) : null;
  const tunnels = new Set<Duplex>();
  const facts: RequestFacts = {
    host: undefined,
    hosts: 0,
    requestId: undefined,
    forwardedFor: undefined,
    cookie: undefined,
    contentLength: -1,
    chunked: false,
    accept: undefined,
    traceparent: undefined,
    tracestate: undefined,
  };
  const telemetry = options.telemetry ?? null;
  const idBase = `${now().toString(36)}-`;
  let sequence = 0;
  let inflight = 0;
  let drained: (() => void) | null = null;
  let closing: Promise<void> | null = null;

  /**
   * Adds the X-Forwarded-*, X-Request-Id and trace context headers to the upstream list: with
   * telemetry, a `traceparent` naming the gateway's span (tracestate kept only when the client's
   * traceparent was valid), or none for a request not traced (an invalid one is never passed on);
   * without telemetry, the client's trace headers as they came.
   */
  function forwardedHeaders(headers: string[], route: CompiledRoute, client: string, id: string, trace: RequestTrace | null): void {
    headers.push("x-forwarded-for", facts.forwardedFor ? `${facts.forwardedFor}, ${client}` : client, "x-forwarded-proto", "http", "x-request-id", id);
    if (facts.host !== undefined) headers.push("x-forwarded-host", facts.host);
    if (route.strip) headers.push("x-forwarded-prefix", route.prefix);
    if (trace !== null) {
      headers.push("traceparent", formatTraceparent(trace.traceId, trace.spanId, trace.flags));
      if (trace.parentSpanId !== null && facts.tracestate !== undefined) headers.push("tracestate", facts.tracestate);
    } else if (telemetry === null) {
      if (facts.traceparent !== undefined) headers.push("traceparent", facts.traceparent);
      if (facts.tracestate !== undefined) headers.push("tracestate", facts.tracestate);
    }
  }

  /**
   * Counts a finished request, and lists it among the last requests when telemetry says so (traced or
   * failed): the record is made only then, so a request that is only counted allocates nothing.
   */
  function recordRequest(
    trace: RequestTrace | null,
    id: string,
    method: string,
    path: string,
    status: number,
    durationMs: number,
    route: string | null,
    service: string | null,
    replica: string | null,
    error: string | null,
  ): void {
    if (telemetry === null || !telemetry.count(route, service, status, durationMs, trace !== null, error)) return;
    telemetry.list({
      start: now() - durationMs,
      durationMs,
      id,
      method,
      path,
      status,
      route,
      service,
      replica,
      error,
      traceId: trace?.traceId ?? null,
      spanId: trace?.spanId ?? null,
      parentSpanId: trace?.parentSpanId ?? null,
    });
  }

  /** Serves one request; the lane passes the route it already matched. */
  function handle(req: IncomingMessage, res: ServerResponse, matched?: CompiledRoute): void {
    const started = performance.now();
    const headers: string[] = [];
    scanRequest(req.rawHeaders, headers, facts);
    const id = facts.requestId ?? idBase + (++sequence).toString(36);
    const client = req.socket.remoteAddress ?? "";
    const url = req.url ?? "/";
    let service: string | null = null;
    let routeLabel: string | null = null;
    let ex: Exchange | null = null;
    let error: string | null = null;
    const trace = telemetry === null ? null : telemetry.trace(facts.traceparent);
    inflight++;
    // A response closes once; `on` spares the wrapper `once` would allocate per request.
    res.on("close", () => {
      inflight--;
      if (ex?.cancel) ex.cancel();
      const duration = performance.now() - started;
      const replica = ex?.target?.id ?? null;
      const failure = ex?.error ?? error ?? (res.writableFinished ? null : "connection closed before the response ended");
      // A client that left before any answer was sent counts apart (status class "other").
      if (telemetry !== null)
        recordRequest(trace, id, req.method ?? "", url, res.headersSent ? res.statusCode : 0, duration, routeLabel, service, replica, failure);
      if (log !== null)
        log.write({ time: now(), id, client, method: req.method ?? "", path: url, status: res.statusCode, duration, service, target: replica, error: failure });
      if (inflight === 0 && drained !== null) drained();
    });
    const unreadable = hostProblem(facts.hosts, req.httpVersion);
    if (unreadable !== null) {
      error = unreadable;
      sendProblem(req, res, { status: 400, service: null, reason: error, requestId: id, headers: { connection: "close" } });
      return;
    }
    const normal = normalTarget(url);
    if (normal === null) {
      error = BAD_PATH;
      sendProblem(req, res, { status: 400, service: null, reason: error, requestId: id, headers: { connection: "close" } });
      return;
    }
    const route = matched ?? matchRoute(plan.routes, facts.host, normal);
    const internal = route?.internal === true;
    if (!internal && allowed !== null && !allowed.allows(client)) {
      error = `${client} is not in edge.allow (${allowed.blocks.join(", ")})`;
      sendProblem(req, res, { status: 403, service: null, reason: error, requestId: id });
      return;
    }
    if (route === null) {
      error = `no route for ${facts.host ?? ""}${url}`;
      sendProblem(req, res, { status: 404, service: null, reason: error, requestId: id });
      return;
    }
    service = route.to;
    routeLabel = route.label;
    if (limiter !== null && !internal) {
      const wait = limiter.take(client);
      if (wait > 0) {
        error = `rate limit of ${limiter.rule.requests} requests per ${limiter.rule.perMs / 1000} s exceeded by ${client}`;
        sendProblem(req, res, { status: 429, service: null, reason: error, requestId: id, headers: { "retry-after": String(wait) } });
        return;
      }
    }
    const pool = pools.get(route.to);
    if (pool === undefined) {
      const site = plan.statics.get(route.to);
      if (site === undefined) {
        error = "the service has no port, so nothing can answer";
        sendProblem(req, res, { status: 503, service, reason: error, requestId: id });
        return;
      }
      const path = forwardedUrl(route, normal);
      serveStatic(site, req, res, path, id).then(
        (served) => {
          if (served) return;
          error = `no file for ${path}`;
          sendProblem(req, res, { status: 404, service, reason: error, requestId: id });
        },
        (failure: Error) => {
          error = failure.message;
          sendProblem(req, res, { status: 500, service, reason: error, requestId: id });
        },
      );
      return;
    }
    const maxBody = pool.plan.maxBodyBytes;
    if (facts.contentLength > maxBody) {
      error = `request body of ${facts.contentLength} bytes is over the limit of ${maxBody}`;
      sendProblem(req, res, { status: 413, service, reason: error, requestId: id, headers: { connection: "close" } });
      return;
    }
    forwardedHeaders(headers, route, client, id, trace);
    ex = {
      req,
      res,
      id,
      pool,
      // As nginx: the path as received, or its normal form when the route rewrites it (strips a prefix).
      path: forwardedUrl(route, route.strip ? normal : url),
      headers,
      hasBody: facts.contentLength > 0 || facts.chunked,
      chunked: facts.chunked,
      maxBody,
      cookie: facts.cookie,
      target: null,
      error: null,
      attempts: 0,
      stickyCookie: null,
      cancel: null,
    };
    forward(ex);
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, matched?: CompiledRoute): void {
    const started = performance.now();
    socket.on("error", () => socket.destroy());
    const headers: string[] = [];
    scanRequest(req.rawHeaders, headers, facts);
    const id = facts.requestId ?? idBase + (++sequence).toString(36);
    const client = req.socket.remoteAddress ?? "";
    const url = req.url ?? "/";
    const trace = telemetry === null ? null : telemetry.trace(facts.traceparent);
    let routeLabel: string | null = null;
    const logged = (status: number, service: string | null, target: string | null, error: string | null) => {
      const duration = performance.now() - started;
      log?.write({ time: now(), id, client, method: req.method ?? "", path: url, status, duration, service, target, error });
      recordRequest(trace, id, req.method ?? "", url, status, duration, routeLabel, service, target, error);
    };
    const normal = normalTarget(url);
    const route = normal === null ? null : (matched ?? matchRoute(plan.routes, facts.host, normal));
    const internal = route?.internal === true;
    const pool = route ? pools.get(route.to) : undefined;
    routeLabel = route?.label ?? null;
    const refuse = (status: number, reason: string, extra?: Record<string, string>) => {
      refuseUpgrade(socket, req, { status, service: route?.to ?? null, reason, requestId: id, headers: extra });
      logged(status, route?.to ?? null, null, reason);
    };
    const wait = route && !internal && pool?.plan.websockets ? (limiter?.take(client) ?? 0) : 0;
    const unreadable = hostProblem(facts.hosts, req.httpVersion);
    if (unreadable !== null) refuse(400, unreadable);
    else if (normal === null) refuse(400, BAD_PATH);
    else if (!internal && allowed !== null && !allowed.allows(client)) refuse(403, `${client} is not in edge.allow (${allowed.blocks.join(", ")})`);
    else if (route === null) refuse(404, `no route for ${facts.host ?? ""}${url}`);
    else if (pool === undefined) refuse(426, "WebSockets go to services, not static sites");
    else if (!pool.plan.websockets) refuse(426, "the service does not accept WebSockets (set `websockets: true` on it)");
    else if (wait > 0) refuse(429, "rate limit exceeded", { "retry-after": String(wait) });
    else {
      forwardedHeaders(headers, route, client, id, trace);
      forwardUpgrade({
        req,
        socket,
        head,
        id,
        pool,
        path: forwardedUrl(route, route.strip ? normal : url),
        headers,
        cookie: facts.cookie,
        tunnels,
        done: (status, target, error) => logged(status, pool.name, target?.id ?? null, error),
      });
    }
  }

  // Every request runs under the one guard: a throw answers that request (400 or 500, with an id) and is reported.
  const guardOptions: GuardOptions = {
    name: "gateway",
    onError: options.onError,
    // The cause goes to the log (onError), not to the client.
    answer: (res, status, requestId, _error, req) => {
      const reason = status === 400 ? "the request could not be read" : "internal error in the gateway (the cairn up log has the cause)";
      sendProblem(req, res, { status, service: null, reason, requestId, headers: { connection: "close" } });
    },
  };
  const guarded = guard(handle, guardOptions);
  const guardedUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, matched?: CompiledRoute) =>
    guardConnection(socket as Socket, upgrade, {
      name: "gateway",
      onError: options.onError,
      answer: (out, requestId) => refuseUpgrade(out, req, { status: 500, service: null, reason: "internal error", requestId }),
    })(req, socket, head, matched);

  // The head deadline of the lane, and node:http's for the connections it takes over (checked that often).
  const headTimeoutMs = options.headTimeoutMs ?? HEAD_TIMEOUT_MS;
  const serverOptions: http.ServerOptions = {
    keepAliveTimeout: 65_000,
    headersTimeout: headTimeoutMs,
    requestTimeout: Math.max(300_000, headTimeoutMs),
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(headTimeoutMs / 4))),
  };
  const server = http.createServer(serverOptions, guarded);
  server.on("upgrade", guardedUpgrade);
  guardClientErrors(server);

  // Bodyless requests to services take the lean lane; the rest is handed to `server`.
  const lane = createFastLane({
    route: (_method, url, host) => {
      const normal = normalTarget(url);
      const route = normal === null ? null : matchRoute(plan.routes, host, normal);
      return route !== null && pools.has(route.to) ? route : null;
    },
    handle: guarded,
    fallback: server,
    headTimeoutMs,
    onError: options.onError,
  });
  const listener = lane.server;

  /** The services' own addresses (see `listenService`), by service. */
  const own = new Map<string, { lane: ReturnType<typeof createFastLane>; server: http.Server }>();

  function listenService(service: string, port: number): Promise<number> {
    if (!pools.has(service)) return Promise.reject(new Error(`service "${service}" has no port in the stack, so it has no address`));
    const route = serviceRoute(service);
    const server = http.createServer(serverOptions, (req, res) => guarded(req, res, route));
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => guardedUpgrade(req, socket, head, route));
    guardClientErrors(server);
    const serviceLane = createFastLane({ route: () => route, handle: guarded, fallback: server, headTimeoutMs, onError: options.onError });
    own.get(service)?.lane.server.close();
    own.set(service, { lane: serviceLane, server });
    return new Promise((resolve, reject) => {
      serviceLane.server.once("error", reject);
      serviceLane.server.listen(port, options.host ?? "127.0.0.1", () => {
        serviceLane.server.off("error", reject);
        resolve((serviceLane.server.address() as AddressInfo).port);
      });
    });
  }

  function waitHealthy(service: string, target: string, timeoutMs = 30_000): Promise<void> {
    const pool = pools.get(service);
    if (pool === undefined) return Promise.reject(new Error(`service "${service}" has no port, so the gateway does not check it`));
    if (pool.healthyById(target)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        const last = pool.status().find((t) => t.id === target)?.lastError;
        reject(new Error(`replica ${target} of "${service}" not healthy within ${timeoutMs} ms${last ? `: ${last}` : ""}`));
      }, timeoutMs);
      const stop = gateway.onHealthChange((change) => {
        if (change.service === service && change.target === target && change.healthy) {
          clearTimeout(timer);
          stop();
          resolve();
        }
      });
    });
  }

  const gateway: Gateway = {
    async start() {
      log?.open();
      await new Promise<void>((resolve, reject) => {
        listener.once("error", reject);
        listener.listen(options.port, options.host ?? "127.0.0.1", () => {
          listener.off("error", reject);
          resolve();
        });
      });
      return { port: (listener.address() as AddressInfo).port };
    },

    close() {
      closing ??= (async () => {
        const listening = listener.listening;
        const stopped = new Promise<void>((resolve) => listener.close(() => resolve()));
        server.close();
        lane.closeConnections(false);
        server.closeIdleConnections();
        for (const address of own.values()) {
          address.lane.server.close();
          address.server.close();
          address.lane.closeConnections(false);
          address.server.closeIdleConnections();
        }
        if (inflight > 0)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.drainMs ?? 10_000);
            drained = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        lane.closeConnections(true);
        server.closeAllConnections();
        for (const address of own.values()) {
          address.lane.closeConnections(true);
          address.server.closeAllConnections();
        }
        for (const socket of tunnels) socket.destroy();
        for (const pool of pools.values()) pool.close(true);
        if (listening) await stopped;
        await log?.close();
      })();
      return closing;
    },

    listenService,

    setTargets(service: string, targets: readonly TargetSpec[]) {
      const pool = pools.get(service);
      if (pool === undefined) throw new Error(`service "${service}" has no port in the stack, so the gateway cannot route to it`);
      pool.setTargets(targets);
    },

    reload(stack: Stack) {
      const next = planGateway(stack);
      const nextPools = new Map<string, Pool>();
      for (const service of next.services.values()) {
        const pool = pools.get(service.name) ?? new Pool(service, { now, changed, startupIntervalMs });
        pool.setPlan(service);
        nextPools.set(service.name, pool);
      }
      // Requests in flight keep their pool and target; only new requests see the new plan.
      for (const [name, pool] of pools) if (!nextPools.has(name)) pool.close();
      for (const [name, address] of own)
        if (!nextPools.has(name)) {
          address.lane.server.close();
          address.lane.closeConnections(false);
          address.server.close();
          own.delete(name);
        }
      pools = nextPools;
      if (!sameRule(plan.rateLimit, next.rateLimit)) limiter = next.rateLimit ? new RateLimiter(next.rateLimit, now) : null;
      allowed = allowList(stack.edge.allow);
      plan = next;
    },

    status(): ServiceStatus[] {
      return [...pools.values()].map((pool) => ({ service: pool.name, targets: pool.status() }));
    },

    onHealthChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    waitHealthy,
  };
  return gateway;
}
