/**
 * Keeps children from outliving `cairn up`, even when it is killed with SIGKILL. A tiny separate
 * process holds a pipe from the runner; each child's process group is announced on it. When the
 * pipe closes (the runner exited, however it exited), the watchdog sends SIGTERM to every group
 * still registered, then SIGKILL after a short delay, and exits.
 */
import { type ChildProcess, spawn } from "node:child_process";

/** The watchdog's code, run with `node -e` so it needs no file on disk and starts fast. */
const SCRIPT = `
const groups = new Set();
let buffer = "";
for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(s, () => {});
const send = (sig) => { for (const g of groups) { try { process.kill(g, sig); } catch {} } };
process.stdin.on("data", (chunk) => {
  buffer += chunk;
  let i;
  while ((i = buffer.indexOf("\\n")) >= 0) {
    const line = buffer.slice(0, i); buffer = buffer.slice(i + 1);
    const id = Number(line.slice(1));
    if (!Number.isInteger(id) || id === 0) continue;
    if (line[0] === "+") groups.add(id); else if (line[0] === "-") groups.delete(id);
  }
});
const finish = () => {
  if (groups.size === 0) process.exit(0);
  send("SIGTERM");
  setTimeout(() => { send("SIGKILL"); process.exit(0); }, Number(process.argv[1]) || 3000);
};
process.stdin.on("end", finish);
process.stdin.on("error", finish);
`;

/** A running watchdog; `watch`/`unwatch` take a process id: negative for a whole group. */
export interface Watchdog {
  readonly pid: number | null;
  watch(id: number): void;
  unwatch(id: number): void;
  /** Closes the pipe without killing anything registered (everything was stopped cleanly). */
  close(): void;
}

/** Starts the watchdog in its own process group, so a Ctrl-C on the terminal does not reach it. */
export function startWatchdog(killDelayMs = 3000): Watchdog {
  const child: ChildProcess = spawn(process.execPath, ["-e", SCRIPT, String(killDelayMs)], {
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
    env: {},
  });
  child.unref();
  const stdin = child.stdin;
  (stdin as unknown as { unref?: () => void } | null)?.unref?.();
  stdin?.on("error", () => {});
  let closed = false;
  const write = (line: string) => {
    if (!closed && stdin?.writable) stdin.write(`${line}\n`);
  };
  return {
    pid: child.pid ?? null,
    watch: (id) => write(`+${id}`),
    unwatch: (id) => write(`-${id}`),
    close: () => {
      if (closed) return;
      closed = true;
      stdin?.end();
    },
  };
}
