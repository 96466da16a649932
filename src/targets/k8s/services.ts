/** A service: Deployment, Service, HorizontalPodAutoscaler (when scaled) and PodDisruptionBudget (when several replicas). */
import type { Service, Stack } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import { container } from "./container.js";
import type { SecretKeys } from "./env.js";
import { k8sName, metadata, seconds, selectorLabels } from "./names.js";

/** Every object of one service, in apply order. */
export function serviceObjects(stack: Stack, service: Service, keys: SecretKeys, warnings: TargetNote[]): object[] {
  const component = service.port ? "web" : "worker";
  const meta = metadata(stack, service.name, component);
  const selector = selectorLabels(stack, service.name);
  if (service.restart.policy !== "always")
    warnings.push({
      part: `services.${service.name}.restart`,
      message: `restart policy "${service.restart.policy}": a Deployment always restarts its pods`,
      instead: "restartPolicy Always",
    });
  const open = service.port ? stack.edge.open.find((o) => o.port === service.port) : undefined;
  const objects: object[] = [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta,
      spec: {
        replicas: service.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        // Start the new pod before stopping an old one, so capacity never drops during a rollout.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels: meta.labels },
          spec: {
            terminationGracePeriodSeconds: seconds(service.stopTimeoutMs),
            containers: [container(stack, service, keys, warnings)],
          },
        },
      },
    },
  ];
  if (service.port)
    objects.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: meta,
      spec: {
        // A port the edge opens to addresses (no route) is published by the cloud's load balancer.
        ...(open ? { type: "LoadBalancer", loadBalancerSourceRanges: open.from.filter((cidr) => !cidr.includes(":")) } : { type: "ClusterIP" }),
        selector,
        ports: [{ name: "http", port: service.port, targetPort: "http", protocol: "TCP" }],
      },
    });
  if (service.scale) objects.push(autoscaler(stack, service, component));
  if (service.scale?.requestsPerMinute)
    warnings.push({
      part: `services.${service.name}.scale.requests`,
      message: "scaling on request rate needs a custom-metrics adapter in Kubernetes",
      instead: "the HorizontalPodAutoscaler scales on CPU and memory only",
    });
  const minimum = service.scale ? service.scale.min : service.replicas;
  if (minimum > 1 || service.replicas > 1)
    objects.push({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: meta,
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    });
  return objects;
}

function autoscaler(stack: Stack, service: Service, component: "web" | "worker"): object {
  const scale = service.scale;
  if (!scale) throw new Error("autoscaler without scale");
  const metric = (name: "cpu" | "memory", target: number) => ({
    type: "Resource",
    resource: { name, target: { type: "Utilization", averageUtilization: Math.round(target) } },
  });
  const metrics = [...(scale.cpu !== null ? [metric("cpu", scale.cpu)] : []), ...(scale.memory !== null ? [metric("memory", scale.memory)] : [])];
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: metadata(stack, service.name, component),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: k8sName(service.name) },
      minReplicas: Math.max(1, scale.min),
      maxReplicas: scale.max,
      // Without a target the HPA defaults to 80% CPU, which is what Cairn's default scale means too.
      metrics: metrics.length ? metrics : [metric("cpu", 80)],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: Math.round(scale.cooldownOutMs / 1000), policies: [{ type: "Pods", value: 4, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: Math.round(scale.cooldownInMs / 1000), policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
      },
    },
  };
}
