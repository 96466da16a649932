/**
 * Every deployment target Cairn can build, by name. Adding a target is one line here. Targets load
 * on demand, so that building one does not load the libraries of the others (the CDK for aws).
 */
import type { Target, TargetName } from "../targets/types.js";

/** Registered targets, by name: each entry loads its target's module. */
export const targetLoaders: Readonly<Partial<Record<TargetName, () => Promise<Target>>>> = {
  vm: async () => (await import("../targets/vm/index.js")).vmTarget,
  compose: async () => (await import("../targets/compose/index.js")).composeTarget,
  k8s: async () => (await import("../targets/k8s/index.js")).k8sTarget,
  aws: async () => (await import("../targets/aws/index.js")).awsTarget,
};

/** Names of the registered targets, sorted. */
export function targetNames(): string[] {
  return Object.keys(targetLoaders).sort();
}

/** The target of that name, loaded, or undefined. */
export async function loadTarget(name: string): Promise<Target | undefined> {
  const load = Object.hasOwn(targetLoaders, name) ? targetLoaders[name as TargetName] : undefined;
  return load ? load() : undefined;
}

/** Every registered target, loaded, in name order. */
export async function loadTargets(): Promise<Target[]> {
  const loaded = await Promise.all(targetNames().map((name) => loadTarget(name)));
  return loaded.filter((t): t is Target => t !== undefined);
}
