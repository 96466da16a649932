/** Lines of operations every cloud option shares: logs, alarms, secrets, and the file's extra costs. Pure. */
import { alarmId, extraId, fmt, type PricingContext, secretId } from "./context.js";
import { CostInputError } from "./errors.js";
import { gb } from "./lines.js";

/** CloudWatch Logs ingestion when logs go there (always on aws and k8s). */
export function logs(ctx: PricingContext): void {
  const cloud = ctx.option === "aws" || ctx.option === "k8s" || ctx.stack.logs.destination === "cloudwatch";
  if (!cloud) {
    ctx.bill.skip("logs", `kept on the machine's disk (${ctx.stack.logs.destination})`);
    return;
  }
  ctx.bill.add({
    components: ["logs"],
    service: "CloudWatch",
    item: `log ingestion (${ctx.stack.logs.group})`,
    price: { service: "cloudwatch", sku: "logs ingestion (standard class)", region: ctx.region },
    quantity: gb(ctx.stack.environment.usage.logBytes),
    note: "log storage after ingestion is not in the catalog",
  });
}

/** One CloudWatch alarm per alarm; on machines, metrics other than CPU need custom metrics from the agent. */
export function alarms(ctx: PricingContext): void {
  const list = ctx.stack.alarms;
  if (list.length === 0) return;
  const components = list.map((a) => alarmId(a.source));
  ctx.bill.add({
    components,
    service: "CloudWatch",
    item: `${list.length} alarms`,
    price: { service: "cloudwatch", sku: "standard-resolution alarm", region: ctx.region },
    quantity: list.length,
    unit: "alarm-month",
  });
  const machine = ctx.option === "vm" || ctx.option === "compose";
  const custom = machine ? [...new Set(list.map((a) => a.metric).filter((m) => m !== "cpu"))] : [];
  if (custom.length) {
    ctx.bill.add({
      components,
      service: "CloudWatch",
      item: `${custom.length} custom metrics (${custom.join(", ")})`,
      price: { service: "cloudwatch", sku: "custom metric, first 10,000", region: ctx.region },
      quantity: custom.length,
      unit: "metric-month",
      note: "published by the agent on the machine; EC2 CPU is a free metric",
    });
  } else if (!machine) {
    ctx.bill.assume("Alarms watch the ECS, ALB and RDS metrics AWS publishes for free; no custom metrics are priced.");
  }
}

/** Secrets Manager on aws and k8s; on machines secrets live in a file on the machine. */
export function secrets(ctx: PricingContext): void {
  const list = ctx.stack.secrets;
  if (list.length === 0) return;
  if (ctx.option === "vm" || ctx.option === "compose") {
    for (const s of list) ctx.bill.skip(secretId(s.name), "kept in an environment file on the machine: no charge");
    return;
  }
  ctx.bill.add({
    components: list.map((s) => secretId(s.name)),
    service: "Secrets Manager",
    item: `${list.length} secrets`,
    price: { service: "secretsmanager", sku: "secret", region: ctx.region },
    quantity: list.length,
    unit: "secret-month",
    note: "API calls (read at task start) not priced: $0.05 per 10,000",
  });
}

/** The file's extra costs, each its own line; one in EUR needs the user's rate to be added. */
export function extraCosts(ctx: PricingContext): void {
  for (const c of ctx.stack.environment.extraCosts) {
    let usd = c.monthly;
    let note = c.note;
    if (c.currency === "EUR") {
      if (ctx.rate === null) {
        throw new CostInputError(
          `extra cost "${c.name}" is in EUR and no exchange rate was given`,
          "Pass --currency EUR --rate R (EUR per USD) so Cairn can add it.",
        );
      }
      usd = c.monthly / ctx.rate;
      note = `${fmt(c.monthly)} EUR at ${ctx.rate} EUR/USD${note ? `; ${note}` : ""}`;
    }
    ctx.bill.addFixed({
      components: [extraId(c.name)],
      service: c.name,
      item: "plan (from the file)",
      quantity: 1,
      unit: "month",
      unitPrice: usd,
      note: note ?? "extra_costs in the file",
    });
  }
}
