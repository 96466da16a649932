/** Each non-default option of the stack file reaches the manifests; ForestGuard's acceptance values. */

import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { exampleStack, stackFrom } from "../../test-support/index.js";
import type { TargetOutput } from "../types.js";
import { k8sTarget } from "./index.js";
import { checkManifest } from "./test-support/manifest-check.js";

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML documents in tests.
type Doc = any;
const docs = (out: TargetOutput, path: string): Doc[] => {
  const file = out.files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in ${out.files.map((f) => f.path).join(", ")}`);
  return parseAllDocuments(file.content).map((d) => d.toJS());
};
const find = (out: TargetOutput, path: string, kind: string, name?: string): Doc =>
  docs(out, path).find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
const text = (out: TargetOutput) => out.files.map((f) => f.content).join("\n");

const STACK = `
name: shop
domain: shop.example.com
secrets: { API_KEY: key of the payment provider }
services:
  web:
    image: shop/web:2
    port: 3000
    health: { path: /ready, interval: 15s, timeout: 2s, healthy: 3, unhealthy: 4, grace: 20s }
    size: { cpu: 0.5, memory: 768Mi }
    sticky: 30m
    websockets: true
    max_body: 50MB
    stop_timeout: 45s
    env: { PAY_KEY: "\${secret.API_KEY}", REDIS: "\${cache.url}", DSN: "pg://\${db.user}:\${db.password}@\${db.host}/x" }
    depends_on: [db, cache, api]
  api:
    image: shop/api:2
    port: 4000
    base_path: /v1
    health: /health
    replicas: 2
    depends_on: [db, events]
jobs:
  nightly:
    image: shop/jobs:2
    run: node nightly.mjs
    args: ["\${run.date}", "two words"]
    schedule: "30 1 * * *"
    timezone: Europe/Paris
    persistent: true
    timeout: 45m
    retries: 4
    concurrency: replace
    depends_on: [db]
resources:
  db: { type: postgres, version: 15, extensions: [postgis], storage: 50GB }
  cache: { type: redis, version: 7, memory: 1GB, eviction: allkeys-lru }
  events: { type: table, key: { hash: id } }
routes:
  - { path: /, to: web }
  - { host: "api.{domain}", path: /v1, to: api, strip: true }
edge: { tls: auto, rate_limit: 10/s, allow: [203.0.113.0/24] }
environments:
  cluster: { target: k8s }
`;

describe("k8s options", () => {
  const out = k8sTarget.generate(stackFrom(STACK, "cluster"), { outDir: "out/k8s" });

  it("produces only valid manifests", () => {
    for (const file of out.files.filter((f) => f.path.startsWith("base/") && !f.path.endsWith("kustomization.yaml")))
      for (const doc of docs(out, file.path)) expect(checkManifest(doc), file.path).toEqual([]);
  });

  it("health, size, stop timeout and a secret reach the web Deployment", () => {
    const container = find(out, "base/services/web.yaml", "Deployment").spec.template.spec.containers[0];
    expect(container.readinessProbe).toEqual({
      httpGet: { path: "/ready", port: 3000 },
      periodSeconds: 15,
      timeoutSeconds: 2,
      successThreshold: 3,
      failureThreshold: 4,
    });
    expect(container.livenessProbe).toMatchObject({ successThreshold: 1, failureThreshold: 4, initialDelaySeconds: 20 });
    expect(container.resources).toEqual({ requests: { cpu: "500m", memory: "768Mi" }, limits: { memory: "768Mi" } });
    expect(find(out, "base/services/web.yaml", "Deployment").spec.template.spec.terminationGracePeriodSeconds).toBe(45);
    const env = Object.fromEntries(container.env.map((e: Doc) => [e.name, e]));
    expect(env.PAY_KEY).toEqual({ name: "PAY_KEY", valueFrom: { secretKeyRef: { name: "shop-secrets", key: "API_KEY" } } });
    expect(env.DSN.value).toBe("pg://postgres:$(CAIRN_SECRET_DB_PASSWORD)@db/x");
    expect(env.DB_URL.value).toBe("postgres://postgres:$(CAIRN_SECRET_DB_PASSWORD)@db:5432/db");
    expect(env.REDIS.value).toBe("redis://cache:6379");
    expect(env.API_URL.value).toBe("http://api:4000");
    // Kubernetes expands $(VAR) only from variables defined before: the helper comes first.
    expect(container.env[0]).toEqual({ name: "CAIRN_SECRET_DB_PASSWORD", valueFrom: { secretKeyRef: { name: "shop-secrets", key: "DB_PASSWORD" } } });
  });

  it("a service is told its PORT, HOST and BASE_PATH, as locally", () => {
    const env = find(out, "base/services/api.yaml", "Deployment").spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: "BASE_PATH", value: "/v1" });
    expect(env).toContainEqual({ name: "PORT", value: "4000" });
    expect(env).toContainEqual({ name: "HOST", value: "0.0.0.0" });
    const web = find(out, "base/services/web.yaml", "Deployment").spec.template.spec.containers[0].env;
    expect(web.some((e: Doc) => e.name === "BASE_PATH")).toBe(false);
  });
  it("a fixed replica count gives a PodDisruptionBudget and no autoscaler", () => {
    expect(find(out, "base/services/api.yaml", "Deployment").spec.replicas).toBe(2);
    expect(find(out, "base/services/api.yaml", "PodDisruptionBudget").spec.maxUnavailable).toBe(1);
    expect(find(out, "base/services/api.yaml", "HorizontalPodAutoscaler")).toBeUndefined();
    expect(find(out, "base/services/web.yaml", "PodDisruptionBudget")).toBeUndefined();
  });

  it("sticky, websockets, body size, rate limit, allow list and strip reach the Ingresses", () => {
    const web = find(out, "base/ingress.yaml", "Ingress", "web").metadata.annotations;
    expect(web["nginx.ingress.kubernetes.io/session-cookie-max-age"]).toBe("1800");
    expect(web["nginx.ingress.kubernetes.io/proxy-read-timeout"]).toBe("3600");
    expect(web["nginx.ingress.kubernetes.io/proxy-body-size"]).toBe("50m");
    expect(web["nginx.ingress.kubernetes.io/limit-rps"]).toBe("10");
    expect(web["nginx.ingress.kubernetes.io/whitelist-source-range"]).toBe("203.0.113.0/24");
    expect(web["nginx.ingress.kubernetes.io/enable-modsecurity"]).toBeUndefined();
    const api = find(out, "base/ingress.yaml", "Ingress", "api-strip");
    expect(api.metadata.annotations["nginx.ingress.kubernetes.io/rewrite-target"]).toBe("/$2");
    expect(api.spec.rules).toEqual([
      {
        host: "api.shop.example.com",
        http: { paths: [{ path: "/v1(/|$)(.*)", pathType: "ImplementationSpecific", backend: { service: { name: "api", port: { number: 4000 } } } }] },
      },
    ]);
    expect(api.spec.tls).toEqual([{ hosts: ["api.shop.example.com"], secretName: "shop-tls" }]);
    expect(api.metadata.annotations["nginx.ingress.kubernetes.io/affinity"]).toBeUndefined();
  });

  it("schedule, time zone, persistence, timeout, retries and concurrency reach the CronJob", () => {
    const job = find(out, "base/jobs/nightly.yaml", "CronJob");
    expect(job.spec).toMatchObject({ schedule: "30 1 * * *", timeZone: "Europe/Paris", concurrencyPolicy: "Replace", startingDeadlineSeconds: 86400 });
    expect(job.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 4, activeDeadlineSeconds: 2700 });
    expect(job.spec.jobTemplate.spec.template.spec.containers[0].command).toEqual([
      "/bin/sh",
      "-c",
      `exec node nightly.mjs "$$(TZ=Europe/Paris date +%Y-%m-%d)" 'two words'`,
    ]);
  });

  it("an in-cluster Postgres with PostGIS and a Redis become StatefulSets with volumes", () => {
    const db = find(out, "base/data/db.yaml", "StatefulSet");
    expect(db.spec.template.spec.containers[0].image).toBe("postgis/postgis:15-3.4");
    expect(db.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("47Gi");
    const cache = find(out, "base/data/cache.yaml", "StatefulSet").spec.template.spec.containers[0];
    expect(cache.args).toEqual(["--appendonly", "yes", "--maxmemory-policy", "allkeys-lru", "--maxmemory", "1000000000"]);
  });

  it("network policies: ingress reaches web, callers reach api, only users reach the data stores", () => {
    const policies = docs(out, "base/network-policies.yaml");
    const byName = Object.fromEntries(policies.map((p: Doc) => [p.metadata.name, p.spec]));
    expect(Object.keys(byName).sort()).toEqual([
      "api-from-callers",
      "api-from-ingress",
      "cache-from-users",
      "db-from-users",
      "default-deny-ingress",
      "web-from-ingress",
    ]);
    const from = (name: string) => byName[name].ingress[0].from.map((f: Doc) => f.podSelector?.matchLabels["app.kubernetes.io/name"]).sort();
    expect(from("db-from-users")).toEqual(["api", "nightly", "web"]);
    expect(from("cache-from-users")).toEqual(["web"]);
    expect(from("api-from-callers")).toEqual(["web"]);
    expect(byName["db-from-users"].ingress[0].ports).toEqual([{ protocol: "TCP", port: 5432 }]);
  });

  it("a table is a warning naming the part; the README tells the secret keys and why", () => {
    expect(out.warnings.find((w) => w.part === "resources.events")?.instead).toMatch(/DynamoDB/);
    const readme = out.files.find((f) => f.path === "README.md")?.content ?? "";
    expect(readme).toContain("--from-literal=API_KEY='...'");
    expect(readme).toContain("--from-literal=DB_PASSWORD='...'");
    expect(readme).toContain("`events` (table): always external");
    expect(readme).toContain("| `nginx.ingress.kubernetes.io/rewrite-target` |");
    expect(text(out)).not.toMatch(/kind: Secret\b/);
  });
});

describe("ForestGuard on Kubernetes", async () => {
  const out = k8sTarget.generate(await exampleStack("forestguard", "production"), { outDir: "out/k8s" });

  it("scales 2..10 on cpu 70% and memory 80% with the cooldowns as stabilization windows", () => {
    const hpa = find(out, "base/services/dashboard.yaml", "HorizontalPodAutoscaler").spec;
    expect([hpa.minReplicas, hpa.maxReplicas]).toEqual([2, 10]);
    expect(hpa.metrics.map((m: Doc) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([
      ["cpu", 70],
      ["memory", 80],
    ]);
    expect(hpa.behavior.scaleUp.stabilizationWindowSeconds).toBe(60);
    expect(hpa.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
    expect(find(out, "base/services/dashboard.yaml", "Deployment").spec.replicas).toBe(3);
  });

  it("health every 30 s, timeout 5 s, 2 to be ready, 3 to fail; sticky one hour", () => {
    const probe = find(out, "base/services/dashboard.yaml", "Deployment").spec.template.spec.containers[0].readinessProbe;
    expect(probe).toMatchObject({ httpGet: { path: "/healthz" }, periodSeconds: 30, timeoutSeconds: 5, successThreshold: 2, failureThreshold: 3 });
    expect(find(out, "base/ingress.yaml", "Ingress").metadata.annotations["nginx.ingress.kubernetes.io/session-cookie-max-age"]).toBe("3600");
  });

  it("the namespace is per stack and environment, applied by the overlay", () => {
    expect(docs(out, "overlays/production/kustomization.yaml")[0]).toMatchObject({
      namespace: "forestguard-production",
      resources: ["namespace.yaml", "../../base"],
    });
  });
});
