/**
 * Every deployment target Cairn can build, by name. Adding a target is one line here. Targets load
 * on demand, so that building one does not load the libraries of the others (the CDK for aws).
 */
import { BUILD_TARGETS, type BuildTargetName, isBuildTarget } from "../model/targets.js";
import type { TargetGenerator } from "../targets/types.js";

/** Registered targets, by name: each entry loads its target's module. */
export const targetLoaders: Readonly<Record<BuildTargetName, () => Promise<TargetGenerator>>> = {
  vm: async () => (await import("../targets/vm/index.js")).vmTarget,
  compose: async () => (await import("../targets/compose/index.js")).composeTarget,
  k8s: async () => (await import("../targets/k8s/index.js")).k8sTarget,
  aws: async () => (await import("../targets/aws/index.js")).awsTarget,
};

/** Names of the registered targets, in the model's order. */
export function targetNames(): string[] {
  return [...BUILD_TARGETS];
}

/** The target of that name, loaded, or undefined. */
export async function loadTarget(name: string): Promise<TargetGenerator | undefined> {
  return isBuildTarget(name) ? targetLoaders[name]() : undefined;
}

/** Every registered target, loaded, in the model's order. */
export async function loadTargets(): Promise<TargetGenerator[]> {
  return Promise.all(BUILD_TARGETS.map((name) => targetLoaders[name]()));
}
