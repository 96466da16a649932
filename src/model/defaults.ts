/**
 * The defaults of a process and of the edge: what the model fills in when the file says nothing, and
 * what the schema's descriptions (and so docs/reference.md) say. One table, no imports.
 */
export const DEFAULTS = {
  cpu: 0.25,
  memoryBytes: 512 * 1024 ** 2,
  health: { intervalMs: 10_000, timeoutMs: 5_000, healthy: 2, unhealthy: 3, graceMs: 0 },
  restart: { policy: "always", delayMs: 1_000, maxDelayMs: 60_000, maxRestarts: 5, windowMs: 60_000 },
  stopTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  maxBodyBytes: 10 * 1000 ** 2,
  cooldownOutMs: 60_000,
  cooldownInMs: 300_000,
} as const;

/** `10s`, `1m`, `5m` for the descriptions of the schema. */
export function durationText(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

/** `512Mi`, `10MB` for the descriptions of the schema. */
export function sizeText(bytes: number): string {
  if (bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3}Gi`;
  if (bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}Mi`;
  return `${bytes / 1000 ** 2}MB`;
}
