/**
 * Every key of the schema reaches something: a generated file or plan of some target, the local gateway's
 * plan, a price, a check diagnostic, or the guide. The walk lists the leaves of the generated JSON Schema;
 * each has a probe that sets it on a stack using every part, and the test asserts that some output differs
 * from the same stack without it. A key whose only effect is a warning is listed with that warning's code,
 * and the test asserts `check` emits it. A key added to the schema without a probe fails the test.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { estimate, optionsFor } from "../cost/estimate.js";
import { beforeUnit, manifest } from "../deploy/release-files.js";
import { plannedChecks } from "../guide/facts/checks.js";
import { buildGuide } from "../guide/guide.js";
import { renderMarkdown } from "../guide/render-markdown.js";
import { shippedBook } from "../guide/test-support.js";
import { isBuildTarget } from "../model/targets.js";
import type { Stack } from "../model/types.js";
import { planGateway } from "../runtime/gateway/plan.js";
import { planEc2 } from "../targets/aws/ec2-plan.js";
import { planOf } from "../targets/aws/plan.js";
import { composeTarget } from "../targets/compose/index.js";
import { k8sTarget } from "../targets/k8s/index.js";
import { vmTarget } from "../targets/vm/index.js";
import { planVm } from "../targets/vm/plan.js";
import { analyzeText } from "../test-support/index.js";
import { hostsOf, sshOf } from "../verify/hosts.js";
import { renderJsonSchema } from "./json-schema.js";

/** A stack with one of every part, valid in every environment. */
const BASE = `
name: probe
description: every part once
domain: probe.example.com
region: eu-west-3
secrets:
  TOKEN: { description: an API token }
  SPARE: { description: a second token, optional: true }
services:
  web:
    run: node web.mjs
    image: probe/web:1
    port: 3000
    health: { path: /health }
    env: { TOKEN: "\${secret.TOKEN}", SPARE: "\${secret.SPARE}", SEARCH: "\${search.url}" }
    depends_on: [db, cache, files, events, api]
    scale: { min: 1, max: 4, cpu: 70 }
    websockets: true
  api:
    run: python3 api.py
    build: ./api
    port: 4000
    health: /ready
    base_path: /api
jobs:
  nightly:
    run: node nightly.mjs
    image: probe/jobs:1
    schedule: daily at 02:00
    timeout: 30m
    args: ["\${run.date}"]
    depends_on: [db]
resources:
  db: { type: postgres, backups: 7d, extensions: [pg_trgm] }
  cache: { type: redis, backups: 7d }
  files: { type: bucket, lifecycle: [{ after: 30d, to: infrequent }] }
  events: { type: table, key: { hash: id }, indexes: { by-user: { hash: user } } }
  site: { type: static, dir: public, path: /docs, build: npm run build }
  search: { type: external, url: "https://search.example.com", kind: http }
routes:
  - { path: /, to: web }
  - { path: /api, to: api }
  - { path: /docs, to: site }
edge:
  tls: auto
  rate_limit: { requests: 100, per: 1m }
  open:
    - { port: 22, from: 198.51.100.7/32, description: admin SSH }
alarms:
  - { metric: cpu, op: ">", threshold: 80, for: 5m }
logs: { retention: 30d }
extra_costs:
  - { name: monitoring, monthly: 20 }
lint:
  ignore:
    - { rule: lint/single-instance, reason: probe }
environments:
  local: { target: local }
  box:
    target: vm
    instance: t3.small
    hosts: [deploy@203.0.113.10]
  compose: { target: compose }
  k8s: { target: k8s, instance: t3.medium }
  cloud: { target: aws }
`;

type Doc = Record<string, unknown>;
/** How a probe changes the base: values set at dotted paths (`services.web.port`, `alarms.0.for`). */
type Probe = Readonly<Record<string, unknown>>;
/** A key whose only effect is a warning: the probe, and the code `check` must emit for it. */
interface WarningProbe {
  readonly set: Probe;
  readonly warns: string;
}

const ENV = (name: string, key: string) => `environments.${name}.${key}`;

/** One probe per leaf of the schema; `environments.*` leaves are set on the environment they act in. */
const PROBES: Record<string, Probe | WarningProbe> = {
  $schema: { warns: "", set: {} } as unknown as WarningProbe,
  name: { name: "other" },
  description: { description: "another description" },
  domain: { domain: "other.example.com" },
  region: { region: "us-east-1" },
  "secrets.*.description": { "secrets.TOKEN.description": "the payment provider's key" },
  "secrets.*.optional": { "secrets.TOKEN.optional": true },
  "services.*.run": { "services.web.run": "node other.mjs" },
  "services.*.image": { "services.web.image": "probe/web:2" },
  "services.*.build.context": { "services.api.build": { context: "./other" } },
  "services.*.build.dockerfile": { "services.api.build": { context: "./api", dockerfile: "Other.Dockerfile" } },
  "services.*.cwd": { "services.web.cwd": "app" },
  "services.*.env": { "services.web.env.MODE": "fast" },
  "services.*.size.cpu": { "services.web.size": { cpu: 1 } },
  "services.*.size.memory": { "services.web.size": { memory: "2Gi" } },
  "services.*.depends_on": { "services.api.depends_on": ["db"] },
  "services.*.description": { "services.web.description": "the storefront" },
  "services.*.port": { "services.web.port": 3100 },
  "services.*.health.path": { "services.web.health.path": "/alive" },
  "services.*.health.interval": { "services.web.health.interval": "20s" },
  "services.*.health.timeout": { "services.web.health.timeout": "3s" },
  "services.*.health.healthy": { "services.web.health.healthy": 4 },
  "services.*.health.unhealthy": { "services.web.health.unhealthy": 5 },
  "services.*.health.grace": { "services.web.health.grace": "40s" },
  "services.*.health.status": { "services.web.health.status": "200-299" },
  "services.*.replicas": { "services.api.replicas": 3 },
  "services.*.scale.min": { "services.web.scale.min": 2 },
  "services.*.scale.max": { "services.web.scale.max": 8 },
  "services.*.scale.desired": { "services.web.scale.desired": 3 },
  "services.*.scale.cpu": { "services.web.scale.cpu": 50 },
  "services.*.scale.memory": { "services.web.scale.memory": 60 },
  "services.*.scale.requests": { "services.web.scale.requests": 500 },
  "services.*.scale.cooldown.in": { "services.web.scale.cooldown": { in: "10m" } },
  "services.*.scale.cooldown.out": { "services.web.scale.cooldown": { out: "2m" } },
  "services.*.websockets": { "services.web.websockets": "/live" },
  "services.*.sticky": { "services.web.sticky": "1h" },
  "services.*.base_path.path": { "services.api.base_path": { path: "/v2" } },
  "services.*.base_path.strip": { "services.api.base_path": { path: "/api", strip: true } },
  "services.*.restart.policy": { "services.web.restart": { policy: "on-failure" } },
  "services.*.restart.delay": { "services.web.restart": { delay: "5s" } },
  "services.*.restart.max_restarts": { "services.web.restart": { max_restarts: 9 } },
  "services.*.restart.window": { "services.web.restart": { window: "10m" } },
  "services.*.stop_timeout": { "services.web.stop_timeout": "45s" },
  "services.*.timeout": { "services.web.timeout": "2m" },
  "services.*.max_body": { "services.web.max_body": "200MB" },
  "services.*.logs.errors": { "services.web.logs": { errors: true } },
  "services.*.framework": { "services.web.framework": "streamlit" },
  "jobs.*.run": { "jobs.nightly.run": "node other.mjs" },
  "jobs.*.image": { "jobs.nightly.image": "probe/jobs:2" },
  "jobs.*.build.context": { "jobs.nightly.build": { context: "./jobs" } },
  "jobs.*.build.dockerfile": { "jobs.nightly.build": { context: ".", dockerfile: "Jobs.Dockerfile" } },
  "jobs.*.cwd": { "jobs.nightly.cwd": "jobs" },
  "jobs.*.env": { "jobs.nightly.env": { MODE: "full" } },
  "jobs.*.size.cpu": { "jobs.nightly.size": { cpu: 2 } },
  "jobs.*.size.memory": { "jobs.nightly.size": { memory: "4Gi" } },
  "jobs.*.depends_on": { "jobs.nightly.depends_on": ["cache"] },
  "jobs.*.description": { "jobs.nightly.description": "the nightly report" },
  "jobs.*.schedule": { "jobs.nightly.schedule": "daily at 04:00" },
  "jobs.*.timezone": { "jobs.nightly.timezone": "Europe/Paris" },
  "jobs.*.persistent": { "jobs.nightly.persistent": true },
  "jobs.*.timeout": { "jobs.nightly.timeout": "2h" },
  "jobs.*.retries": { "jobs.nightly.retries": 3 },
  "jobs.*.concurrency": { "jobs.nightly.concurrency": "replace" },
  "jobs.*.args": { "jobs.nightly.args": ["--all"] },
  "resources.*.type": { "resources.search.type": "bucket", "resources.search.url": null, "resources.search.kind": null },
  "resources.*.description": { "resources.db.description": "orders and users" },
  "resources.*.managed": { "resources.db.managed": true },
  "resources.*.instance": { "resources.db.instance": "db.t3.large" },
  "resources.*.version": { "resources.db.version": 15 },
  "resources.*.extensions": { "resources.db.extensions": ["postgis"] },
  "resources.*.storage": { "resources.db.storage": "200GB" },
  "resources.*.backups.retention": { "resources.db.backups": { retention: "14d" } },
  "resources.*.backups.schedule": { "resources.db.backups": { schedule: "daily at 05:00" } },
  "resources.*.maintenance": { "resources.db.maintenance": "sun 04:00" },
  "resources.*.ha": { "resources.db.ha": true },
  "resources.*.replicas": { "resources.db.replicas": 1 },
  "resources.*.encrypted": { "resources.db.encrypted": false },
  "resources.*.database": { "resources.db.database": "orders" },
  "resources.*.memory": { "resources.cache.memory": "2GB" },
  "resources.*.eviction": { "resources.cache.eviction": "allkeys-lru" },
  "resources.*.persistence": { "resources.cache.persistence": false },
  "resources.*.name": { "resources.files.name": "probe-files-elsewhere" },
  "resources.*.versioning": { "resources.files.versioning": true },
  "resources.*.public": { "resources.files.public": true },
  "resources.*.lifecycle[].after": { "resources.files.lifecycle.0.after": "90d" },
  "resources.*.lifecycle[].to": { "resources.files.lifecycle.0.to": "glacier" },
  "resources.*.lifecycle[].prefix": { "resources.files.lifecycle.0.prefix": "logs/" },
  "resources.*.cdn": { "resources.site.cdn": true },
  "resources.*.outside_project": { set: { "resources.files.seed": "/srv/data", "resources.files.outside_project": true }, warns: "lint/outside-project" },
  "resources.*.key.hash": { "resources.events.key.hash": "pk" },
  "resources.*.key.range": { "resources.events.key.range": "at" },
  "resources.*.attributes": { "resources.events.attributes": { id: "number" } },
  "resources.*.indexes.*.hash": { "resources.events.indexes.by-user.hash": "owner" },
  "resources.*.indexes.*.range": { "resources.events.indexes.by-user.range": "at" },
  "resources.*.indexes.*.local": { "resources.events.key.range": "at", "resources.events.indexes.by-user": { local: true, range: "seen" } },
  "resources.*.indexes.*.projection": { "resources.events.indexes.by-user.projection": "keys" },
  "resources.*.ttl": { "resources.events.ttl": "expires" },
  "resources.*.dir": { "resources.site.dir": "dist" },
  "resources.*.path": { "resources.site.path": "/help", "routes.2.path": "/help" },
  "resources.*.build": { "resources.site.build": "npm run docs" },
  "resources.*.spa": { "resources.site.spa": false },
  "resources.*.env": { "resources.site.env": { API_URL: "https://probe.example.com/api" } },
  "resources.*.url": { "resources.search.url": "https://other.example.com" },
  "resources.*.kind": { "resources.search.kind": "elasticsearch" },
  "routes[].host": { "routes.1": { host: "api.{domain}", to: "api" } },
  "routes[].path": { "routes.1.path": "/v1" },
  "routes[].strip": { "routes.1.strip": true },
  "routes[].to": { "routes.0.to": "api" },
  "edge.port": { "edge.port": 8443 },
  "edge.tls.certificate": { "edge.tls": { certificate: "arn:aws:acm:eu-west-3:123456789012:certificate/abc" } },
  "edge.tls.cert": { "edge.tls": { cert: "certs/site.pem", key: "certs/site.key" } },
  "edge.tls.key": { "edge.tls": { cert: "certs/site.pem", key: "certs/other.key" } },
  "edge.redirect_http": { "edge.redirect_http": false },
  "edge.rate_limit.requests": { "edge.rate_limit.requests": 500 },
  "edge.rate_limit.per": { "edge.rate_limit.per": "1h" },
  "edge.rate_limit.burst": { "edge.rate_limit.burst": 50 },
  "edge.allow": { "edge.allow": ["203.0.113.0/24"] },
  "edge.geo_block": { "edge.geo_block": ["RU"] },
  "edge.waf": { "edge.waf": ["sqli"] },
  "edge.cdn": { "edge.cdn": true },
  "edge.max_body": { "edge.max_body": "50MB" },
  "edge.timeout": { "edge.timeout": "2m" },
  "edge.open[].port": { "edge.open.0.port": 2222 },
  "edge.open[].from": { "edge.open.0.from": "192.0.2.1/32" },
  "edge.open[].description": { "edge.open.0.description": "bastion" },
  "edge.open[].protocol": { "edge.open.1": { port: 51820, protocol: "udp", from: "0.0.0.0/0", description: "VPN" } },
  "alarms[].metric": { "alarms.0.metric": "memory" },
  "alarms[].op": { "alarms.0.op": ">=" },
  "alarms[].threshold": { "alarms.0.threshold": 90 },
  "alarms[].for": { "alarms.0.for": "15m" },
  "alarms[].service": { "alarms.0.service": "api" },
  "alarms[].notify": { "alarms.0.notify": "ops@example.com" },
  "logs.retention": { "logs.retention": "90d" },
  "logs.destination": { "logs.destination": "cloudwatch" },
  "logs.group": { "logs.group": "/probe/other" },
  "usage.requests": { "usage.requests": 50_000_000 },
  "usage.data_out": { "usage.data_out": "500GB" },
  "usage.storage": { "usage.storage": "2TB" },
  "usage.logs": { "usage.logs": "100GB" },
  "usage.table_reads": { "usage.table_reads": 900_000_000 },
  "usage.table_writes": { "usage.table_writes": 90_000_000 },
  "usage.table_storage": { "usage.table_storage": "500GB" },
  "usage.cdn_out": { "edge.cdn": true, "usage.cdn_out": "3TB" },
  "usage.hours": { "usage.hours": 200 },
  "extra_costs[].name": { "extra_costs.0.name": "status page" },
  "extra_costs[].monthly": { "extra_costs.0.monthly": 99 },
  "extra_costs[].currency": { "extra_costs.0.currency": "EUR" },
  "extra_costs[].note": { "extra_costs.0.note": "billed yearly" },
  "deploy.keep": { "deploy.keep": 9 },
  "deploy.before[].run": { "deploy.before": [{ run: "node migrate.mjs" }] },
  "deploy.before[].as": { "deploy.before": [{ run: "node migrate.mjs", as: "api" }] },
  "deploy.health_timeout": { "deploy.health_timeout": "3m" },
  "lint.ignore[].rule": { set: { "lint.ignore.0.rule": "lint/no-such-finding" }, warns: "lint/ignore-unknown" },
  "lint.ignore[].at": { set: { "lint.ignore.0.at": "resources.nowhere" }, warns: "lint/ignore-unknown" },
  "lint.ignore[].reason": { set: { "lint.ignore.0": { rule: "lint/single-instance" } }, warns: "schema/missing" },
  [ENV("*", "target")]: { [ENV("compose", "target")]: "k8s" },
  [ENV("*", "description")]: { [ENV("box", "description")]: "one machine" },
  [ENV("*", "region")]: { [ENV("cloud", "region")]: "eu-west-1" },
  [ENV("*", "domain")]: { [ENV("box", "domain")]: "box.example.com" },
  [ENV("*", "instance")]: { [ENV("box", "instance")]: "t3.large" },
  [ENV("*", "instances")]: { [ENV("k8s", "instances")]: 3 },
  [ENV("*", "disk")]: { [ENV("box", "disk")]: "80GB" },
  [ENV("*", "nat")]: { [ENV("cloud", "nat")]: false },
  [ENV("*", "spot")]: { [ENV("box", "spot")]: true },
  [ENV("*", "compare")]: { [ENV("box", "compare")]: ["aws"] },
  [ENV("*", "usage.requests")]: { [ENV("cloud", "usage")]: { requests: 80_000_000 } },
  [ENV("*", "usage.data_out")]: { [ENV("cloud", "usage")]: { data_out: "800GB" } },
  [ENV("*", "usage.storage")]: { [ENV("cloud", "usage")]: { storage: "3TB" } },
  [ENV("*", "usage.logs")]: { [ENV("cloud", "usage")]: { logs: "200GB" } },
  [ENV("*", "usage.table_reads")]: { [ENV("cloud", "usage")]: { table_reads: 700_000_000 } },
  [ENV("*", "usage.table_writes")]: { [ENV("cloud", "usage")]: { table_writes: 70_000_000 } },
  [ENV("*", "usage.table_storage")]: { [ENV("cloud", "usage")]: { table_storage: "700GB" } },
  [ENV("*", "usage.cdn_out")]: { "edge.cdn": true, [ENV("cloud", "usage")]: { cdn_out: "4TB" } },
  [ENV("*", "usage.hours")]: { [ENV("cloud", "usage")]: { hours: 100 } },
  [ENV("*", "extra_costs[].name")]: { [ENV("box", "extra_costs")]: [{ name: "backups", monthly: 5 }] },
  [ENV("*", "extra_costs[].monthly")]: { [ENV("box", "extra_costs")]: [{ name: "monitoring", monthly: 7 }] },
  [ENV("*", "extra_costs[].currency")]: { [ENV("box", "extra_costs")]: [{ name: "monitoring", monthly: 20, currency: "EUR" }] },
  [ENV("*", "extra_costs[].note")]: { [ENV("box", "extra_costs")]: [{ name: "monitoring", monthly: 20, note: "yearly" }] },
  [ENV("*", "services")]: { [ENV("cloud", "services")]: { web: { replicas: 5, scale: null } } },
  [ENV("*", "jobs")]: { [ENV("cloud", "jobs")]: { nightly: null } },
  [ENV("*", "resources")]: { [ENV("cloud", "resources")]: { search: null }, "services.web.env.SEARCH": null },
  [ENV("*", "edge")]: { [ENV("local", "edge")]: { port: 8080, tls: false } },
  [ENV("*", "routes")]: { [ENV("cloud", "routes")]: [{ path: "/", to: "web" }] },
  [ENV("*", "alarms")]: { [ENV("cloud", "alarms")]: ["p95 > 2s for 5m"] },
  [ENV("*", "logs")]: { [ENV("cloud", "logs")]: { retention: "7d" } },
  [ENV("*", "hosts[].address")]: { [ENV("box", "hosts")]: [{ address: "deploy@203.0.113.11" }] },
  [ENV("*", "hosts[].services")]: {
    [ENV("box", "hosts")]: [
      { address: "deploy@203.0.113.10", services: ["web"] },
      { address: "deploy@203.0.113.11", services: ["api"] },
    ],
  },
  [ENV("*", "hosts[].jobs")]: { [ENV("box", "hosts")]: [{ address: "deploy@203.0.113.10" }, { address: "deploy@203.0.113.11", jobs: ["nightly"] }] },
  [ENV("*", "ssh.key")]: { [ENV("box", "ssh")]: { key: "package.json" } },
  [ENV("*", "ssh.port")]: { [ENV("box", "ssh")]: { port: 2222 } },
  [ENV("*", "ssh.known_hosts")]: { [ENV("box", "ssh")]: { known_hosts: "accept-new" } },
  [ENV("*", "ssh.jump")]: { [ENV("box", "ssh")]: { jump: "ops@bastion.example.com" } },
  [ENV("*", "deploy.keep")]: { [ENV("box", "deploy")]: { keep: 2 } },
  [ENV("*", "deploy.before[].run")]: { [ENV("box", "deploy")]: { before: [{ run: "node seed.mjs" }] } },
  [ENV("*", "deploy.before[].as")]: { [ENV("box", "deploy")]: { before: [{ run: "node seed.mjs", as: "api" }] } },
  [ENV("*", "deploy.health_timeout")]: { [ENV("box", "deploy")]: { health_timeout: "5m" } },
};

/**
 * Keys only `cairn up` acts on, each with the runtime file that reads it: the walk asserts the file still
 * does (the runtime's own tests prove what it does with it).
 */
const LOCAL_ONLY: Record<string, readonly [file: string, reads: string]> = {
  "resources.*.seed": ["src/runtime/resources/s3/index.ts", "resource.seed"],
  "secrets.*.generate": ["src/runtime/env/secrets.ts", "secret?.generate"],
  "services.*.restart.max_delay": ["src/runtime/supervisor/backoff.ts", "policy.maxDelayMs"],
};

/** Leaves of the generated JSON Schema, as dotted paths (`*` a map entry, `[]` a list item). */
function schemaLeaves(): string[] {
  const schema = JSON.parse(renderJsonSchema()) as Doc;
  const paths = new Set<string>();
  const walk = (node: unknown, path: string, depth: number) => {
    if (depth > 30 || node === null || typeof node !== "object") return;
    const n = node as Doc;
    for (const k of ["anyOf", "oneOf", "allOf"]) for (const sub of (n[k] as unknown[] | undefined) ?? []) walk(sub, path, depth + 1);
    for (const [key, value] of Object.entries((n.properties as Doc | undefined) ?? {})) {
      const p = path ? `${path}.${key}` : key;
      paths.add(p);
      walk(value, p, depth + 1);
    }
    if (n.additionalProperties && typeof n.additionalProperties === "object") walk(n.additionalProperties, `${path}.*`, depth + 1);
    if (n.items && typeof n.items === "object") walk(n.items, `${path}[]`, depth + 1);
  };
  walk(schema, "", 0);
  return [...paths].filter((p) => ![...paths].some((q) => q.startsWith(`${p}.`) || q.startsWith(`${p}[]`))).sort();
}

function apply(base: string, probe: Probe): string {
  const doc = parse(base) as Doc;
  for (const [path, value] of Object.entries(probe)) {
    const keys = path.split(".");
    let at: Doc = doc;
    for (const key of keys.slice(0, -1)) {
      if (at[key] === undefined || at[key] === null) at[key] = {};
      at = at[key] as Doc;
    }
    const last = keys.at(-1) as string;
    if (value === null && !path.startsWith("environments.")) delete at[last];
    else at[last] = value;
  }
  return stringify(doc);
}

const book = shippedBook();
const text = (value: unknown) => JSON.stringify(value, (_k, v) => (v instanceof Map ? [...v] : v));

/** What Cairn produces from a file, by name, cheapest first; the guide is made only when asked. */
function outputs(yaml: string): Map<string, () => string> {
  const analysis = analyzeText(yaml);
  const errors = analysis.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((e) => `${e.code} at ${e.path.join(".")}: ${e.message}`).join("\n"));
  const stacks = [...analysis.stacks.values()] as Stack[];
  const out = new Map<string, () => string>();
  out.set("check", () => text(analysis.diagnostics.map((d) => [d.code, d.message, d.environments])));
  for (const stack of stacks) {
    const env = stack.environment.name;
    const generated = (t: typeof vmTarget) => text(t.generate(stack, { outDir: `out/${env}` }));
    out.set(`local gateway (${env})`, () => text(planGateway(stack)));
    const options = [...new Set([...(isBuildTarget(stack.environment.target) ? [stack.environment.target] : []), ...optionsFor(stack, false)])];
    out.set(`cost (${env})`, () => text(options.map((o) => estimate(stack, o, book, { rate: 0.9 }))));
    if (stack.environment.target !== "local") out.set(`verify checks (${env})`, () => text(plannedChecks(stack)));
    if (stack.environment.target === "vm") {
      out.set(`vm (${env})`, () => generated(vmTarget) + manifest(planVm(stack)) + beforeUnit(planVm(stack)) + text([hostsOf(stack), sshOf(stack)]));
      out.set(`aws ec2 (${env})`, () => text(planEc2(stack)));
    }
    if (stack.environment.target === "compose") out.set(`compose (${env})`, () => generated(composeTarget));
    if (stack.environment.target === "k8s") out.set(`k8s (${env})`, () => generated(k8sTarget));
    if (stack.environment.target === "aws") out.set(`aws (${env})`, () => text(planOf(stack)));
  }
  out.set("guide", () => "");
  return out;
}

async function guideOf(yaml: string): Promise<string> {
  const stacks = [...analyzeText(yaml).stacks.values()] as Stack[];
  const guide = await buildGuide({
    stacks,
    all: true,
    lang: "en",
    book,
    catalog: { date: book.date, oldest: book.oldest, stale: false },
    where: { path: "." },
    fileBase: "probe",
  });
  return renderMarkdown(guide.document, "Contents");
}

describe("every key of the schema reaches an output", () => {
  const leaves = schemaLeaves();

  it("has a probe for every leaf of the schema, and none for a key the schema lost", () => {
    expect(leaves.filter((leaf) => !(leaf in PROBES) && !(leaf in LOCAL_ONLY))).toEqual([]);
    expect([...Object.keys(PROBES), ...Object.keys(LOCAL_ONLY)].filter((key) => !leaves.includes(key))).toEqual([]);
  });

  it("the base stack builds everywhere", () => {
    expect([...outputs(BASE).keys()]).toEqual(expect.arrayContaining(["vm (box)", "compose (compose)", "k8s (k8s)", "aws (cloud)", "cost (cloud)"]));
  });

  const base = outputs(BASE);
  const baseline = new Map([...base].map(([name, make]) => [name, make()]));
  let baseGuide: Promise<string> | null = null;

  it.each(leaves.filter((leaf) => leaf !== "$schema" && PROBES[leaf] !== undefined && !("warns" in (PROBES[leaf] as object))))("%s", async (leaf) => {
    const yaml = apply(BASE, PROBES[leaf] as Probe);
    const changed: string[] = [];
    for (const [name, make] of outputs(yaml)) {
      if (name === "guide") continue;
      if (make() !== baseline.get(name)) changed.push(name);
    }
    if (changed.length === 0) {
      baseGuide ??= guideOf(BASE);
      if ((await guideOf(yaml)) !== (await baseGuide)) changed.push("guide");
    }
    expect(changed, `${leaf} changes no output`).not.toEqual([]);
  });

  it.each(Object.entries(PROBES).filter(([, p]) => "warns" in p && (p as WarningProbe).warns !== ""))(
    "%s: what it does is a diagnostic check emits",
    (_leaf, probe) => {
      const { set, warns } = probe as WarningProbe;
      const codes = analyzeText(apply(BASE, set)).diagnostics.map((d) => d.code);
      expect(codes).toContain(warns);
    },
  );

  it.each(Object.entries(LOCAL_ONLY))("%s: read by the local runtime (%s)", (_leaf, [file, reads]) => {
    expect(readFileSync(new URL(`../../${file}`, import.meta.url), "utf8")).toContain(reads);
  });

  it("$schema is for editors only: it changes nothing Cairn produces", () => {
    const yaml = apply(BASE, { $schema: "./cairn.schema.json" });
    for (const [name, make] of outputs(yaml)) if (name !== "guide") expect(make(), name).toBe(baseline.get(name));
  });
});
