/** Each example's model holds what its architecture (shared/architectures.md) says. */
import { describe, expect, it } from "vitest";
import { exampleStack } from "../test-support/index.js";
import type { Bucket, Postgres, Redis, Resource, Stack, Table } from "./types.js";

const GiB = 1024 ** 3;
const service = (stack: Stack, name: string) => {
  const found = stack.services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
};
const resource = <T extends Resource>(stack: Stack, name: string) => stack.resources.find((r) => r.name === name) as T;

describe("examples/minimal", () => {
  it("is one web service with a health check behind the gateway", async () => {
    const stack = await exampleStack("minimal");
    expect(stack.services.map((s) => [s.name, s.port, s.health?.path, s.public])).toEqual([["web", 3000, "/health", true]]);
    expect(stack.edge.port).toBe(8080);
    expect(stack.environments).toEqual(["local"]);
  });
});

describe("examples/mangetamain (A: one dashboard on one VM)", () => {
  it("runs one Streamlit dashboard on 8501 with WebSockets, 200 MB uploads and an errors-only log", async () => {
    const dashboard = service(await exampleStack("mangetamain", "production"), "dashboard");
    expect(dashboard).toMatchObject({ port: 8501, framework: "streamlit", websockets: true, replicas: 1, maxBodyBytes: 200e6, errorLog: true });
    expect(dashboard.restart).toMatchObject({ policy: "always", delayMs: 10_000 });
  });

  it("opens 8501 to the world and SSH to the admin address only, on a t3.medium in Paris with 20 GB", async () => {
    const stack = await exampleStack("mangetamain", "production");
    expect(stack.edge.open.map((p) => [p.port, p.from])).toEqual([
      [8501, ["0.0.0.0/0"]],
      [22, ["198.51.100.7/32"]],
    ]);
    expect(stack.environment).toMatchObject({ target: "vm", region: "eu-west-3", instance: "t3.medium", diskBytes: 20e9 });
    expect(stack.routes).toEqual([]);
    expect(stack.logs.destination).toBe("journal");
  });
});

describe("examples/cityflow (B: daily pipeline, API and dashboard)", () => {
  it("has the API on 5001 and the dashboard on 8501 with WebSockets, both restarting after 10 s", async () => {
    const stack = await exampleStack("cityflow", "mvp");
    expect([service(stack, "api").port, service(stack, "dashboard").port]).toEqual([5001, 8501]);
    expect(service(stack, "dashboard").websockets).toBe(true);
    for (const s of stack.services) expect(s.restart).toMatchObject({ policy: "always", delayMs: 10_000 });
  });

  it("runs the processor daily at 02:00 Paris time, catching up missed runs, with the run date as argument", async () => {
    const processor = (await exampleStack("cityflow", "mvp")).jobs[0];
    expect(processor).toMatchObject({ name: "processor", persistent: true, timeoutMs: 1_800_000, retries: 2, concurrency: "forbid" });
    expect(processor?.schedule).toMatchObject({ cron: "0 2 * * *", timezone: "Europe/Paris" });
    expect(processor?.args).toEqual([[{ kind: "var", name: "run.date" }]]);
  });

  it("keeps metrics and reports in tables keyed as on DynamoDB, and files in buckets", async () => {
    const stack = await exampleStack("cityflow", "mvp");
    expect(resource<Table>(stack, "metrics")).toMatchObject({ type: "table", hashKey: "metric_type", rangeKey: "date", placement: "managed" });
    expect(resource<Table>(stack, "report-index")).toMatchObject({ type: "table", hashKey: "date", rangeKey: null });
    expect(resource<Bucket>(stack, "reports")).toMatchObject({ type: "bucket", versioning: true });
  });

  it("routes api.<domain> and dashboard.<domain>, with TLS, and ships logs to CloudWatch when hosted", async () => {
    const mvp = await exampleStack("cityflow", "mvp");
    expect(mvp.routes.map((r) => [r.host, r.to])).toEqual([
      ["api.{domain}", "api"],
      ["dashboard.{domain}", "dashboard"],
    ]);
    expect(mvp.edge.tls.mode).toBe("auto");
    expect(mvp.logs).toMatchObject({ destination: "cloudwatch", group: "/cityflow" });
    expect((await exampleStack("cityflow", "recommended")).environment.instance).toBe("t3.large");
    expect((await exampleStack("cityflow", "local")).environment.domain).toBe("localhost");
  });
});

describe("examples/harena (C: three APIs behind one port, external stores)", () => {
  it("routes /api/user, /api/search, /api/conversation and /health to the three services, the rest to the front end", async () => {
    const stack = await exampleStack("harena", "fargate");
    expect(stack.routes.map((r) => [r.path, r.to, r.toKind])).toEqual([
      ["/api/user", "user-service", "service"],
      ["/api/search", "search-service", "service"],
      ["/api/conversation", "conversation-service", "service"],
      ["/health", "user-service", "service"],
      ["/", "web", "static"],
    ]);
    expect((await exampleStack("harena", "local")).edge.port).toBe(8000);
  });

  it("reaches PostgreSQL and Elasticsearch through secrets, never by a value in the file", async () => {
    const stack = await exampleStack("harena", "fargate");
    expect(stack.resources.filter((r) => r.type === "external").map((r) => [r.name, r.placement, r.type === "external" && r.url])).toEqual([
      ["db", "external", [{ kind: "secret", name: "DATABASE_URL" }]],
      ["search", "external", [{ kind: "secret", name: "BONSAI_URL" }]],
    ]);
    expect(stack.secrets.map((s) => s.name)).toEqual(["DATABASE_URL", "BONSAI_URL", "SECRET_KEY", "LLM_API_KEY"]);
    for (const s of stack.secrets) expect(s.usedBy.length).toBeGreaterThan(0);
  });

  it("lets the conversation service call the others by name, and builds the front end with the public URL", async () => {
    const stack = await exampleStack("harena", "fargate");
    expect(service(stack, "conversation-service").dependsOn).toEqual(["search-service", "user-service", "db"]);
    const web = stack.resources.find((r) => r.name === "web");
    expect(web).toMatchObject({ type: "static", cdn: true, dir: "frontend/dist" });
    expect(web?.type === "static" && web.buildEnv.map((v) => [v.name, v.value])).toEqual([["VITE_API_URL", [{ kind: "var", name: "edge.url" }]]]);
  });

  it("compares Compose on one t3.medium with Fargate (0.5 vCPU / 1 GB tasks, no NAT)", async () => {
    expect((await exampleStack("harena", "ec2")).environment).toMatchObject({ target: "compose", instance: "t3.medium", compare: ["compose", "aws"] });
    const fargate = await exampleStack("harena", "fargate");
    expect(fargate.environment).toMatchObject({ target: "aws", nat: false });
    for (const s of fargate.services) expect(s.size).toMatchObject({ cpu: 0.5, memoryBytes: GiB });
  });
});

describe("examples/forestguard (D: highly available geo dashboard)", () => {
  it("checks /healthz every 30 s, 5 s timeout, healthy after 2 and unhealthy after 3, with 1 h sticky sessions", async () => {
    const dashboard = service(await exampleStack("forestguard", "production"), "dashboard");
    expect(dashboard.health).toMatchObject({ path: "/healthz", intervalMs: 30_000, timeoutMs: 5_000, healthy: 2, unhealthy: 3 });
    expect(dashboard).toMatchObject({ stickyMs: 3_600_000, websockets: true, port: 8501, replicas: 3 });
    expect(dashboard.size).toMatchObject({ cpu: 1, memoryBytes: 2 * GiB });
  });

  it("scales from 2 to 10 (3 desired) on CPU 70% and memory 80%, cooldowns 60 s out and 300 s in", async () => {
    const { scale } = service(await exampleStack("forestguard", "production"), "dashboard");
    expect(scale).toEqual({ min: 2, desired: 3, max: 10, cpu: 70, memory: 80, requestsPerMinute: null, cooldownOutMs: 60_000, cooldownInMs: 300_000 });
  });

  it("keeps PostGIS on Postgres 15, Multi-AZ with a replica, 7-day backups, and a 3 GB LRU Redis with a replica", async () => {
    const stack = await exampleStack("forestguard", "production");
    expect(resource<Postgres>(stack, "db")).toMatchObject({
      version: 15,
      extensions: ["postgis"],
      storageBytes: 100e9,
      ha: true,
      replicas: 1,
      encrypted: true,
      instance: "db.t3.medium",
      placement: "managed",
    });
    expect(resource<Postgres>(stack, "db").backups?.retentionMs).toBe(7 * 86_400_000);
    expect(resource<Redis>(stack, "cache")).toMatchObject({ version: 7, memoryBytes: 3e9, eviction: "allkeys-lru", replicas: 1 });
  });

  it("ages GeoJSON to infrequent access then Glacier, serves public assets by CDN, deletes backups after 30 days", async () => {
    const stack = await exampleStack("forestguard", "production");
    expect(resource<Bucket>(stack, "geojson").lifecycle.map((r) => [r.afterMs / 86_400_000, r.to])).toEqual([
      [30, "infrequent"],
      [90, "glacier"],
    ]);
    expect(resource<Bucket>(stack, "assets")).toMatchObject({ public: true, cdn: true });
    expect(resource<Bucket>(stack, "backups").lifecycle).toEqual([{ afterMs: 30 * 86_400_000, to: "delete", prefix: null }]);
  });

  it("guards the edge: HTTPS with redirect, WAF, 100 requests/min, and the four alarms", async () => {
    const stack = await exampleStack("forestguard", "production");
    expect(stack.edge).toMatchObject({ port: 443, tls: { mode: "auto" }, redirectHttp: true, waf: ["sqli", "xss", "geo"], cdn: true });
    expect(stack.edge.rateLimit).toEqual({ requests: 100, perMs: 60_000, burst: 0 });
    expect(stack.alarms.map((a) => [a.metric, a.threshold, a.forMs])).toEqual([
      ["cpu", 80, 300_000],
      ["memory", 90, 300_000],
      ["error_rate", 5, 120_000],
      ["p95", 3000, 300_000],
    ]);
  });

  it("has its three phases: MVP on one VM with a small database, production and scale-up on AWS", async () => {
    const mvp = await exampleStack("forestguard", "mvp");
    expect(mvp.environment).toMatchObject({ target: "vm", instance: "t3.medium" });
    expect(resource<Postgres>(mvp, "db")).toMatchObject({ instance: "db.t3.small", ha: false, replicas: 0, placement: "managed" });
    expect(service(mvp, "dashboard")).toMatchObject({ replicas: 1, scale: null });
    const production = await exampleStack("forestguard", "production");
    expect(production.environment.extraCosts.map((c) => [c.name, c.monthly])).toEqual([
      ["Cloudflare Pro", 20],
      ["Datadog", 45],
      ["Sentry", 26],
    ]);
    const scaleUp = await exampleStack("forestguard", "scale-up");
    expect(service(scaleUp, "dashboard").scale).toMatchObject({ min: 10, desired: 10, max: 30 });
    expect(resource<Postgres>(scaleUp, "db")).toMatchObject({ instance: "db.r5.large", replicas: 2, storageBytes: 500e9 });
  });
});
