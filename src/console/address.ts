/**
 * Where the console listens: loopback only, on a port the operating system confirms free (the OTLP/HTTP
 * port 4318 first, so an OpenTelemetry SDK left at its defaults finds it). The host and the URL form
 * are the telemetry's (src/runtime/telemetry/console-address.ts), which every process's
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is made from; this file picks the port and says which Host headers
 * are the console's own.
 */
import { freePort } from "../runtime/ports.js";
import { CONSOLE_HOST, consoleAddress } from "../runtime/telemetry/console-address.js";

export { CONSOLE_HOST, consoleAddress };

/** Tried first: the port OpenTelemetry's SDKs send OTLP over HTTP to by default. */
export const CONSOLE_PREFERRED_PORT = 4318;

/** A free loopback port for the console: 4318 when free, else any. */
export function pickConsolePort(): Promise<number> {
  return freePort(CONSOLE_HOST, CONSOLE_PREFERRED_PORT);
}

/** The Host header values a browser sends for this console; anything else is refused (DNS rebinding). */
export function loopbackHosts(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}
