/**
 * The port check of one host: a TCP connect to each port, all at once, each with a short timeout
 * (a firewall that drops packets answers nothing, which counts as closed).
 */
import { connect } from "node:net";
import type { CheckStatus, PortExpectations } from "./types.js";

export type PortState = "open" | "closed" | "filtered" | "unreachable";

/** The state of one TCP port. */
export function probePort(address: string, port: number, timeoutMs: number): Promise<PortState> {
  return new Promise((done) => {
    const socket = connect({ host: address, port });
    const finish = (state: PortState) => {
      clearTimeout(timer);
      socket.destroy();
      done(state);
    };
    const timer = setTimeout(() => finish("filtered"), timeoutMs);
    socket.once("connect", () => finish("open"));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      finish(error.code === "ECONNREFUSED" ? "closed" : error.code === "EHOSTUNREACH" || error.code === "ENETUNREACH" ? "unreachable" : "filtered"),
    );
  });
}

const list = (ports: readonly number[]) => ports.join(", ");

/** The verdict on a host's ports. Pure. */
export function judgePorts(expected: PortExpectations, states: ReadonlyMap<number, PortState>): { status: CheckStatus; detail: string } {
  const state = (p: number) => states.get(p) ?? "filtered";
  if ([...states.values()].every((s) => s === "unreachable")) return { status: "fail", detail: "host unreachable" };
  const missing = expected.open.filter((p) => state(p) !== "open");
  const exposed = expected.closed.filter((p) => state(p) === "open");
  const parts: string[] = [];
  if (exposed.length) parts.push(`open but not declared: ${list(exposed)}`);
  if (missing.length) parts.push(`declared but not reachable: ${list(missing)}`);
  const open = expected.open.filter((p) => state(p) === "open");
  if (open.length) parts.push(`open ${list(open)}`);
  for (const rule of expected.allowed) parts.push(`${rule.port} ${state(rule.port) === "open" ? "open" : "closed"} here (from ${rule.from.join(", ")})`);
  parts.push(`${expected.closed.length - exposed.length} others closed`);
  return { status: exposed.length || missing.length ? "fail" : "pass", detail: parts.join("; ") };
}
