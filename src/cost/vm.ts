/** The `vm` and `compose` options: EC2 instances that run every process, with their disk and address. Pure. */

import { fmt, jobId, type PricingContext, resourceId, selfHosted, serviceId } from "./context.js";
import { cdn, publicIpv4, waf } from "./edge.js";
import { gb } from "./lines.js";
import { demand, HEADROOM, smallestFit } from "./sizing.js";

/** Prices the machines; `compose` is priced the same way (Docker Compose on the same instances). */
export function machines(ctx: PricingContext): void {
  const { stack, bill } = ctx;
  const env = stack.environment;
  const self = selfHosted(ctx);
  const n = env.instances;
  let type = env.instance;
  if (!type) {
    const need = demand(stack, self);
    const fit = smallestFit(need, n);
    type = fit.name;
    bill.assume(
      fit.fits
        ? `Instance ${type} chosen: the smallest t3 that holds ${need.detail}${n > 1 ? ` over ${n} instances` : ""} with ${Math.round((HEADROOM - 1) * 100)}% headroom and 0.5 GiB for the system.`
        : `No t3 holds ${need.detail} with headroom; priced ${type}. Set instance: or instances: in the environment.`,
    );
  }
  const components = [...stack.services.map((s) => serviceId(s.name)), ...stack.jobs.map((j) => jobId(j.name)), ...self.map(resourceId), "edge"];
  const how = ctx.option === "compose" ? "Docker Compose" : "systemd";
  bill.add({
    components,
    service: "EC2",
    item: `${n} x ${type} (${how}: every process${self.length ? `, ${self.join(", ")}` : ""})`,
    price: { service: "ec2", sku: type, region: ctx.region },
    quantity: n * ctx.hours,
    unit: "instance-hours",
    note: env.spot
      ? "spot requested: the catalog holds on-demand prices only, so priced on-demand (spot is often 60-70% less)"
      : `${fmt(ctx.hours)} h a month at the on-demand list price`,
  });
  if (stack.jobs.length) bill.assume(`Jobs (${stack.jobs.map((j) => j.name).join(", ")}) run on the instance on their schedule: no extra line.`);
  bill.add({
    components: ["edge"],
    service: "EBS",
    item: `${n} x ${fmt(gb(env.diskBytes))} GB gp3`,
    price: { service: "ebs", sku: "gp3 storage", region: ctx.region },
    quantity: n * gb(env.diskBytes),
    note: "gp3 list price per GB-month; 3,000 IOPS and 125 MB/s included",
  });
  publicIpv4(ctx, n, n === 1 ? "the instance's address" : "one per instance", true);
  // A CDN in front of the machine is CloudFront; WAF rules attach to it, otherwise the gateway applies them.
  cdn(ctx);
  waf(ctx, stack.edge.cdn);
}
