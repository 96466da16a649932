/** The `k8s` option: an EKS cluster, worker nodes sized to hold the pods, and the same network and data. Pure. */

import { network } from "./aws.js";
import { fmt, jobId, type PricingContext, resourceId, selfHosted, serviceId } from "./context.js";
import { cdn, waf } from "./edge.js";
import { gb } from "./lines.js";
import { demand, EC2_TYPES, HEADROOM, nodesFor, OTHER_TYPES } from "./sizing.js";

/** The control-plane price Cairn looks for; the shipped catalog does not hold it, so `--prices` must supply it. */
export const EKS_SKU = { service: "eks", sku: "cluster (standard support)" } as const;

/** Prices the EKS option. */
export function eks(ctx: PricingContext): void {
  const { stack, bill } = ctx;
  const self = selfHosted(ctx);
  bill.add({
    components: ["edge"],
    service: "EKS",
    item: "control plane",
    price: { ...EKS_SKU, region: ctx.region },
    quantity: ctx.hours,
    unit: "cluster-hours",
    note: "standard support; extended support costs more",
  });
  const need = demand(stack, self);
  const given = stack.environment.instance;
  const hourly = (type: string) => ctx.bill.book.find("ec2", type, ctx.region)?.usd;
  let nodes: { type: string; count: number } | null;
  if (given) {
    const t = [...EC2_TYPES, ...OTHER_TYPES].find((x) => x.name === given);
    const count = t
      ? Math.max(2, Math.ceil((need.cpu * HEADROOM) / (t.cpu - 0.1)), Math.ceil((need.memoryGiB * HEADROOM) / (t.memoryGiB * 0.8)))
      : Math.max(2, stack.environment.instances);
    nodes = { type: given, count };
  } else {
    nodes = nodesFor(need, hourly);
  }
  if (!nodes) nodes = { type: "t3.medium", count: 2 };
  bill.assume(
    `Worker nodes: ${nodes.count} x ${nodes.type}${given ? " (instance from the file)" : ", the cheapest t3 set"} holding ${need.detail} with ${Math.round((HEADROOM - 1) * 100)}% headroom (20% of memory reserved on each node, at least two nodes).`,
  );
  bill.add({
    components: [...stack.services.map((s) => serviceId(s.name)), ...stack.jobs.map((j) => jobId(j.name)), ...self.map(resourceId)],
    service: "EC2",
    item: `${nodes.count} x ${nodes.type} worker nodes`,
    price: { service: "ec2", sku: nodes.type, region: ctx.region },
    quantity: nodes.count * ctx.hours,
    unit: "instance-hours",
    note: "pods, jobs and in-cluster data stores share them",
  });
  bill.add({
    components: ["edge"],
    service: "EBS",
    item: `${nodes.count} x ${fmt(gb(stack.environment.diskBytes))} GB gp3 node disks`,
    price: { service: "ebs", sku: "gp3 storage", region: ctx.region },
    quantity: nodes.count * gb(stack.environment.diskBytes),
  });
  for (const r of stack.resources) {
    if (r.type !== "postgres" || !self.includes(r.name)) continue;
    bill.add({
      components: [resourceId(r.name)],
      service: "EBS",
      item: `${r.name}: ${fmt(gb(r.storageBytes))} GB gp3 volume`,
      price: { service: "ebs", sku: "gp3 storage", region: ctx.region },
      quantity: gb(r.storageBytes),
      note: "persistent volume of the in-cluster database",
    });
  }
  network(ctx, nodes.count, "nodes in public subnets");
  cdn(ctx);
  waf(ctx, true);
}
