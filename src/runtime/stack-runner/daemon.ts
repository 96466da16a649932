/**
 * The detached `cairn up -d`: this file runs as its own process, starts the stack, tells its parent
 * (over the IPC channel) when everything is up or what failed, and keeps running until `cairn down`.
 * Its own output goes to `<state>/logs/cairn.log`.
 */
import { hasErrors, loadStack } from "../../load/load.js";
import { StackError } from "./runner.js";
import { Session } from "./session.js";

/** Messages the daemon sends its parent. */
export type DaemonMessage = { type: "ready"; report: unknown; console: string | null } | { type: "failed"; message: string; hint: string | null };

async function main(): Promise<void> {
  const [file = "", env = "", watch = "watch", gateway = "wait"] = process.argv.slice(2);
  const send = (message: DaemonMessage) => (process.send && process.connected ? process.send(message) : false);
  const analysis = await loadStack(file, process.cwd(), { env, lint: false });
  const stack = analysis.stacks.get(env);
  if (hasErrors(analysis) || !stack) {
    send({ type: "failed", message: `${file}: the stack file has errors`, hint: "Run `cairn check` to see them." });
    process.exit(1);
  }
  const session = new Session(stack, {
    cwd: process.cwd(),
    env: process.env,
    watch: watch === "watch",
    waitGateway: gateway === "wait",
    console: true,
    onLog: (line) => process.stdout.write(`${line.time.toISOString()} ${line.source} | ${line.text}\n`),
  });
  const stop = () => void session.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("SIGHUP", stop);
  process.on("disconnect", () => {});
  try {
    await session.start();
  } catch (error) {
    send({ type: "failed", message: (error as Error).message, hint: error instanceof StackError ? error.hint : null });
    process.exit(1);
  }
  send({ type: "ready", report: await session.ps(), console: session.consoleLink() });
  process.channel?.unref();
  // Nothing else may hold the event loop (a stack of jobs only): keep running until `cairn down`.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  await session.done;
  clearInterval(keepAlive);
  process.exit(0);
}

void main();
