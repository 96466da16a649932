#!/usr/bin/env node
/**
 * CityFlow API: the daily metrics as JSON, over node:http.
 *
 *   GET /health                          {"status":"ok"}
 *   GET /metrics?date=YYYY-MM-DD         the four metrics of one day
 *   GET /metrics/:type?from=&to=         one type over a date range (both ends included; both optional)
 *   GET /reports                         the daily reports, newest first
 *   GET /reports/:date                   one report's CSV, read from the reports bucket
 *
 * Reads METRICS_TABLE, REPORTS_BUCKET, S3_ENDPOINT, DYNAMODB_ENDPOINT, AWS_REGION, PORT, and the
 * OpenTelemetry variables: with OTEL_EXPORTER_OTLP_ENDPOINT set (`cairn up` sets it), each request but
 * /health is a server span, child of the caller's `traceparent`, with a client span per table or bucket
 * call, and its log lines carry `trace_id=` (lib/tracing.mjs, lib/traced.mjs).
 */
import { createServer } from "node:http";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { BatchGetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { s3Client, tableClient } from "./lib/aws.mjs";
import { basePath, ConfigError, intEnv, requireEnv } from "./lib/config.mjs";
import { isDate } from "./lib/dates.mjs";
import { accessLog, isMain, localPath, sendJson, serve } from "./lib/http.mjs";
import { METRIC_TYPES } from "./lib/metrics.mjs";
import { REPORT_PREFIX, reportKey } from "./lib/report.mjs";
import { endWithResponse, tracedClient, traceFields } from "./lib/traced.mjs";
import { createTracer, NO_SPAN } from "./lib/tracing.mjs";

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function dateParam(params, name) {
  const value = params.get(name);
  if (value === null || value === "") return null;
  if (!isDate(value)) throw new HttpError(400, `${name}="${value}" is not a date: use YYYY-MM-DD`);
  return value;
}

/** Every item of a query, following pages. */
async function queryAll(tables, input) {
  const items = [];
  let start;
  do {
    const page = await tables.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Builds the request handler over the given clients and names (tests start it on port 0); no tracer, no spans. */
export function createApi({ tables: untracedTables, s3: untracedS3, names, base = "", tracer = createTracer({ env: {} }) }) {
  const tables = tracedClient(tracer, untracedTables, "DynamoDB");
  const s3 = tracedClient(tracer, untracedS3, "S3");
  const routes = {
    async "/"() {
      return { service: "cityflow api", endpoints: ["/health", "/metrics?date=YYYY-MM-DD", "/metrics/:type?from=&to=", "/reports/:date.csv"] };
    },
    async "/health"() {
      return { status: "ok" };
    },
    async "/metrics"(params) {
      const date = dateParam(params, "date");
      if (!date) throw new HttpError(400, "give ?date=YYYY-MM-DD, or ask /metrics/:type?from=&to= for a range");
      const keys = METRIC_TYPES.map((metric_type) => ({ metric_type, date }));
      const page = await tables.send(new BatchGetCommand({ RequestItems: { [names.metricsTable]: { Keys: keys } } }));
      const found = page.Responses?.[names.metricsTable] ?? [];
      const metrics = METRIC_TYPES.map((t) => found.find((m) => m.metric_type === t)).filter(Boolean);
      return { date, metrics };
    },
    async "/reports"() {
      // Listed from the bucket itself: the API needs no access to the report-index table.
      const reports = [];
      let token;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: names.reportsBucket, Prefix: REPORT_PREFIX, ContinuationToken: token }));
        for (const o of page.Contents ?? []) {
          const date = o.Key?.match(/(\d{4}-\d{2}-\d{2})\.csv$/)?.[1];
          if (date) reports.push({ date, key: o.Key, bytes: o.Size ?? 0, modified: o.LastModified?.toISOString() ?? null, path: `reports/${date}` });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      reports.sort((a, b) => (a.date < b.date ? 1 : -1));
      return { reports };
    },
  };

  async function metricsOfType(type, params) {
    if (!METRIC_TYPES.includes(type)) throw new HttpError(404, `no metric type "${type}": the types are ${METRIC_TYPES.join(", ")}`);
    const from = dateParam(params, "from") ?? "0000-01-01";
    const to = dateParam(params, "to") ?? "9999-12-31";
    if (from > to) throw new HttpError(400, `from=${from} is after to=${to}`);
    const items = await queryAll(tables, {
      TableName: names.metricsTable,
      KeyConditionExpression: "metric_type = :t AND #d BETWEEN :from AND :to",
      ExpressionAttributeNames: { "#d": "date" },
      ExpressionAttributeValues: { ":t": type, ":from": from, ":to": to },
    });
    return { metric_type: type, from: params.get("from"), to: params.get("to"), metrics: items };
  }

  async function report(res, date) {
    if (!isDate(date)) throw new HttpError(400, `"${date}" is not a date: use YYYY-MM-DD`);
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: names.reportsBucket, Key: reportKey(date) }));
      res.writeHead(200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `inline; filename="cityflow-${date}.csv"` });
      object.Body.pipe(res);
    } catch (error) {
      if (error?.name === "NoSuchKey" || error?.$metadata?.httpStatusCode === 404) throw new HttpError(404, `no report for ${date}`);
      throw error;
    }
  }

  /** Answers one request; `span` is its server span, named after the route once one matches. */
  async function answer(req, res, span) {
    const route = (template) => {
      span.rename(`${req.method} ${template}`);
      span.set("http.route", template);
    };
    try {
      if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(405, `${req.method} is not supported: the API is read-only`);
      let path;
      let params;
      try {
        path = localPath(req.url, base).replace(/\/+$/, "") || "/";
        params = new URL(req.url, "http://x").searchParams;
      } catch {
        throw new HttpError(400, "the request target is not a path");
      }
      if (routes[path]) {
        route(path);
        return sendJson(res, 200, await routes[path](params));
      }
      const metric = path.match(/^\/metrics\/([^/]+)$/);
      if (metric) {
        route("/metrics/:type");
        return sendJson(res, 200, await metricsOfType(decodeURIComponent(metric[1]), params));
      }
      const csv = path.match(/^\/reports\/([^/]+?)(\.csv)?$/);
      if (csv) {
        route("/reports/:date");
        return await report(res, decodeURIComponent(csv[1]));
      }
      throw new HttpError(404, `no route ${path}: try /health, /metrics?date=, /metrics/:type, /reports`);
    } catch (error) {
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message });
      process.stdout.write(`api: store error on ${req.url}: ${error?.name ?? "Error"}: ${error?.message ?? error}${traceFields(span)}\n`);
      if (!res.headersSent) sendJson(res, 502, { error: `the data store did not answer: ${error?.name ?? "Error"}` });
      else res.destroy();
    }
  }

  return function handle(req, res) {
    // Health probes come every few seconds from the supervisor or the load balancer: logged, not traced.
    const probe = /^[^?]*\/health\/?(\?|$)/.test(req.url ?? "");
    const span = probe ? NO_SPAN : tracer.server(req);
    accessLog("api", req, res, span);
    endWithResponse(span, res);
    return tracer.run(span, () => answer(req, res, span));
  };
}

if (isMain(import.meta.url)) {
  try {
    const env = requireEnv(["METRICS_TABLE", "REPORTS_BUCKET"]);
    const port = intEnv("PORT", 5001, { allowZero: true });
    const names = { metricsTable: env.METRICS_TABLE, reportsBucket: env.REPORTS_BUCKET };
    const tracer = createTracer({ service: "api" });
    const handle = createApi({ tables: tableClient(), s3: s3Client(), names, base: basePath(), tracer });
    serve("api", createServer(handle), port, () => tracer.close());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`api: error: ${error.message}\n`);
    process.exitCode = 2;
  }
}
