/** Kubernetes names and the recommended labels (app.kubernetes.io/*), stable for a given stack. */
import type { Stack } from "../../model/types.js";

/** A DNS-1123 label: lower-case letters, digits and dashes, at most 63 characters. */
export function k8sName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 63) || "x"
  );
}

/** Namespace of one stack in one environment. */
export function namespaceOf(stack: Stack): string {
  return k8sName(`${stack.name}-${stack.environment.name}`);
}

/** Name of the one Secret the README tells the user to create. */
export function secretName(stack: Stack): string {
  return k8sName(`${stack.name}-secrets`);
}

export type Component = "web" | "worker" | "job" | "database" | "cache";

/** Labels that select a component's pods: stable across releases, so never the version. */
export function selectorLabels(stack: Stack, name: string): Record<string, string> {
  return { "app.kubernetes.io/instance": namespaceOf(stack), "app.kubernetes.io/name": k8sName(name) };
}

/** The Kubernetes recommended labels for one component. */
export function labels(stack: Stack, name: string, component: Component): Record<string, string> {
  return {
    ...selectorLabels(stack, name),
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/managed-by": "cairn",
    "app.kubernetes.io/part-of": k8sName(stack.name),
  };
}

/** Labels of what belongs to the whole stack (the namespace, the default policy). */
export function partOf(stack: Stack): Record<string, string> {
  return { "app.kubernetes.io/instance": namespaceOf(stack), "app.kubernetes.io/managed-by": "cairn", "app.kubernetes.io/part-of": k8sName(stack.name) };
}

/** Object metadata for a namespaced object (the namespace is set by the overlay's kustomization). */
export function metadata(stack: Stack, name: string, component: Component, annotations?: Record<string, string>) {
  return { name: k8sName(name), labels: labels(stack, name, component), ...(annotations && Object.keys(annotations).length ? { annotations } : {}) };
}

/** Kubernetes CPU quantity: 0.5 -> "500m", 2 -> "2". */
export function cpuQuantity(cpu: number): string {
  return Number.isInteger(cpu) ? String(cpu) : `${Math.round(cpu * 1000)}m`;
}

/** Kubernetes memory quantity in Mi (rounded up), or Gi when exact. */
export function memoryQuantity(bytes: number): string {
  const mi = Math.ceil(bytes / 1024 ** 2);
  return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}

/** Storage quantity in Gi, rounded up (volumes are sized in whole GiB). */
export function storageQuantity(bytes: number): string {
  return `${Math.max(1, Math.ceil(bytes / 1024 ** 3))}Gi`;
}

export const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
