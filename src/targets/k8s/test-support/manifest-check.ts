/**
 * Checks a Kubernetes object two ways: the `kubernetes-models` validator of its kind (types,
 * required fields, formats), and a check of our own that rejects fields the schema does not know.
 * kubernetes-models does not reject unknown fields, so the second check runs the same validator on
 * a proxy that records which properties it reads: a schema reads every property it declares, so a
 * property it never read is one it does not know. Objects it enumerates (maps such as labels) may
 * hold any key.
 */

import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { CronJob } from "kubernetes-models/batch/v1";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Namespace, Service } from "kubernetes-models/v1";

type Model = { prototype: { validate(this: unknown): void } };

const MODELS: Record<string, Model> = {
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "batch/v1/CronJob": CronJob,
  "v1/Namespace": Namespace,
  "v1/Service": Service,
  "networking.k8s.io/v1/Ingress": Ingress,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  // prometheus-operator's CRD schema, as its kubernetes-models package ships it.
  "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule,
};

/** Problems of one object: empty when it is valid and every field is known. */
export function checkManifest(object: unknown): string[] {
  const o = object as { apiVersion?: string; kind?: string };
  const model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!model) return [`no validator for ${o.apiVersion} ${o.kind}`];
  const problems: string[] = [];
  const read = new WeakMap<object, Set<string>>();
  const enumerated = new WeakSet<object>();
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (!value || typeof value !== "object") return value;
    const cached = proxies.get(value);
    if (cached) return cached;
    read.set(value, new Set());
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === "string") read.get(target)?.add(key);
        return wrap(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        if (typeof key === "string") read.get(target)?.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        enumerated.add(target);
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  try {
    model.prototype.validate.call(wrap(object));
  } catch (error) {
    problems.push(`${o.kind}: ${(error as Error).message}`);
  }
  const walk = (value: unknown, path: string): void => {
    if (!value || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, `${path}/${i}`);
      return;
    }
    const known = read.get(value);
    for (const [key, child] of Object.entries(value)) {
      if (!enumerated.has(value) && !known?.has(key)) problems.push(`${o.kind}: unknown field ${path}/${key}`);
      walk(child, `${path}/${key}`);
    }
  };
  walk(object, "");
  return problems;
}

/** Fields a kustomization may have (kustomize's Kustomization type, the part Cairn writes). */
const KUSTOMIZATION_FIELDS = new Set(["apiVersion", "kind", "namespace", "resources", "labels", "commonLabels", "patches", "images", "namePrefix"]);

export function checkKustomization(object: Record<string, unknown>): string[] {
  const problems = Object.keys(object)
    .filter((k) => !KUSTOMIZATION_FIELDS.has(k))
    .map((k) => `Kustomization: unknown field /${k}`);
  if (object.apiVersion !== "kustomize.config.k8s.io/v1beta1" || object.kind !== "Kustomization") problems.push("Kustomization: wrong apiVersion or kind");
  if (!Array.isArray(object.resources) || !object.resources.length) problems.push("Kustomization: no resources");
  return problems;
}
