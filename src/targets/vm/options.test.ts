/** Each non-default option of the stack file reaches the vm files (snapshots of defaults alone would miss it). */
import { describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import type { TargetOutput } from "../types.js";
import { vmTarget } from "./index.js";

const base = (service: string, extra = "") => `
name: shop
domain: shop.example.com
services:
  web:
    run: node web.mjs
    port: 3000
    health: /health
${service}
routes:
  - { path: /, to: web }
${extra}
environments:
  prod: { target: vm }
`;

function file(output: TargetOutput, path: string): string {
  const found = output.files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} in ${output.files.map((f) => f.path).join(", ")}`);
  return found.content;
}
const build = (yaml: string) => vmTarget.generate(stackFrom(yaml), {});

describe("vm options", () => {
  it("replicas: every replica in the upstream, one unit instance each, rolled one at a time", () => {
    const out = build(base("    replicas: 3"));
    const nginx = file(out, "nginx/shop.conf");
    for (const port of [3000, 3001, 3002]) expect(nginx).toContain(`server 127.0.0.1:${port}`);
    expect(file(out, "install.sh")).toContain("shop-web@3000.service shop-web@3001.service shop-web@3002.service");
    const update = file(out, "update.sh");
    expect(update.indexOf("systemctl restart shop-web@3000.service")).toBeLessThan(update.indexOf("wait_healthy http://127.0.0.1:3000/health"));
    expect(update.indexOf("wait_healthy http://127.0.0.1:3000/health")).toBeLessThan(update.indexOf("systemctl restart shop-web@3001.service"));
  });

  it("sticky: a cookie hash in the upstream and a warning", () => {
    const out = build(base("    replicas: 2\n    sticky: 2h"));
    const nginx = file(out, "nginx/shop.conf");
    expect(nginx).toContain("hash $shop_web_affinity consistent;");
    expect(nginx).toContain("Max-Age=7200");
    expect(out.warnings.map((w) => w.part)).toContain("services.web.sticky");
  });

  it("websockets: upgrade headers", () => {
    const nginx = file(build(base("    websockets: true")), "nginx/shop.conf");
    expect(nginx).toContain("proxy_set_header Upgrade $http_upgrade;");
    expect(nginx).toContain("proxy_set_header Connection $shop_connection_upgrade;");
  });

  it("rate limit, allow-list, max body and timeout reach nginx", () => {
    const nginx = file(
      build(base("    max_body: 50MB\n    timeout: 90s", "edge: { rate_limit: 30/min, allow: [10.0.0.0/8], max_body: 5MB }")),
      "nginx/shop.conf",
    );
    expect(nginx).toContain("rate=30r/m");
    expect(nginx).toContain("limit_req zone=shop_edge burst=29 nodelay;");
    expect(nginx).toContain("allow 10.0.0.0/8;");
    expect(nginx).toContain("deny all;");
    expect(nginx).toContain("client_max_body_size 5000000;");
    expect(nginx).toContain("client_max_body_size 50000000;");
    expect(nginx).toContain("proxy_read_timeout 90s;");
  });

  it("TLS: Let's Encrypt paths, HTTPS and a redirect from HTTP", () => {
    const out = build(base("", "edge: { tls: auto }"));
    const nginx = file(out, "nginx/shop.conf");
    expect(nginx).toContain("listen 443 ssl default_server;");
    expect(nginx).toContain("ssl_certificate /etc/letsencrypt/live/shop.example.com/fullchain.pem;");
    expect(nginx).toContain("return 301 https://$host$request_uri;");
    expect(file(out, "install.sh")).toContain("certbot certonly");
    expect(file(out, "firewall.sh")).toContain("port 443");
    expect(file(out, "firewall.sh")).toContain("port 80");
  });

  it("base path with strip: the prefix is removed before the service", () => {
    const yaml = base("    base_path: { path: /shop, strip: true }").replace("{ path: /, to: web }", "{ path: /shop, to: web }");
    const nginx = file(build(yaml), "nginx/shop.conf");
    expect(nginx).toContain("location /shop/ {");
    expect(nginx).toContain("proxy_pass http://shop_web/;");
  });

  it("restart, stop timeout and size reach the unit", () => {
    const unit = file(
      build(base("    restart: { policy: on-failure, delay: 7s }\n    stop_timeout: 45s\n    size: { cpu: 2, memory: 256Mi }")),
      "systemd/shop-web@.service",
    );
    expect(unit).toContain("Restart=on-failure");
    expect(unit).toContain("RestartSec=7s");
    expect(unit).toContain("TimeoutStopSec=45s");
    expect(unit).toContain("CPUQuota=200%");
    expect(unit).toContain("MemoryMax=268435456");
  });

  it("jobs: schedule, persistent, timeout and retries reach the timer and unit", () => {
    const out = build(base("", "jobs:\n  report: { run: node report.mjs, schedule: '0 4 * * 1', persistent: true, timeout: 20m, retries: 2 }"));
    expect(file(out, "systemd/shop-report.timer")).toContain("Persistent=true");
    expect(file(out, "systemd/shop-report.timer")).toMatch(/OnCalendar=Mon \*-\*-\* 04:00:00/);
    const unit = file(out, "systemd/shop-report.service");
    expect(unit).toContain("RuntimeMaxSec=1200s");
    expect(unit).toContain("StartLimitBurst=3");
  });

  it("self-hosted PostgreSQL and Redis: extensions, backups, maxmemory and eviction", () => {
    const out = build(
      base(
        "    depends_on: [db, cache]",
        "resources:\n  db: { type: postgres, extensions: [postgis], backups: 14d }\n  cache: { type: redis, memory: 1GB, eviction: allkeys-lru }",
      ),
    );
    const install = file(out, "install.sh");
    expect(install).toContain('CREATE EXTENSION IF NOT EXISTS "postgis"');
    expect(install).toContain("postgresql-16-postgis-3");
    const backup = file(out, "systemd/shop-backup-db.service");
    expect(backup).toContain("pg_dump --format=custom");
    expect(backup).toContain(`-mmin +${14 * 1440}`);
    const redis = file(out, "redis/redis-shop-cache.conf");
    expect(redis).toContain("maxmemory 1000000000");
    expect(redis).toContain("maxmemory-policy allkeys-lru");
    const unit = file(out, "systemd/shop-web@.service");
    expect(unit).toContain("Requires=postgresql.service redis-server@shop-cache.service");
    expect(unit).toContain("EnvironmentFile=/etc/shop/env/web.env");
    expect(install).toContain('env_line DB_URL "postgres://shop:${POSTGRES_PASSWORD:-}@127.0.0.1:5432/db"');
  });

  it("secrets: referenced from the variable file, declared in the secrets template, never inline", () => {
    const out = build(base("    env: { API_KEY: '${secret.PAY_KEY}' }", "secrets:\n  PAY_KEY: payment provider key"));
    expect(file(out, "systemd/shop-web@.service")).not.toContain("API_KEY");
    expect(file(out, "install.sh")).toContain('env_line API_KEY "${PAY_KEY:-}"');
    expect(file(out, "env/shop.env.example")).toContain("PAY_KEY=");
    expect(file(out, "README.md")).toContain("`PAY_KEY`");
  });

  it("edge.open: ufw allows the port only from the given sources", () => {
    const fw = file(build(base("", "edge: { open: [{ port: 22, from: 203.0.113.9/32 }] }")), "firewall.sh");
    expect(fw).toContain("ufw allow proto tcp from 203.0.113.9/32 to any port 22");
    expect(fw).not.toContain("ufw limit");
  });

  it("a process with only an image is an error", () => {
    const out = build(base("").replace("    run: node web.mjs\n", "    image: shop/web:1\n"));
    expect(out.errors.map((e) => e.part)).toEqual(["services.web.run"]);
  });

  it("no size: no CPU or memory cap on the process", () => {
    const unit = file(build(base("")), "systemd/shop-web@.service");
    expect(unit).not.toContain("CPUQuota=");
    expect(unit).not.toContain("MemoryMax=");
  });

  it("a variable naming a path under /home: ProtectHome relaxed for that process, with write access there, and a warning", () => {
    const out = build(base("    env: { DATA_DIR: /home/ubuntu/shop/data }"));
    const unit = file(out, "systemd/shop-web@.service");
    expect(unit).toContain("ProtectHome=no");
    expect(unit).toContain("ReadWritePaths=/opt/shop /var/lib/shop /var/log/shop -/home/ubuntu/shop/data");
    expect(out.warnings.find((w) => w.part === "services.web.env")?.message).toContain("/home/ubuntu/shop/data");
    expect(file(build(base("")), "systemd/shop-web@.service")).toContain("ProtectHome=yes");
  });

  it("tls auto: CERTBOT_EMAIL is a secret the README and the template name", () => {
    const out = build(base("", "edge: { tls: auto }"));
    expect(file(out, "README.md")).toContain("| `CERTBOT_EMAIL` | required |");
    expect(file(out, "README.md")).not.toContain("This stack has no secrets.");
    expect(file(out, "env/shop.env.example")).toContain("CERTBOT_EMAIL=");
  });

  it("tls with a certificate of one's own: nginx reads it from the stack's TLS folder, no certbot", () => {
    const out = build(base("", "edge: { tls: { cert: tls/chain.pem, key: tls/key.pem } }"));
    expect(file(out, "nginx/shop.conf")).toContain("ssl_certificate /etc/shop/tls/fullchain.pem;");
    expect(file(out, "install.sh")).not.toContain("certbot");
    expect(build(base("", "edge: { tls: { certificate: arn:aws:acm:eu-west-3:1:certificate/x } }")).errors.map((e) => e.part)).toEqual(["edge.tls"]);
  });

  it("buckets and tables: a warning and the README say which command creates them with the instance role", () => {
    const out = build(base("    depends_on: [files]", "resources:\n  files: { type: bucket }"));
    const warning = out.warnings.find((w) => w.part === "resources");
    expect(warning?.message).toContain("files (S3 bucket) is a managed AWS service");
    expect(warning?.instead).toContain("cairn build --target aws --env prod");
    expect(file(out, "README.md")).toContain("`cairn build --target aws --env prod` creates them");
  });

  it("values that cannot be written safely are refused, naming the part", () => {
    const out = build(base("    cwd: ../outside").replace("health: /health", "health: '/h$(id)'"));
    expect(out.errors.map((e) => e.part).sort()).toEqual(["services.web.cwd", "services.web.health.path"]);
  });
});
