/**
 * The k8s view, from the k8s target's manifests: the namespace with its Ingresses, Deployments (with
 * their Services and autoscalers), CronJobs and StatefulSets; the flows the NetworkPolicies allow; and
 * what stays outside the cluster (buckets, tables, external systems).
 */

import type { Words } from "../../guide/i18n/words.js";
import type { Stack } from "../../model/types.js";
import { resourceLines } from "../describe.js";
import { type K8sObject, k8sFacts } from "../sources/k8s.js";
import { type Diagram, DiagramBuilder } from "../types.js";

type Spec = Record<string, unknown>;
const spec = (o: K8sObject): Spec => (o.spec ?? {}) as Spec;

function deploymentLines(w: Words, name: string, objects: readonly K8sObject[]): string[] {
  const of = (kind: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const deployment = of("Deployment");
  const lines = [w.t("k8s.deployment", { count: Number(spec(deployment as K8sObject).replicas ?? 1) })];
  const hpa = of("HorizontalPodAutoscaler");
  if (hpa) {
    const s = spec(hpa) as { minReplicas: number; maxReplicas: number; metrics: { resource: { name: string; target: { averageUtilization: number } } }[] };
    const targets = s.metrics.map((m) => `${m.resource.name} ${m.resource.target.averageUtilization}%`).join(", ");
    lines.push(w.t("k8s.hpa", { min: s.minReplicas, max: s.maxReplicas, targets }));
  }
  const service = of("Service");
  if (service) {
    const s = spec(service) as { type: string; ports: { port: number }[] };
    lines.push(`Service ${s.type} :${s.ports.map((p) => p.port).join(", ")}`);
  }
  if (of("PodDisruptionBudget")) lines.push(w.t("k8s.pdb"));
  return lines;
}

/** The k8s view of one environment. */
export function k8sView(stack: Stack, w: Words): Diagram {
  const facts = k8sFacts(stack);
  const d = new DiagramBuilder();
  const idOf = (k8s: string) => facts.parts.get(k8s) ?? `k8s:${k8s}`;
  const internet = d.node({ id: "internet", kind: "internet", title: w.t("diagram.internet"), lines: [] });
  const ns = d.node({ id: "namespace", kind: "cluster", title: `namespace ${facts.namespace}`, lines: [] });
  const ingresses = facts.objects.filter((o) => o.kind === "Ingress");
  for (const o of facts.objects) {
    const name = o.metadata.name;
    if (o.kind === "Deployment")
      d.node({ id: idOf(name), kind: "service", title: name, lines: deploymentLines(w, name, facts.objects), parent: ns, ref: facts.parts.get(name) ?? null });
    if (o.kind === "CronJob") {
      const s = spec(o) as { schedule: string; timeZone?: string; suspend?: boolean; concurrencyPolicy: string };
      const lines = [s.suspend ? w.t("k8s.suspended") : `CronJob ${s.schedule} (${s.timeZone ?? "UTC"})`, `concurrencyPolicy ${s.concurrencyPolicy}`];
      d.node({ id: idOf(name), kind: "job", title: name, lines, parent: ns, ref: facts.parts.get(name) ?? null });
    }
    if (o.kind === "StatefulSet") {
      const s = spec(o) as { volumeClaimTemplates: { spec: { resources: { requests: { storage: string } } } }[] };
      const component = o.metadata.labels?.["app.kubernetes.io/component"];
      const storage = s.volumeClaimTemplates[0]?.spec.resources.requests.storage ?? "";
      d.node({
        id: idOf(name),
        kind: component === "cache" ? "redis" : "postgres",
        title: name,
        lines: [`StatefulSet · PVC ${storage}`],
        parent: ns,
        ref: facts.parts.get(name) ?? null,
      });
    }
  }
  for (const o of ingresses) {
    const rules = (spec(o) as { rules: { host?: string; http: { paths: { path: string; backend: { service: { name: string } } }[] } }[] }).rules;
    const a = o.metadata.annotations ?? {};
    const lines = rules.flatMap((r) => r.http.paths.map((p) => `${r.host ?? "*"}${p.path}`));
    if (a["cert-manager.io/cluster-issuer"]) lines.push(w.t("edge.tlsAuto"));
    if (a["nginx.ingress.kubernetes.io/enable-modsecurity"]) lines.push("ModSecurity + OWASP CRS");
    if (a["nginx.ingress.kubernetes.io/affinity"]) lines.push(w.t("k8s.affinity"));
    const id = d.node({ id: `ingress:${o.metadata.name}`, kind: "edge", title: `Ingress ${o.metadata.name}`, lines, parent: ns });
    d.edge(internet, id, "traffic");
    for (const r of rules) for (const p of r.http.paths) d.edge(id, idOf(p.backend.service.name), "traffic");
  }
  for (const f of facts.flows) {
    if (f.from.kind === "cidr") d.edge(internet, idOf(f.to), "traffic", `${f.port}/tcp ${f.from.cidr}`);
    if (f.from.kind === "pods") {
      const to = idOf(f.to);
      d.edge(idOf(f.from.name), to, to.startsWith("resource:") ? "data" : "call", `${f.port}/tcp`);
    }
  }
  const inCluster = new Set(d.nodes.map((n) => n.id));
  for (const r of stack.resources) {
    const id = `resource:${r.name}`;
    if (inCluster.has(id)) continue;
    d.node({ id, kind: r.type === "external" ? "external" : r.type, title: r.name, lines: [...resourceLines(w, r), w.t("k8s.outside")], ref: id });
    for (const p of [...stack.services, ...stack.jobs]) if (p.uses.includes(r.name)) d.edge(`${p.kind}:${p.name}`, id, "data");
  }
  d.notes.push(...facts.warnings.map((n) => w.t("diagram.note", { part: n.part, message: n.message, instead: n.instead })));
  return d.build("k8s", w.t("diagram.title.k8s", { stack: stack.name, env: stack.environment.name }));
}
