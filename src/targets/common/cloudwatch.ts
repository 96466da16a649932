/** CloudWatch facts more than one target reads. Pure. */

/** The retention periods CloudWatch Logs accepts, in days. */
export const RETENTION = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** The stack's log retention as CloudWatch keeps it: the shortest accepted period that holds it. */
export function cloudWatchRetentionDays(retentionMs: number): number {
  const days = Math.ceil(retentionMs / 86_400_000);
  return RETENTION.find((d) => d >= days) ?? 3653;
}
