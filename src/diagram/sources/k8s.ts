/**
 * What the k8s target builds, read from its manifests (the same objects `cairn build --target k8s`
 * writes): workloads, their Services and autoscalers, Ingress rules, CronJobs, StatefulSets and the
 * NetworkPolicies' allowed flows, with each object mapped back to the stack part it came from.
 */
import type { Stack } from "../../model/types.js";
import { baseManifests } from "../../targets/k8s/index.js";
import { k8sName, namespaceOf } from "../../targets/k8s/names.js";
import type { TargetNote } from "../../targets/types.js";

/** A manifest object, as far as the diagram and the guide read it. */
export interface K8sObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
}

/** An allowed flow from a NetworkPolicy: from pods, the ingress controller or CIDR blocks, to pods on a port. */
export interface K8sFlow {
  readonly to: string;
  readonly port: number;
  readonly from: { readonly kind: "pods"; readonly name: string } | { readonly kind: "ingress" } | { readonly kind: "cidr"; readonly cidr: string };
  readonly policy: string;
}

export interface K8sFacts {
  readonly namespace: string;
  readonly objects: readonly K8sObject[];
  readonly warnings: readonly TargetNote[];
  readonly flows: readonly K8sFlow[];
  /** The stack part (`service:api`, `job:x`, `resource:db`) of each Kubernetes name. */
  readonly parts: ReadonlyMap<string, string>;
}

const NAME = "app.kubernetes.io/name";

type PolicyPeer = { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: unknown; ipBlock?: { cidr: string } };
type PolicySpec = { podSelector: { matchLabels?: Record<string, string> }; ingress?: { from?: PolicyPeer[]; ports?: { port: number }[] }[] };

function flowsOf(objects: readonly K8sObject[]): K8sFlow[] {
  const flows: K8sFlow[] = [];
  for (const o of objects) {
    if (o.kind !== "NetworkPolicy") continue;
    const spec = o.spec as unknown as PolicySpec;
    const to = spec.podSelector.matchLabels?.[NAME];
    if (!to) continue;
    for (const rule of spec.ingress ?? [])
      for (const port of rule.ports ?? [])
        for (const peer of rule.from ?? []) {
          const pods = peer.podSelector?.matchLabels?.[NAME];
          const from = pods
            ? ({ kind: "pods", name: pods } as const)
            : peer.ipBlock
              ? ({ kind: "cidr", cidr: peer.ipBlock.cidr } as const)
              : ({ kind: "ingress" } as const);
          flows.push({ to, port: port.port, from, policy: o.metadata.name });
        }
  }
  return flows;
}

/** The k8s target's manifests for this environment, read. */
/** Facts already read, per stack: the guide's sections and the diagram ask for the same ones. */
const readK8sFacts = new WeakMap<Stack, K8sFacts>();

export function k8sFacts(stack: Stack): K8sFacts {
  const known = readK8sFacts.get(stack);
  if (known) return known;
  const facts = k8sFactsOf(stack);
  readK8sFacts.set(stack, facts);
  return facts;
}

function k8sFactsOf(stack: Stack): K8sFacts {
  const warnings: TargetNote[] = [];
  const manifests = baseManifests(stack, new Map(), warnings);
  const objects = [...manifests.values()].flat() as K8sObject[];
  const parts = new Map<string, string>();
  for (const s of stack.services) parts.set(k8sName(s.name), `service:${s.name}`);
  for (const j of stack.jobs) parts.set(k8sName(j.name), `job:${j.name}`);
  for (const r of stack.resources) parts.set(k8sName(r.name), `resource:${r.name}`);
  return { namespace: namespaceOf(stack), objects, warnings, flows: flowsOf(objects), parts };
}
