/**
 * Where the stack's processes send their telemetry: the console's loopback address, which the console
 * (src/console) picks and serves, and the OpenTelemetry variables every process gets from it. The one
 * place both the console and the process environments (src/runtime/env/render.ts) read.
 */

/** The console binds this address only. */
export const CONSOLE_HOST = "127.0.0.1";

/** The console's base URL for a port, without a trailing slash: also the OTLP endpoint (SDKs append /v1/traces). */
export function consoleAddress(port: number): string {
  return `http://${CONSOLE_HOST}:${port}`;
}

/**
 * The OpenTelemetry SDK variables for one process: `OTEL_EXPORTER_OTLP_ENDPOINT` (the console) and
 * `OTEL_SERVICE_NAME` (the service or job name, which the console shows on its spans).
 */
export function otelEnv(endpoint: string, processName: string): Record<string, string> {
  return { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: processName };
}
