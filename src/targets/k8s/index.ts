/**
 * The `k8s` target: Kubernetes manifests as YAML text, laid out for kustomize (`base/` plus an
 * overlay for the environment), and a README. Pure: the stack in, files out.
 */
import type { Stack } from "../../model/types.js";
import type { GeneratedFile, GenerateOptions, TargetGenerator, TargetNote, TargetOutput } from "../types.js";
import { alarmRules } from "./alarms.js";
import { postgresObjects, redisObjects } from "./data.js";
import { inCluster, type SecretKeys } from "./env.js";
import { ingressObjects } from "./ingress.js";
import { jobObjects } from "./jobs.js";
import { k8sName, namespaceOf, partOf } from "./names.js";
import { networkPolicies } from "./network.js";
import { readme } from "./readme.js";
import { serviceObjects } from "./services.js";
import { toYaml } from "./yaml.js";

const KUSTOMIZE = "kustomize.config.k8s.io/v1beta1";

/** The manifests of `base/`, by file name. */
export function baseManifests(stack: Stack, keys: SecretKeys, warnings: TargetNote[]): Map<string, object[]> {
  const files = new Map<string, object[]>();
  for (const resource of stack.resources) {
    const file = `data/${k8sName(resource.name)}.yaml`;
    if (resource.type === "postgres" && inCluster(resource)) files.set(file, postgresObjects(stack, resource, keys, warnings));
    else if (resource.type === "redis" && inCluster(resource)) files.set(file, redisObjects(stack, resource, warnings));
    else if (resource.type === "bucket" || resource.type === "table")
      warnings.push({
        part: `resources.${resource.name}`,
        message: `a ${resource.type === "bucket" ? "bucket" : "DynamoDB table"} has no Kubernetes equivalent`,
        instead: `nothing in the cluster: ${resource.type === "bucket" ? "S3" : "DynamoDB"} (or compatible) stays external, referenced by name`,
      });
  }
  for (const service of stack.services) files.set(`services/${k8sName(service.name)}.yaml`, serviceObjects(stack, service, keys, warnings));
  for (const job of stack.jobs) files.set(`jobs/${k8sName(job.name)}.yaml`, jobObjects(stack, job, keys, warnings));
  for (const open of stack.edge.open)
    if (!stack.services.some((s) => s.port === open.port))
      warnings.push({
        part: `edge.open.${open.port}`,
        message: `port ${open.port} is not a service's port (pods have no SSH or host ports)`,
        instead: "not opened",
      });
  const ingresses = ingressObjects(stack, warnings);
  if (ingresses.length) files.set("ingress.yaml", ingresses);
  files.set("network-policies.yaml", networkPolicies(stack));
  const alarms = alarmRules(stack, warnings);
  if (alarms) files.set("alarms.yaml", [alarms]);
  return files;
}

function generate(stack: Stack, options: GenerateOptions): TargetOutput {
  const warnings: TargetNote[] = [];
  const keys: SecretKeys = new Map();
  const manifests = baseManifests(stack, keys, warnings);
  const env = k8sName(stack.environment.name);
  const ns = namespaceOf(stack);
  const names = [...manifests.keys()].sort();
  const files: GeneratedFile[] = names.map((name) => ({ path: `base/${name}`, content: toYaml(...(manifests.get(name) ?? [])) }));
  files.push({ path: "base/kustomization.yaml", content: toYaml({ apiVersion: KUSTOMIZE, kind: "Kustomization", resources: names }) });
  files.push({
    path: `overlays/${env}/namespace.yaml`,
    content: toYaml({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: partOf(stack) } }),
  });
  files.push({
    path: `overlays/${env}/kustomization.yaml`,
    content: toYaml({
      apiVersion: KUSTOMIZE,
      kind: "Kustomization",
      namespace: ns,
      resources: ["namespace.yaml", "../../base"],
      labels: [{ pairs: { "cairn.dev/environment": stack.environment.name }, includeSelectors: false }],
    }),
  });
  const all = [...manifests.values()].flat() as {
    kind: string;
    metadata: { annotations?: Record<string, string> };
    spec?: { template?: { spec?: { containers?: { image: string }[] } } };
  }[];
  const annotations = [...new Set(all.filter((o) => o.kind === "Ingress").flatMap((o) => Object.keys(o.metadata.annotations ?? {})))].sort();
  const images = [...new Set(warnings.filter((w) => w.part.endsWith(".image")).map((w) => /image (\S+);/.exec(w.instead)?.[1] ?? ""))].filter(Boolean);
  files.push({ path: "README.md", content: readme({ stack, keys, annotations, images, warnings, outDir: options.outDir ?? "." }) });
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : 1)), warnings, errors: [] };
}

/** Kubernetes manifests for `kubectl apply -k`. */
export const k8sTarget: TargetGenerator = {
  name: "k8s",
  description: "Kubernetes manifests (Deployments, Services, HPAs, Ingress, CronJobs, StatefulSets, NetworkPolicies, PrometheusRules) with kustomize overlays",
  generate,
};
