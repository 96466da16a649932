/** Running one planned check: the probe's I/O, then the verdict on what it brought back. */
import { judgeRemote } from "./judge-remote.js";
import { get, type ProbeOptions, upgrade } from "./probe-http.js";
import { judgePorts, type PortState, probePort } from "./probe-ports.js";
import { handshake, judgeCertificate } from "./probe-tls.js";
import { parseAnswer, remoteScript } from "./remote-script.js";
import type { RemoteRunner } from "./ssh.js";
import type { CheckResult, CheckStatus, PlannedCheck, Probe } from "./types.js";

export interface RunOptions extends ProbeOptions {
  readonly portTimeoutMs: number;
  readonly now: () => Date;
  readonly remote: RemoteRunner;
}

type Verdict = { status: CheckStatus; detail: string; ms: number | null };

const inRange = (status: number, [low, high]: readonly [number, number]) => status >= low && status <= high;

async function http(probe: Extract<Probe, { kind: "http" }>, options: RunOptions): Promise<Verdict> {
  const outcome = await get(probe.request, options);
  if (!outcome.ok) return { status: "fail", detail: outcome.error, ms: outcome.ms };
  const ok = probe.expect === "any" ? outcome.status < 500 : inRange(outcome.status, probe.expect);
  const expected = probe.expect === "any" ? "" : `, expected ${probe.expect[0]}-${probe.expect[1]}`;
  return { status: ok ? "pass" : "fail", detail: `${outcome.status} in ${outcome.ms} ms${ok ? "" : expected}`, ms: outcome.ms };
}

async function redirect(probe: Extract<Probe, { kind: "redirect" }>, options: RunOptions): Promise<Verdict> {
  const outcome = await get(probe.request, options);
  if (!outcome.ok) return { status: "fail", detail: outcome.error, ms: outcome.ms };
  const location = String(outcome.headers.location ?? "");
  const ok = [301, 302, 307, 308].includes(outcome.status) && location.toLowerCase().startsWith(probe.to.toLowerCase());
  const detail = location ? `${outcome.status} to ${location}` : `${outcome.status}, no redirect`;
  return { status: ok ? "pass" : "fail", detail: ok ? detail : `${detail} (expected a redirect to ${probe.to})`, ms: outcome.ms };
}

async function websocket(probe: Extract<Probe, { kind: "websocket" }>, options: RunOptions): Promise<Verdict> {
  const outcome = await upgrade(probe.request, options);
  if (!outcome.ok) return { status: "fail", detail: outcome.error, ms: outcome.ms };
  if (outcome.accepted) return { status: "pass", detail: `101 upgraded in ${outcome.ms} ms`, ms: outcome.ms };
  const detail = outcome.status === 101 ? "101 with a wrong Sec-WebSocket-Accept" : `${outcome.status}: not upgraded`;
  return { status: "fail", detail, ms: outcome.ms };
}

async function tls(probe: Extract<Probe, { kind: "tls" }>, options: RunOptions): Promise<Verdict> {
  const outcome = await handshake(probe.request, options);
  if (!outcome.ok) return { status: "fail", detail: outcome.error, ms: outcome.ms };
  return { ...judgeCertificate(outcome.facts, probe.request.host, options.now(), probe.warnDays), ms: outcome.ms };
}

async function ports(probe: Extract<Probe, { kind: "ports" }>, options: RunOptions): Promise<Verdict> {
  const started = performance.now();
  const all = [...probe.expected.open, ...probe.expected.allowed.map((a) => a.port), ...probe.expected.closed];
  const states = new Map<number, PortState>(await Promise.all(all.map(async (p) => [p, await probePort(probe.address, p, options.portTimeoutMs)] as const)));
  return { ...judgePorts(probe.expected, states), ms: Math.round(performance.now() - started) };
}

/** Sends requests, a few at a time, until one is refused with 429 or the bound is reached. */
async function rateLimit(probe: Extract<Probe, { kind: "rate-limit" }>, options: RunOptions): Promise<Verdict> {
  const started = performance.now();
  let sent = 0;
  let refusedAt = 0;
  let failure: string | null = null;
  const worker = async () => {
    while (sent < probe.maxRequests && !refusedAt && !failure) {
      sent++;
      const outcome = await get(probe.request, options);
      if (!outcome.ok) failure = outcome.error;
      else if (outcome.status === 429 && !refusedAt) refusedAt = sent;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const ms = Math.round(performance.now() - started);
  if (refusedAt) return { status: "pass", detail: `429 after ${refusedAt} requests (limit ${probe.limit})`, ms };
  if (failure) return { status: "fail", detail: `${failure} after ${sent} requests`, ms };
  return { status: "fail", detail: `no 429 after ${sent} requests (limit ${probe.limit})`, ms };
}

/** Runs one check; a host's SSH check gives one result per unit, timer, disk and health path. */
export async function runCheck(check: PlannedCheck, options: RunOptions): Promise<CheckResult[]> {
  const probe = check.probe;
  if (probe.kind === "remote") {
    const run = await options.remote(probe.host, remoteScript(probe.expected));
    return judgeRemote(probe.host, probe.expected, run, parseAnswer(run.stdout), options.now());
  }
  const verdict =
    probe.kind === "http"
      ? await http(probe, options)
      : probe.kind === "redirect"
        ? await redirect(probe, options)
        : probe.kind === "websocket"
          ? await websocket(probe, options)
          : probe.kind === "tls"
            ? await tls(probe, options)
            : probe.kind === "ports"
              ? await ports(probe, options)
              : await rateLimit(probe, options);
  return [{ kind: check.kind, target: check.target, service: check.service, ...verdict }];
}
