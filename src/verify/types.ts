/**
 * `cairn verify` as data: the checks planned from the model (what to probe, what to expect) and the
 * results the probes bring back. Planning is pure; only running a probe touches the network.
 */

export type CheckKind = "route" | "health" | "tls" | "redirect" | "websocket" | "ports" | "ssh" | "unit" | "timer" | "disk" | "rate-limit";

export type CheckStatus = "pass" | "warn" | "fail" | "skip";

/** A host of the environment, reached over SSH and probed for its open ports. */
export interface VerifyHost {
  /** As written in `hosts:` (or given), such as `deploy@203.0.113.10:2222`. */
  readonly source: string;
  readonly user: string;
  /** Address or name. */
  readonly host: string;
  /** SSH port. */
  readonly port: number;
}

/** Where a request goes: the address to connect to and its port; the host name travels in Host and SNI. */
export interface Entrance {
  readonly scheme: "http" | "https";
  /** Address or name to connect to; null to connect to the request's own host name (DNS). */
  readonly connect: string | null;
  readonly port: number;
  /** Shown beside a check when there are several entrances (one per host without a domain). */
  readonly label: string | null;
}

/** An HTTP request and the answer it expects. */
export interface HttpRequest {
  readonly entrance: Entrance;
  /** Host header and TLS server name. */
  readonly host: string;
  readonly path: string;
}

export type Probe =
  /** `any`: any answer below 500 (the route reaches something that answers); else an inclusive status range. */
  | { readonly kind: "http"; readonly request: HttpRequest; readonly expect: "any" | readonly [number, number] }
  | { readonly kind: "tls"; readonly request: HttpRequest; readonly warnDays: number }
  | { readonly kind: "redirect"; readonly request: HttpRequest; readonly to: string }
  | { readonly kind: "websocket"; readonly request: HttpRequest }
  | { readonly kind: "ports"; readonly address: string; readonly expected: PortExpectations }
  | { readonly kind: "remote"; readonly host: VerifyHost; readonly expected: RemoteExpectations }
  | { readonly kind: "rate-limit"; readonly request: HttpRequest; readonly limit: number; readonly maxRequests: number };

/** Ports of one host: those that must answer, those the file allows from some addresses only, the rest probed closed. */
export interface PortExpectations {
  readonly open: readonly number[];
  /** Open to some sources only (`from:` a CIDR): either state is fine from here. */
  readonly allowed: readonly { readonly port: number; readonly from: readonly string[] }[];
  readonly closed: readonly number[];
}

/** What the host should have: units and timers of the stack, health paths no route exposes, free disk. */
export interface RemoteExpectations {
  /** Service units as a pattern (`cityflow-api@*.service`) with the replicas expected active. */
  readonly services: readonly { readonly name: string; readonly pattern: string; readonly replicas: number }[];
  readonly timers: readonly { readonly name: string; readonly unit: string }[];
  /**
   * Health checks run on the host itself, one per replica: on its own loopback port or on its spare
   * one (a deploy starts each new release on the port the old one does not use), whichever serves.
   */
  readonly health: readonly {
    readonly service: string;
    readonly ports: readonly number[];
    readonly path: string;
    readonly status: readonly [number, number];
  }[];
  /** Folders whose file systems' free space is checked. */
  readonly disks: readonly string[];
}

/** One planned check: its kind, what it is about (shown), and the probe that answers it. */
export interface PlannedCheck {
  readonly kind: CheckKind;
  readonly target: string;
  /** The service it is about, when one. */
  readonly service: string | null;
  readonly probe: Probe;
}

/** The outcome of one check. */
export interface CheckResult {
  readonly kind: CheckKind;
  /** What was checked: a URL, a host, a unit. */
  readonly target: string;
  /** The service it is about, when one. */
  readonly service: string | null;
  readonly status: CheckStatus;
  /** The finding in a few words: `200 in 12 ms`, `expires in 85 days`. */
  readonly detail: string;
  /** Time the probe took, when it ran. */
  readonly ms: number | null;
}

export interface VerifyReport {
  readonly stack: string;
  readonly environment: string;
  /** Where the probes went, as shown. */
  readonly address: string;
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
  readonly counts: Readonly<Record<CheckStatus, number>>;
  readonly ms: number;
}
