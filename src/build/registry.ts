/**
 * Every deployment target Cairn can build, by name. Adding a target is one import and one entry.
 */
import { awsTarget } from "../targets/aws/index.js";
import { composeTarget } from "../targets/compose/index.js";
import { k8sTarget } from "../targets/k8s/index.js";
import type { Target, TargetName } from "../targets/types.js";
import { vmTarget } from "../targets/vm/index.js";

/** Registered targets, by name. */
export const targets: Readonly<Partial<Record<TargetName, Target>>> = {
  vm: vmTarget,
  compose: composeTarget,
  k8s: k8sTarget,
  aws: awsTarget,
};

/** Names of the registered targets, sorted. */
export function targetNames(): string[] {
  return Object.keys(targets).sort();
}

/** The target of that name, or undefined. */
export function findTarget(name: string): Target | undefined {
  return Object.hasOwn(targets, name) ? targets[name as TargetName] : undefined;
}
