#!/usr/bin/env node
/**
 * CityFlow processor: computes one day's metrics from the raw open-data files and writes them.
 *
 *   node app/processor.mjs [YYYY-MM-DD | FROM..TO ...] [--raw-dir DIR] [--print]
 *
 * The date defaults to today in Europe/Paris; several dates, or a range of them, are processed in turn. Raw files are read from RAW_BUCKET (S3_ENDPOINT empty
 * means AWS); metrics go to METRICS_TABLE, the CSV report to REPORTS_BUCKET and its index row to
 * REPORT_INDEX_TABLE (DYNAMODB_ENDPOINT empty means AWS). CHUNK_ROWS rows are read at a time.
 * `--raw-dir` reads a folder instead of the bucket and `--print` prints the metrics as JSON instead of
 * writing them: together they need no store at all (development, tests, benchmark).
 *
 * With OTEL_EXPORTER_OTLP_ENDPOINT set (`cairn up` sets it), each day processed is a trace: a root span
 * `process-day` with the date and the counts read and written (error status when the day fails), and a
 * client span per bucket or table call under it (lib/tracing.mjs, lib/traced.mjs). The spans are sent
 * before the process exits, waiting 2 s at most; tracing never changes the exit code.
 */
import { parseArgs } from "node:util";
import { s3Client, tableClient } from "./lib/aws.mjs";
import { ConfigError, intEnv, requireEnv } from "./lib/config.mjs";
import { dateRange, isDate, parisToday } from "./lib/dates.mjs";
import { processDay } from "./lib/process-day.mjs";
import { bucketSource, folderSource } from "./lib/sources.mjs";
import { writeDay } from "./lib/stores.mjs";
import { tracedClient } from "./lib/traced.mjs";
import { createTracer } from "./lib/tracing.mjs";

const log = (line) => process.stdout.write(`processor: ${line}\n`);
/** What the processor is doing, so that an error from a store says which store it came from. */
let stage = "starting";
const tracer = createTracer({ service: "processor" });

/** `2025-11-04`, or `2025-11-03..2025-11-09` (both ends included), each argument in turn. */
function parseDates(args) {
  const dates = [];
  for (const arg of args) {
    const [from, to = from, extra] = arg.split("..");
    for (const d of [from, to])
      if (!isDate(d) || extra !== undefined) throw new ConfigError(`"${arg}" is not a date: give YYYY-MM-DD (such as 2025-11-04) or FROM..TO`);
    if (from > to) throw new ConfigError(`"${arg}" ends before it starts`);
    const range = dateRange(from, to);
    if (range.length > 366) throw new ConfigError(`"${arg}" spans ${range.length} days; process at most a year at a time`);
    dates.push(...range);
  }
  return dates;
}

/** True when the raw files held traffic or bike rows for the day (roadworks alone do not make a day). */
const hasCounts = (metrics) => metrics.some((m) => (m.metric_type === "traffic" && m.values.rows > 0) || (m.metric_type === "bikes" && m.values.counters > 0));

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { "raw-dir": { type: "string" }, print: { type: "boolean", default: false } } });
  const dates = parseDates(positionals.length > 0 ? positionals : [parisToday()]);
  const chunkRows = intEnv("CHUNK_ROWS", 50_000);

  const writeEnv = values.print ? {} : requireEnv(["METRICS_TABLE", "REPORTS_BUCKET", "REPORT_INDEX_TABLE"]);
  const readEnv = values["raw-dir"] ? {} : requireEnv(["RAW_BUCKET"]);
  const s3 = values["raw-dir"] && values.print ? null : tracedClient(tracer, s3Client(), "S3");
  const source = values["raw-dir"] ? folderSource(values["raw-dir"]) : bucketSource(s3, readEnv.RAW_BUCKET);
  const reading = `${source.describe()}${process.env.S3_ENDPOINT && !values["raw-dir"] ? ` at ${process.env.S3_ENDPOINT}` : ""}`;
  const tables = values.print ? null : tracedClient(tracer, tableClient(), "DynamoDB");
  for (const date of dates) {
    const span = tracer.start("process-day", { attributes: { "cityflow.date": date } });
    try {
      await tracer.run(span, () => processOne({ date, span, source, reading, chunkRows, print: values.print, writeEnv, tables, s3 }));
    } catch (error) {
      span.fail(describeError(error));
      throw error;
    } finally {
      span.end();
    }
  }
}

/** One day: read, then print or write; the counts go on the day's span. */
async function processOne({ date, span, source, reading, chunkRows, print, writeEnv, tables, s3 }) {
  const started = process.hrtime.bigint();
  stage = `reading ${reading}`;
  log(`${date}: reading ${source.describe()} in chunks of ${chunkRows} rows`);
  const { metrics, stats } = await processDay({ date, source, chunkRows, log });
  span.set("cityflow.files", stats.files);
  span.set("cityflow.rows", stats.rows);
  span.set("cityflow.chunks", stats.chunks);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  log(`${date}: ${stats.rows} rows from ${stats.files} files in ${seconds.toFixed(2)}s (${Math.round(stats.rows / Math.max(seconds, 1e-9))} rows/s)`);
  if (print) {
    process.stdout.write(`${JSON.stringify({ date, metrics, stats: { ...stats, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 } })}\n`);
    return;
  }
  span.set("cityflow.written", hasCounts(metrics));
  if (!hasCounts(metrics)) {
    // The day's counts have not arrived (or the date is outside the data): zeros would read as "no traffic".
    log(`${date}: no traffic or bike counts for this day in the raw files; nothing written`);
    return;
  }
  const names = { metricsTable: writeEnv.METRICS_TABLE, reportsBucket: writeEnv.REPORTS_BUCKET, reportIndexTable: writeEnv.REPORT_INDEX_TABLE };
  stage = `writing ${date} to ${names.metricsTable}, ${names.reportIndexTable} (DynamoDB${process.env.DYNAMODB_ENDPOINT ? ` at ${process.env.DYNAMODB_ENDPOINT}` : ""}) and s3://${names.reportsBucket}`;
  const { key, bytes } = await writeDay({ metrics, date, tables, s3, names });
  span.set("cityflow.metrics", metrics.length);
  span.set("cityflow.report.bytes", bytes);
  for (const m of metrics) log(`${date}: ${m.metric_type.padEnd(9)} ${String(m.value).padStart(8)} ${m.unit}`);
  log(`${date}: report s3://${names.reportsBucket}/${key} (${bytes} bytes)`);
}

/** The error as the processor reports it: where it happened, its name and message, no stack. */
function describeError(error) {
  const what = error?.name && error.name !== "Error" ? `${error.name}: ` : "";
  const detail = error?.message || error?.code || error?.errors?.map((e) => e.message).join("; ") || String(error);
  return `error while ${stage}: ${what}${detail}`;
}

try {
  await main();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`processor: error: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    // Store errors (unreachable endpoint, missing bucket or table) are reported by name, without a stack.
    process.stderr.write(`processor: ${describeError(error)}\n`);
    process.exitCode = 1;
  }
} finally {
  // A job's process ends: the spans still queued go now, within the export timeout; the exit code stays.
  await tracer.close().catch(() => {});
}
