/** The `aws` option: ECS Fargate tasks behind an ALB, with the NAT gateway when tasks sit in private subnets. Pure. */
import { fargateSize } from "../model/fargate.js";
import type { Job, Service } from "../model/types.js";
import { fmt, jobId, type PricingContext, serviceId } from "./context.js";
import { cdn, publicIpv4, waf } from "./edge.js";
import { gb } from "./lines.js";
import { runsPerMonth } from "./runs.js";

const GIB = 1024 ** 3;
/** The task size Fargate bills for what a process asks: the size the aws target builds. */
export function billedSize(cpu: number, memoryBytes: number): { cpu: number; memoryGB: number; rounded: boolean } {
  const size = fargateSize(cpu, memoryBytes);
  return { cpu: size.cpu / 1024, memoryGB: size.memoryMiB / 1024, rounded: size.roundedUp };
}

function task(ctx: PricingContext, components: string[], label: string, p: Service | Job, taskHours: number, note: string): void {
  const size = billedSize(p.size.cpu, p.size.memoryBytes);
  const rounded = size.rounded
    ? `; ${fmt(p.size.cpu)} vCPU / ${fmt(p.size.memoryBytes / GIB)} GiB asked, billed as ${size.cpu} vCPU / ${size.memoryGB} GB`
    : "";
  const vcpu = ctx.bill.book.find("fargate", "linux-x86 vCPU", ctx.region)?.usd ?? 0;
  const mem = ctx.bill.book.find("fargate", "linux-x86 memory", ctx.region)?.usd ?? 0;
  const month = Math.round((size.cpu * vcpu + size.memoryGB * mem) * ctx.hours * 100) / 100;
  const perTask = p.kind === "service" ? `; ${fmt(month)} USD per task-month at list price` : "";
  ctx.bill.add({
    components,
    service: "Fargate",
    item: `${label}: vCPU`,
    price: { service: "fargate", sku: "linux-x86 vCPU", region: ctx.region },
    quantity: size.cpu * taskHours,
    unit: "vCPU-hours",
    note: `${note}${rounded}${perTask}`,
  });
  ctx.bill.add({
    components,
    service: "Fargate",
    item: `${label}: memory`,
    price: { service: "fargate", sku: "linux-x86 memory", region: ctx.region },
    quantity: size.memoryGB * taskHours,
    unit: "GB-hours",
  });
}

/** Default run time of a job that sets no timeout. */
export const DEFAULT_JOB_MINUTES = 15;

/** Fargate tasks for services (desired count) and scheduled jobs (runs x run time). */
export function tasks(ctx: PricingContext): number {
  let count = 0;
  for (const s of ctx.stack.services) {
    count += s.replicas;
    const scale = s.scale ? ` (min ${s.scale.min}, max ${s.scale.max} under autoscaling)` : "";
    task(
      ctx,
      [serviceId(s.name)],
      `${s.name}, ${s.replicas} task${s.replicas === 1 ? "" : "s"}`,
      s,
      s.replicas * ctx.hours,
      `desired count ${s.replicas}${scale}`,
    );
  }
  if (ctx.stack.services.some((s) => s.scale)) ctx.bill.assume("Autoscaled services are priced at their desired count, all month.");
  for (const j of ctx.stack.jobs) {
    if (!j.schedule) {
      ctx.bill.skip(jobId(j.name), "no schedule: runs on demand only, not priced");
      continue;
    }
    const runs = runsPerMonth(j.schedule.cron);
    const minutes = j.timeoutMs ? j.timeoutMs / 60_000 : DEFAULT_JOB_MINUTES;
    task(ctx, [jobId(j.name)], `${j.name}, ${fmt(runs)} runs x ${fmt(minutes)} min`, j, (runs * minutes) / 60, `scheduled task (${j.schedule.source})`);
    ctx.bill.assume(
      `${j.name}: ${fmt(runs)} runs a month, each priced at ${j.timeoutMs ? `its timeout (${fmt(minutes)} min), an upper bound` : `${DEFAULT_JOB_MINUTES} min (no timeout given)`}.`,
    );
  }
  return count;
}

/** Share of data out assumed to leave through the NAT gateway (calls to outside APIs, image pulls). */
export const NAT_SHARE = 0.1;

/** ALB, NAT gateway and public addresses: the network every container option pays for. */
export function network(ctx: PricingContext, addressesWithoutNat: number, what: string): void {
  const { stack, bill } = ctx;
  const usage = stack.environment.usage;
  const publicServices = stack.services.filter((s) => s.public);
  if (publicServices.length) {
    const perSecond = usage.requests / (ctx.hours * 3600 || 1);
    const gbPerHour = gb(usage.dataOutBytes) / (ctx.hours || 1);
    const lcu = Math.max(perSecond / 25, gbPerHour);
    bill.add({
      components: ["edge"],
      service: "ALB",
      item: "load balancer",
      price: { service: "elb-alb", sku: "ALB", region: ctx.region },
      quantity: ctx.hours,
      unit: "hours",
    });
    bill.add({
      components: ["edge"],
      service: "ALB",
      item: `${fmt(Math.round(lcu * 1000) / 1000)} LCU on average`,
      price: { service: "elb-alb", sku: "ALB LCU", region: ctx.region },
      quantity: Math.round(lcu * ctx.hours * 1000) / 1000,
      unit: "LCU-hours",
      note: "from the usage: one new connection per request (25/s per LCU) or 1 GB/h processed, whichever is more",
    });
  } else {
    bill.skip("edge", "no public service: no load balancer");
  }
  if (stack.environment.nat) {
    bill.add({
      components: ["edge"],
      service: "NAT gateway",
      item: "one gateway",
      price: { service: "nat-gateway", sku: "nat-gateway-hour", region: ctx.region },
      quantity: ctx.hours,
      unit: "hours",
      note: "private subnets need it: often the hidden cost; one per zone doubles it",
    });
    bill.add({
      components: ["edge"],
      service: "NAT gateway",
      item: "data processed",
      price: { service: "nat-gateway", sku: "data processed", region: ctx.region },
      quantity: gb(usage.dataOutBytes) * NAT_SHARE,
      note: `${NAT_SHARE * 100}% of data out assumed to leave through it`,
    });
    bill.assume(
      `NAT gateway: one, in one zone; ${NAT_SHARE * 100}% of data out assumed to pass through it (outside APIs, image pulls). Set nat: false for public subnets.`,
    );
  }
  const albAddresses = publicServices.length ? 2 : 0;
  publicIpv4(
    ctx,
    albAddresses + (stack.environment.nat ? 1 : addressesWithoutNat),
    [publicServices.length ? "2 for the ALB" : "", stack.environment.nat ? "1 for the NAT" : `${addressesWithoutNat} for the ${what}`]
      .filter(Boolean)
      .join(", "),
  );
}

/** Prices the Fargate option. */
export function fargate(ctx: PricingContext): void {
  const count = tasks(ctx);
  network(ctx, count, "tasks in public subnets");
  cdn(ctx);
  waf(ctx, true);
}
