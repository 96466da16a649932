/**
 * The stack's alarms as a PrometheusRule: each alarm's threshold (in Prometheus's unit) and duration
 * reach the rule, it passes prometheus-operator's schema (with the unknown-field check the other
 * manifests get), and an alarm Kubernetes has no metric for is a warning.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exampleStack, stackFrom } from "../../test-support/index.js";
import { promDuration } from "./alarms.js";
import { k8sTarget } from "./index.js";
import { checkManifest } from "./test-support/manifest-check.js";

type Rule = { alert: string; expr: string; for: string; labels: Record<string, string> };

const rulesOf = (stack: Parameters<typeof k8sTarget.generate>[0]) => {
  const out = k8sTarget.generate(stack, {});
  const file = out.files.find((f) => f.path === "base/alarms.yaml");
  const doc = file ? parse(file.content) : null;
  return { out, doc, rules: (doc?.spec.groups[0].rules ?? []) as Rule[] };
};

describe("k8s alarms: a PrometheusRule", () => {
  it("ForestGuard: cpu and memory per service, error rate and p95 at the ingress, each with its threshold and for:", async () => {
    const { out, doc, rules } = rulesOf(await exampleStack("forestguard", "production"));
    expect(checkManifest(doc)).toEqual([]);
    expect(doc.metadata.name).toBe("forestguard-alarms");
    expect(out.files.find((f) => f.path === "base/kustomization.yaml")?.content).toContain("- alarms.yaml");
    const cpu = rules.filter((r) => r.alert === "ForestguardCpu");
    expect(cpu.length).toBeGreaterThan(0);
    for (const r of cpu) {
      expect(r.expr).toMatch(/^100 \* sum\(rate\(container_cpu_usage_seconds_total\{namespace="forestguard-production", container="[a-z0-9-]+"\}\[2m\]\)\)/);
      expect(r.expr.endsWith("> 80")).toBe(true);
      expect(r.for).toBe("5m");
    }
    const memory = rules.filter((r) => r.alert === "ForestguardMemory");
    expect(memory.map((r) => [r.expr.endsWith("> 90"), r.for])).toEqual(memory.map(() => [true, "5m"]));
    const errors = rules.find((r) => r.alert === "ForestguardErrorRate");
    expect(errors?.expr).toContain('nginx_ingress_controller_requests{exported_namespace="forestguard-production", status=~"5.."}');
    expect(errors?.expr.endsWith("> 5")).toBe(true);
    expect(errors?.for).toBe("2m");
    // 3s in the file: Prometheus's histograms are in seconds.
    const p95 = rules.find((r) => r.alert === "ForestguardP95");
    expect(p95?.expr).toMatch(
      /^histogram_quantile\(0\.95, sum by \(le\) \(rate\(nginx_ingress_controller_request_duration_seconds_bucket\{exported_namespace="forestguard-production"\}\[2m\]\)\)\) > 3$/,
    );
    expect(p95?.for).toBe("5m");
  });

  it("a service's own alarm watches that service only; a metric Kubernetes lacks is a warning; none, no file", () => {
    const { out, rules } = rulesOf(
      stackFrom(`
name: shop
services:
  web: { image: shop/web:1, port: 3000 }
  api: { image: shop/api:1, port: 4000 }
routes: [{ path: /, to: web }, { path: /api, to: api }]
alarms:
  - { metric: memory, op: ">=", threshold: 75%, for: 90s, service: api }
  - db_connections > 50
environments: { prod: { target: k8s } }
`),
    );
    expect(rules).toEqual([
      expect.objectContaining({
        alert: "ShopMemory",
        for: "90s",
        labels: { severity: "warning", service: "api" },
        expr: expect.stringMatching(/container="api".* >= 75$/),
      }),
    ]);
    expect(out.warnings).toContainEqual({
      part: "alarms.db_connections > 50",
      message: "no db_connections metric in a Kubernetes cluster's Prometheus",
      instead: "no rule",
    });
    const none = rulesOf(stackFrom("name: shop\nservices: { web: { image: shop/web:1, port: 3000 } }\nenvironments: { prod: { target: k8s } }\n"));
    expect(none.doc).toBeNull();
  });

  it("the schema check catches a misspelt field and a rule without its expression", () => {
    const rule = {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "x" },
      spec: { groups: [{ name: "g", rules: [{ alert: "A", fore: "5m" }] }] },
    };
    const problems = checkManifest(rule).join("\n");
    expect(problems).toContain("unknown field /spec/groups/0/rules/0/fore");
    expect(problems).toMatch(/must have required property '?expr'?/);
  });

  it("durations in Prometheus's form", () => {
    expect([promDuration(300_000), promDuration(90_000), promDuration(120_000), promDuration(500)]).toEqual(["5m", "90s", "2m", "1s"]);
  });
});
