/** Writes a day's results: metrics to the metrics table, the CSV report to the reports bucket, its index row. */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { renderReport, reportKey } from "./report.mjs";

/**
 * Idempotent per date: every write replaces the item or object of the same key, so running the same
 * day twice leaves the same metrics, one report and one index row.
 */
export async function writeDay({ metrics, date, tables, s3, names, now = new Date() }) {
  const updated_at = now.toISOString();
  for (const m of metrics) {
    await tables.send(new PutCommand({ TableName: names.metricsTable, Item: { ...m, updated_at } }));
  }
  const body = renderReport(metrics);
  const key = reportKey(date);
  await s3.send(new PutObjectCommand({ Bucket: names.reportsBucket, Key: key, Body: body, ContentType: "text/csv; charset=utf-8" }));
  await tables.send(
    new PutCommand({
      TableName: names.reportIndexTable,
      Item: {
        date,
        bucket: names.reportsBucket,
        key,
        bytes: Buffer.byteLength(body),
        lines: body.split("\n").length - 2,
        metric_types: metrics.map((m) => m.metric_type),
        generated_at: updated_at,
      },
    }),
  );
  return { key, bytes: Buffer.byteLength(body) };
}
