/**
 * Spans around what a request does, on a tracer from tracing.mjs: the response (server span), AWS SDK
 * calls and fetches (client spans, the latter passing `traceparent` on), and the ids for log lines.
 * With a tracer that is off, each is the plain call.
 */
import { KIND } from "./tracing.mjs";

/** Ends a server span when its response closes, with the status code (5xx marks it failed). */
export function endWithResponse(span, res) {
  res.on("close", () => {
    span.set("http.response.status_code", res.statusCode);
    if (res.statusCode >= 500) span.fail(`HTTP ${res.statusCode}`);
    else if (!res.writableFinished) span.fail("the connection closed before the response ended");
    span.end();
  });
}

/** An AWS SDK client whose `send` makes a client span under the current one (`DynamoDB.Query`, `S3.GetObject`). */
export function tracedClient(tracer, client, service) {
  if (!tracer.enabled) return client;
  return {
    async send(command, ...rest) {
      const method = command?.constructor?.name?.replace(/Command$/, "") ?? "Send";
      const input = command?.input ?? {};
      const attributes = { "rpc.system": "aws-api", "rpc.service": service, "rpc.method": method };
      if (input.TableName) attributes["aws.dynamodb.table_names"] = input.TableName;
      if (input.RequestItems) attributes["aws.dynamodb.table_names"] = Object.keys(input.RequestItems).join(",");
      if (input.Bucket) attributes["aws.s3.bucket"] = input.Bucket;
      if (input.Key && typeof input.Key === "string") attributes["aws.s3.key"] = input.Key;
      const span = tracer.start(`${service}.${method}`, { kind: KIND.client, attributes });
      try {
        return await client.send(command, ...rest);
      } catch (error) {
        span.fail(`${error?.name ?? "Error"}: ${error?.message ?? error}`);
        throw error;
      } finally {
        span.end();
      }
    },
  };
}

/** `fetch` with a client span under the current one, whose `traceparent` the callee continues. */
export async function tracedFetch(tracer, url, init = {}) {
  const method = init.method ?? "GET";
  const target = new URL(url);
  const span = tracer.start(`${method} ${target.pathname}`, {
    kind: KIND.client,
    attributes: { "http.request.method": method, "server.address": target.hostname, "server.port": Number(target.port) || 80, "url.path": target.pathname },
  });
  const traceparent = span.traceparent();
  const headers = traceparent ? { ...init.headers, traceparent } : init.headers;
  try {
    const answer = await fetch(url, { ...init, headers });
    span.set("http.response.status_code", answer.status);
    if (answer.status >= 500) span.fail(`HTTP ${answer.status}`);
    return answer;
  } catch (error) {
    span.fail(error?.message ?? String(error));
    throw error;
  } finally {
    span.end();
  }
}

/** ` trace_id=… span_id=…` for a log line, or "" when the span is a no-op. */
export function traceFields(span) {
  return span?.traceId ? ` trace_id=${span.traceId} span_id=${span.spanId}` : "";
}
