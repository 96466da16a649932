/**
 * The places a stack runs: one table every verb reads (the schema, cost, build, the rules). Adding a target
 * starts here.
 */

/** Every target an environment may name; `local` is `cairn up` on this machine. */
export const TARGET_NAMES = ["local", "vm", "compose", "k8s", "aws"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** The targets `cairn build` writes files for, in the order reports list them. */
export const BUILD_TARGETS = ["vm", "compose", "k8s", "aws"] as const satisfies readonly TargetName[];
export type BuildTargetName = (typeof BUILD_TARGETS)[number];

export interface TargetTraits {
  /** One line for help texts and docs. */
  readonly description: string;
  /**
   * Every process of a machine shares one network namespace, so two listeners on one port clash there
   * (a vm's host; not containers, pods or tasks, which each have their own; locally Cairn moves them).
   */
  readonly sharedNetwork: boolean;
}

export const TARGETS: Readonly<Record<TargetName, TargetTraits>> = {
  local: { description: "this machine, with cairn up", sharedNetwork: false },
  vm: { description: "one Linux machine: systemd units and timers, nginx, ufw", sharedNetwork: true },
  compose: { description: "Docker Compose with an nginx proxy", sharedNetwork: false },
  k8s: { description: "Kubernetes manifests with kustomize overlays", sharedNetwork: false },
  aws: { description: "AWS: ECS Fargate, ALB, RDS, ElastiCache, S3, DynamoDB (a CDK app)", sharedNetwork: false },
};

export function isBuildTarget(name: string): name is BuildTargetName {
  return (BUILD_TARGETS as readonly string[]).includes(name);
}
