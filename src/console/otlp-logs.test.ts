/**
 * A running console receiving OTLP logs at `/v1/logs`: the records join the log view as lines
 * (level, service, trace id), the stack's secret values taken out; a malformed body gets 400 and the
 * console goes on answering; one request keeps at most the log view's capacity.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../runtime/ports.js";
import type { Session } from "../runtime/stack-runner/session.js";
import type { Console } from "./console.js";
import { LOG_CAPACITY } from "./logs.js";
import { login, startWithConsole, TEST_APP } from "./testing/stack.js";

let session: Session;
let server: Console;
let base: string;

beforeAll(async () => {
  ({ session, console: server } = await startWithConsole(
    `name: logged
secrets:
  API_TOKEN: token for the API
services:
  web:
    run: node ${TEST_APP}
    port: ${await freePort()}
    health: { path: /health, interval: 200ms, healthy: 1 }
    env: { TOKEN: "\${secret.API_TOKEN}" }
`,
    { ".env": "API_TOKEN=s3cr3t-t0k3n-value\n" },
  ));
  base = `http://127.0.0.1:${server.port}`;
}, 60_000);

afterAll(async () => {
  await session?.close();
});

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const record = (body: string, severityNumber = 9, extra: Record<string, unknown> = {}) => ({ body: { stringValue: body }, severityNumber, ...extra });
const logsBody = (service: string, records: unknown[]) =>
  JSON.stringify({
    resourceLogs: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] }, scopeLogs: [{ logRecords: records }] }],
  });
const post = (body: string | Buffer, type = "application/json") => fetch(`${base}/v1/logs`, { method: "POST", headers: { "content-type": type }, body });

describe("the console's OTLP logs", () => {
  it("keeps each record as a line of its service, with its level and trace id, secrets redacted", async () => {
    const reply = await post(
      logsBody("web", [
        record("payment accepted"),
        record("login failed with s3cr3t-t0k3n-value", 17, { traceId: TRACE, attributes: [{ key: "user", value: { stringValue: "ana" } }] }),
      ]),
    );
    expect(reply.status).toBe(200);
    const [accepted, failed] = server.logs.query({ service: "web", text: "payment accepted" }).concat(server.logs.query({ text: "login failed" }));
    expect(accepted).toMatchObject({ source: "web", service: "web", level: "info", text: "INFO payment accepted" });
    expect(failed).toMatchObject({ level: "error", stream: "err", text: `ERROR login failed with [secret API_TOKEN] user=ana trace_id=${TRACE}` });
    expect(JSON.stringify(server.logs.query({ limit: LOG_CAPACITY }))).not.toContain("s3cr3t-t0k3n-value");
    // The Logs page's API shows them to a logged-in page.
    const { cookie } = await login(server);
    const api = await (await fetch(`${base}/api/logs?level=error&text=login`, { headers: { cookie } })).text();
    expect(api).toContain("[secret API_TOKEN]");
  });

  it("answers 400 to a malformed body, keeps nothing from it, and goes on answering", async () => {
    const before = server.logs.query({ limit: LOG_CAPACITY }).length;
    for (const [body, type] of [
      ["{", "application/json"],
      ['{"resourceLogs": [{"scopeLogs": [{"logRecords": ["x"]}]}]}', "application/json"],
      [Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), "application/x-protobuf"],
    ] as const) {
      const reply = await post(body, type);
      expect(reply.status).toBe(400);
      expect(((await reply.json()) as { message: string }).message).toMatch(/not|runs past|out of range/);
    }
    expect(server.logs.query({ limit: LOG_CAPACITY }).length).toBe(before);
    expect((await post(logsBody("web", [record("after the bad ones")]))).status).toBe(200);
    expect(server.logs.query({ text: "after the bad ones" })).toHaveLength(1);
  });

  it("keeps the newest 10,000 records of one request of 12,000 (the log view's bound)", async () => {
    const records = Array.from({ length: 12_000 }, (_, i) => record(`bulk record ${i} end`));
    expect((await post(logsBody("bulk", records))).status).toBe(200);
    const kept = server.logs.query({ service: "bulk", limit: LOG_CAPACITY });
    expect(kept).toHaveLength(LOG_CAPACITY);
    expect(kept[0]?.text).toBe("INFO bulk record 2000 end");
    expect(kept.at(-1)?.text).toBe("INFO bulk record 11999 end");
    expect(server.logs.size).toBe(LOG_CAPACITY);
  });
});
