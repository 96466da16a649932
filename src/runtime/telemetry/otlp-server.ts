/**
 * The OTLP receiver alone on a loopback port, under the one request guard: for tests, and for
 * running the receiver without the console. The console server mounts `handleOtlp` instead.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type GuardReport, guard, guardClientErrors } from "../http/guard.js";
import type { MetricStore } from "./metric-store.js";
import { handleOtlp, type LogReceiver } from "./otlp-handler.js";
import type { SpanStore } from "./span-store.js";

export interface OtlpServer {
  readonly port: number;
  /** The value for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface OtlpServerOptions {
  readonly store: SpanStore;
  /** Takes the log records of `/v1/logs` (without it, that path gets 404). */
  readonly logs?: LogReceiver;
  /** Keeps the points of `/v1/metrics` (without it, that path gets 404). */
  readonly metrics?: MetricStore;
  readonly port?: number;
  readonly onError?: (report: GuardReport) => void;
}

export async function startOtlpServer(options: OtlpServerOptions): Promise<OtlpServer> {
  const server = http.createServer(
    guard((req, res) => handleOtlp(req, res, options.store, options.logs, options.metrics), { name: "otlp", onError: options.onError }),
  );
  guardClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
