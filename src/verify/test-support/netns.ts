/**
 * A throwaway host for tests: a network namespace of its own joined to this machine by a veth pair,
 * on a /24 guarded by an `unreachable` route, so nothing sent to it ever leaves the machine. Needs root.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { connect } from "node:net";

export interface TestHost {
  /** The namespace's name, for `ip netns exec`. */
  readonly ns: string;
  /** The host's address inside the namespace. */
  readonly address: string;
  /** This machine's address on the link (where the host reaches the test's own servers). */
  readonly gateway: string;
  /** Starts a long-running process inside the namespace. */
  start(command: string, args: readonly string[]): ChildProcess;
  /** Stops what was started, removes the namespace and the guard route. */
  close(): Promise<void>;
}

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: ["ignore", "pipe", "pipe"] }).toString();

/** A free 10.234.N.0/24: one that no address or route of this machine uses. */
function freeSubnet(): string {
  const used = ip("-4", "addr") + ip("-4", "route");
  for (let i = 0; i < 250; i++) {
    const n = 20 + ((process.pid + i) % 230);
    const net = `10.234.${n}`;
    if (!used.includes(`${net}.`)) return net;
  }
  throw new Error("no free 10.234.N.0/24 for a test host");
}

export async function createTestHost(): Promise<TestHost> {
  const net = freeSubnet();
  const id = `${process.pid % 100000}`;
  const ns = `cairn-verify-${id}`;
  const outside = `cvo${id}`;
  const inside = `cvi${id}`;
  const children: ChildProcess[] = [];
  ip("route", "replace", "unreachable", `${net}.0/24`, "metric", "4000");
  ip("netns", "add", ns);
  ip("link", "add", outside, "type", "veth", "peer", "name", inside);
  ip("link", "set", inside, "netns", ns);
  ip("addr", "add", `${net}.1/24`, "dev", outside);
  ip("link", "set", outside, "up");
  ip("netns", "exec", ns, "ip", "addr", "add", `${net}.2/24`, "dev", inside);
  ip("netns", "exec", ns, "ip", "link", "set", inside, "up");
  ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
  let closed = false;
  return {
    ns,
    address: `${net}.2`,
    gateway: `${net}.1`,
    start(command, args) {
      const child = spawn("ip", ["netns", "exec", ns, command, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      children.push(child);
      return child;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((done) => {
              if (c.exitCode !== null || c.signalCode !== null) return done();
              c.once("exit", () => done());
              c.kill("SIGTERM");
            }),
        ),
      );
      try {
        ip("netns", "del", ns);
      } finally {
        ip("route", "del", "unreachable", `${net}.0/24`, "metric", "4000");
      }
    },
  };
}

/** Resolves once `address:port` accepts a TCP connection (or rejects after `timeoutMs`). */
export async function waitForPort(address: string, port: number, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect({ host: address, port });
      socket.once("connect", () => {
        socket.destroy();
        done(true);
      });
      socket.once("error", () => done(false));
    });
    if (open) return;
    if (Date.now() > end) throw new Error(`${address}:${port} did not open within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
