/**
 * Where the console listens: loopback only, on a port the operating system confirms free (the OTLP/HTTP
 * port 4318 first, so an OpenTelemetry SDK left at its defaults finds it). The one place that knows the
 * console's address: `cairn up` serves there, and every process started by the stack gets
 * `OTEL_EXPORTER_OTLP_ENDPOINT` from `otlpEndpoint`.
 */
import { freePort } from "../runtime/ports.js";

/** The console binds this address only. */
export const CONSOLE_HOST = "127.0.0.1";

/** Tried first: the port OpenTelemetry's SDKs send OTLP over HTTP to by default. */
export const CONSOLE_PREFERRED_PORT = 4318;

/** A free loopback port for the console: 4318 when free, else any. */
export function pickConsolePort(): Promise<number> {
  return freePort(CONSOLE_HOST, CONSOLE_PREFERRED_PORT);
}

/** The console's base URL, without a trailing slash. */
export function consoleUrl(port: number): string {
  return `http://${CONSOLE_HOST}:${port}`;
}

/** The value of `OTEL_EXPORTER_OTLP_ENDPOINT` for the stack's processes (SDKs append `/v1/traces`). */
export function otlpEndpoint(port: number): string {
  return consoleUrl(port);
}

/** The Host header values a browser sends for this console; anything else is refused (DNS rebinding). */
export function loopbackHosts(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}
