/**
 * NetworkPolicies mirroring the edge: everything is closed by default; the ingress controller
 * reaches the routed services; a service reaches another only when it depends on it; a data store
 * is reached only by the processes that use it.
 */
import type { Stack } from "../../model/types.js";
import { inCluster, PORTS } from "./env.js";
import { type Component, k8sName, labels, partOf, selectorLabels } from "./names.js";

/** Namespace where ingress-nginx runs, as its official manifests install it. */
export const INGRESS_NAMESPACE = "ingress-nginx";

function policy(stack: Stack, name: string, target: string, component: Component, from: object[], port: number): object {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: k8sName(name), labels: labels(stack, target, component) },
    spec: { podSelector: { matchLabels: selectorLabels(stack, target) }, policyTypes: ["Ingress"], ingress: [{ from, ports: [{ protocol: "TCP", port }] }] },
  };
}

export function networkPolicies(stack: Stack): object[] {
  const out: object[] = [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "default-deny-ingress", labels: partOf(stack) },
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    },
  ];
  const pods = (names: readonly string[]) => names.map((n) => ({ podSelector: { matchLabels: selectorLabels(stack, n) } }));
  const processes = [...stack.services, ...stack.jobs];
  for (const service of stack.services) {
    if (!service.port) continue;
    if (service.public)
      out.push(
        policy(
          stack,
          `${service.name}-from-ingress`,
          service.name,
          "web",
          [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": INGRESS_NAMESPACE } } }],
          service.port,
        ),
      );
    const open = stack.edge.open.find((o) => o.port === service.port);
    if (open)
      out.push(
        policy(
          stack,
          `${service.name}-from-internet`,
          service.name,
          "web",
          open.from.map((cidr) => ({ ipBlock: { cidr } })),
          service.port,
        ),
      );
    const callers = processes.filter((p) => p.dependsOn.includes(service.name)).map((p) => p.name);
    if (callers.length) out.push(policy(stack, `${service.name}-from-callers`, service.name, "web", pods(callers), service.port));
  }
  for (const resource of stack.resources) {
    if (!inCluster(resource) || (resource.type !== "postgres" && resource.type !== "redis") || !resource.usedBy.length) continue;
    out.push(
      policy(
        stack,
        `${resource.name}-from-users`,
        resource.name,
        resource.type === "postgres" ? "database" : "cache",
        pods(resource.usedBy),
        PORTS[resource.type],
      ),
    );
  }
  return out;
}
