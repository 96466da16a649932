/**
 * The console's login, as pure decisions over a small table of sessions: a one-time token (printed by
 * `cairn up`) is exchanged for a session cookie (HttpOnly, SameSite=Strict); a state-changing request
 * needs that cookie and the session's CSRF token; a Host that is not loopback is refused (DNS
 * rebinding). Randomness is injected so tests can follow it.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { loopbackHosts } from "./address.js";

export const COOKIE = "cairn_console";

/** Sessions kept at most; the oldest is forgotten first. */
export const MAX_SESSIONS = 64;

export interface ConsoleSession {
  readonly id: string;
  readonly csrf: string;
}

/** What to do with a request before any route sees it. */
export type Admission =
  | { readonly kind: "refuse"; readonly status: 400 | 401 | 403; readonly reason: string }
  | { readonly kind: "login"; readonly session: ConsoleSession; readonly location: string }
  | { readonly kind: "pass"; readonly session: ConsoleSession }
  /** What the stack's processes and a local Prometheus reach without a session: OTLP in, metrics out. */
  | { readonly kind: "machine" };

/** Paths open to local programs (no cookie): `POST /v1/traces`, `/v1/logs` and `/v1/metrics` (OTLP), `GET /metrics` (Prometheus). */
export const MACHINE_PATHS: Readonly<Record<string, string>> = {
  "/v1/traces": "POST",
  "/v1/logs": "POST",
  "/v1/metrics": "POST",
  "/metrics": "GET",
};

export interface AdmitInput {
  readonly method: string;
  readonly url: string;
  readonly host: string | undefined;
  readonly cookie: string | undefined;
  readonly csrf: string | undefined;
  readonly origin: string | undefined;
}

const SAFE = new Set(["GET", "HEAD"]);

/** Compares two secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The value of one cookie in a Cookie header; undefined when absent or malformed. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The Set-Cookie header for a session. */
export function sessionCookie(id: string): string {
  return `${COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The table of sessions and the one-time token that opens the first. */
export class ConsoleAuth {
  private token: string | null;
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(
    readonly port: number,
    private readonly random: (bytes: number) => string = (n) => randomBytes(n).toString("hex"),
  ) {
    this.token = this.random(24);
  }

  /** The token of the next login link; a fresh one once the last was used. */
  issueToken(): string {
    this.token ??= this.random(24);
    return this.token;
  }

  /** A new token for the next login link: the one before, if still unused, no longer logs in. */
  renewToken(): string {
    this.token = this.random(24);
    return this.token;
  }

  /** Decides about one request; a login consumes the token. */
  admit(input: AdmitInput): Admission {
    if (!input.host || !loopbackHosts(this.port).includes(input.host.toLowerCase()))
      return { kind: "refuse", status: 403, reason: "this console answers only at a loopback address (127.0.0.1, localhost or [::1])" };
    let url: URL;
    try {
      url = new URL(input.url, "http://console.invalid");
    } catch {
      return { kind: "refuse", status: 400, reason: "malformed request target" };
    }
    if (MACHINE_PATHS[url.pathname] === input.method) {
      // A browser page elsewhere could post here too: it says where it comes from, an SDK does not.
      if (input.origin !== undefined && !loopbackHosts(this.port).some((h) => input.origin?.toLowerCase() === `http://${h}`))
        return { kind: "refuse", status: 403, reason: "cross-origin request refused" };
      return { kind: "machine" };
    }
    const given = url.searchParams.get("token");
    if (given !== null) {
      if (!this.token || !sameSecret(given, this.token)) return { kind: "refuse", status: 401, reason: "this login link is not valid (it works once)" };
      this.token = null;
      const session = this.open();
      url.searchParams.delete("token");
      return { kind: "login", session, location: `${url.pathname}${url.search}` };
    }
    const id = cookieValue(input.cookie, COOKIE);
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (!session) return { kind: "refuse", status: 401, reason: "open the link `cairn up` printed to log in" };
    if (!SAFE.has(input.method)) {
      if (input.origin !== undefined && !loopbackHosts(this.port).some((h) => input.origin?.toLowerCase() === `http://${h}`))
        return { kind: "refuse", status: 403, reason: "cross-origin request refused" };
      if (!input.csrf || !sameSecret(input.csrf, session.csrf)) return { kind: "refuse", status: 403, reason: "missing or wrong CSRF token" };
    }
    return { kind: "pass", session };
  }

  private open(): ConsoleSession {
    const session = { id: this.random(24), csrf: this.random(24) };
    this.sessions.set(session.id, session);
    while (this.sessions.size > MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    return session;
  }
}
