/** Each non-default option of the stack file reaches the compose files. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { stackFrom } from "../../test-support/index.js";
import type { TargetOutput } from "../types.js";
import { composeTarget } from "./index.js";

const base = (service: string, extra = "") => `
name: shop
services:
  web:
    image: shop/web:1
    port: 3000
    health: /health
${service}
routes:
  - { path: /, to: web }
${extra}
environments:
  prod: { target: compose }
`;

const build = (yaml: string) => composeTarget.generate(stackFrom(yaml), {});
function file(output: TargetOutput, path: string): string {
  const found = output.files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path}`);
  return found.content;
}
// biome-ignore lint/suspicious/noExplicitAny: a parsed YAML document
const compose = (output: TargetOutput): any => parse(file(output, "compose.yaml"));

describe("compose options", () => {
  it("replicas, size, restart and stop timeout", () => {
    const web = compose(build(base("    replicas: 3\n    size: { cpu: 2, memory: 512Mi }\n    restart: on-failure\n    stop_timeout: 40s"))).services.web;
    expect(web.deploy).toEqual({ replicas: 3, resources: { limits: { cpus: "2", memory: "512M" } } });
    expect(web.restart).toBe("on-failure");
    expect(web.stop_grace_period).toBe("40s");
  });

  it("health check from the stack file", () => {
    const yaml = base("").replace("health: /health", "health: { path: /ready, interval: 15s, timeout: 2s, unhealthy: 4, grace: 30s }");
    const web = compose(build(yaml)).services.web;
    expect(web.healthcheck.test[1]).toContain("http://127.0.0.1:3000/ready");
    expect(web.healthcheck).toMatchObject({ interval: "15s", timeout: "2s", retries: 4, start_period: "30s" });
  });

  it("PostgreSQL with PostGIS, Redis with eviction, depends_on healthy, named volumes", () => {
    const out = build(
      base(
        "    depends_on: [db, cache]",
        "resources:\n  db: { type: postgres, version: 15, extensions: [postgis, pg_trgm] }\n  cache: { type: redis, memory: 1GB, eviction: allkeys-lru }",
      ),
    );
    const doc = compose(out);
    expect(doc.services.db.image).toBe("postgis/postgis:15-3.4");
    expect(file(out, "postgres/db-init.sql")).toContain('CREATE EXTENSION IF NOT EXISTS "pg_trgm"');
    expect(doc.services.cache.command).toEqual(expect.arrayContaining(["--maxmemory", "1000000000", "--maxmemory-policy", "allkeys-lru"]));
    expect(doc.services.web.depends_on).toEqual({ cache: { condition: "service_healthy" }, db: { condition: "service_healthy" } });
    expect(Object.keys(doc.volumes)).toEqual(["db-data", "cache-data"]);
    expect(doc.services.web.environment.DB_URL).toBe("postgres://cairn:${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is not set in .env}@db:5432/db");
  });

  it("tables keep their key types and secondary indexes, quoted for sh and escaped for Compose", () => {
    const resources = [
      "resources:",
      "  events:",
      "    type: table",
      "    key: { hash: id, range: at }",
      "    indexes:",
      "      by-user: { hash: user, range: at, projection: keys }",
      "      recent: { range: seen, local: true, projection: [title] }",
    ].join("\n");
    const doc = compose(build(base("    depends_on: [events]", resources)));
    const script: string = doc.services["dynamodb-tables"].entrypoint[2];
    expect(script).toContain(
      `"IndexName":"by-user","KeySchema":[{"AttributeName":"user","KeyType":"HASH"},{"AttributeName":"at","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}`,
    );
    expect(script).toContain("--local-secondary-indexes '");
    expect(script).toContain(`"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["title"]}`);
    for (const attr of ["id", "at", "user", "seen"]) expect(script).toContain(`{"AttributeName":"${attr}","AttributeType":"S"}`);
  });

  it("buckets and tables: MinIO and DynamoDB Local, created by one-shot services", () => {
    const doc = compose(
      build(
        base(
          "    depends_on: [files, events]",
          "resources:\n  files: { type: bucket, versioning: true }\n  events: { type: table, key: { hash: id, range: at } }",
        ),
      ),
    );
    expect(doc.services.s3.image).toMatch(/^minio\/minio:/);
    expect(doc.services["s3-buckets"].entrypoint[2]).toContain("mc version enable local/shop-prod-files");
    expect(doc.services.dynamodb.image).toMatch(/^amazon\/dynamodb-local:/);
    const tables = doc.services["dynamodb-tables"].entrypoint[2];
    expect(tables).toContain(`--key-schema '[{"AttributeName":"id","KeyType":"HASH"},{"AttributeName":"at","KeyType":"RANGE"}]'`);
    expect(doc.services.web.environment).toMatchObject({
      FILES_BUCKET: "shop-prod-files",
      S3_ENDPOINT: "http://s3:9000",
      DYNAMODB_ENDPOINT: "http://dynamodb:8000",
    });
  });

  it("sticky, websockets and rate limit reach the nginx site; nginx is published", () => {
    const out = build(base("    replicas: 2\n    sticky: 1h\n    websockets: true", "edge: { port: 8080, rate_limit: 10/s }"));
    const nginx = file(out, "nginx/shop.conf");
    expect(nginx).toContain("server web:3000");
    expect(nginx).toContain("hash $shop_web_affinity consistent;");
    expect(nginx).toContain("proxy_set_header Upgrade $http_upgrade;");
    expect(nginx).toContain("rate=600r/m");
    expect(compose(out).services.nginx.ports).toEqual(["8080:8080"]);
  });

  it("secrets are interpolated from .env, never values", () => {
    const out = build(base("    env: { TOKEN: '${secret.API_TOKEN}', PRICE: '$5' }", "secrets:\n  API_TOKEN: a token"));
    const env = compose(out).services.web.environment;
    expect(env.TOKEN).toBe("${API_TOKEN:?API_TOKEN is not set in .env}");
    expect(env.PRICE).toBe("$$5");
    expect(file(out, ".env.example")).toContain("API_TOKEN=");
  });

  it("jobs: profile, host timer with persistent and timeout", () => {
    const out = build(base("", "jobs:\n  nightly: { image: shop/job:1, schedule: daily at 01:00, persistent: true, timeout: 10m }"));
    expect(compose(out).services.nightly.profiles).toEqual(["jobs"]);
    expect(file(out, "systemd/shop-nightly.timer")).toContain("Persistent=true");
    expect(file(out, "systemd/shop-nightly.service")).toContain("RuntimeMaxSec=600s");
    expect(file(out, "systemd/shop-nightly.service")).toContain("docker compose run --rm --no-TTY nightly");
  });

  it("a command without image runs in a runtime image with a warning; an unknown program is an error", () => {
    const node = build(base("").replace("image: shop/web:1", "run: node web.mjs"));
    expect(compose(node).services.web.image).toBe("node:20-bookworm-slim");
    expect(node.warnings.map((w) => w.part)).toContain("services.web");
    const unknown = build(base("").replace("image: shop/web:1", "run: ./server"));
    expect(unknown.errors.map((e) => e.part)).toEqual(["services.web"]);
  });
});
