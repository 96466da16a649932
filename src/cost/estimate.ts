/**
 * From a stack to a bill: the monthly price of one environment on one hosting option, line by line.
 * Pure: the price book comes in, nothing is read or written.
 */
import { BUILD_TARGETS } from "../model/targets.js";
import type { Stack, TargetName } from "../model/types.js";
import { fargate } from "./aws.js";
import type { PriceBook } from "./catalog.js";
import { componentsOf, contextFor, fmt } from "./context.js";
import { dataOut, dns } from "./edge.js";
import { eks } from "./k8s.js";
import { Bill } from "./lines.js";
import { managedResources } from "./managed.js";
import { alarms, extraCosts, logs, machineMetrics, secrets } from "./operations.js";
import type { OptionCost } from "./types.js";
import { machines } from "./vm.js";

export interface EstimateOptions {
  /** EUR per USD, when the user gave one. */
  readonly rate?: number | null;
}

/** The state the usage assumptions were taken from: each default the file did not set is stated. */
function usageAssumptions(stack: Stack, bill: Bill): void {
  const u = stack.environment.usage;
  const value: Record<string, string> = {
    requests: `${fmt(u.requests)} requests`,
    data_out: `${u.dataOutBytes / 1e9} GB data out`,
    storage: `${u.storageBytes / 1e9} GB stored`,
    logs: `${u.logBytes / 1e9} GB of logs`,
    table_reads: `${fmt(u.tableReads)} table reads`,
    table_writes: `${fmt(u.tableWrites)} table writes`,
    table_storage: `${u.tableStorageBytes / 1e9} GB in tables`,
    cdn_out: `${u.cdnOutBytes / 1e9} GB through the CDN (= data out)`,
    hours: `${u.hours} hours`,
  };
  const has = (type: string) => stack.resources.some((r) => r.type === type && r.placement !== "external");
  const cdn = stack.edge.cdn || stack.resources.some((r) => (r.type === "bucket" || r.type === "static") && r.cdn);
  // Only the defaults a line can use are stated.
  const relevant = u.defaulted.filter((k) =>
    k.startsWith("table_") ? has("table") : k === "storage" ? has("bucket") || has("static") : k === "cdn_out" ? cdn : true,
  );
  if (relevant.length) bill.assume(`Usage defaults (not set in the file): ${relevant.map((k) => value[k] ?? k).join(", ")} a month.`);
}

/** Prices `stack` (one environment) on `option`. */
export function estimate(stack: Stack, option: TargetName, book: PriceBook, options: EstimateOptions = {}): OptionCost {
  const bill = new Bill(book);
  const ctx = contextFor(stack, option, bill, options.rate ?? null);
  if (option === "local") {
    const external = new Set(stack.resources.filter((r) => r.placement === "external").map((r) => `resource:${r.name}`));
    for (const c of componentsOf(stack)) {
      if (external.has(c)) bill.skip(c, "external: billed by its own provider (add it under extra_costs to include it)");
      else if (!c.startsWith("extra:")) bill.skip(c, "runs on this machine (cairn up): no cloud cost");
    }
    extraCosts(ctx);
  } else {
    usageAssumptions(stack, bill);
    if (option === "vm" || option === "compose") machines(ctx);
    else if (option === "aws") fargate(ctx);
    else eks(ctx);
    managedResources(ctx);
    dns(ctx);
    logs(ctx);
    alarms(ctx);
    machineMetrics(ctx);
    secrets(ctx);
    dataOut(ctx);
    extraCosts(ctx);
  }
  return {
    environment: stack.environment.name,
    option,
    region: ctx.region,
    lines: bill.lines,
    notPriced: bill.notPriced,
    assumptions: bill.assumptions,
    missing: bill.missing,
    total: bill.total,
  };
}

/** The options to price for an environment: its target and `compare`, or every option with `all`. */
export function optionsFor(stack: Stack, all: boolean): TargetName[] {
  if (!all) return [...stack.environment.compare];
  const every: readonly TargetName[] = BUILD_TARGETS;
  return [stack.environment.target, ...every.filter((t) => t !== stack.environment.target)];
}

/** Components of the model that appear neither in a line nor in the not-priced list (should be none). */
export function unaccounted(stack: Stack, cost: OptionCost): string[] {
  const seen = new Set([...cost.lines.flatMap((l) => l.components), ...cost.notPriced.map((n) => n.component)]);
  return componentsOf(stack).filter((c) => !seen.has(c));
}
