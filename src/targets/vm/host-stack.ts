/** What one host of a vm environment runs: the stack narrowed to its services and jobs, and the routes to them. Pure. */
import type { DeployHost, Stack } from "../../model/types.js";
import { planVm, type VmPlan } from "./plan.js";

/** The stack as one host runs it: its services and jobs, and the routes to them. */
export function stackForHost(stack: Stack, host: DeployHost): Stack {
  const services = stack.services.filter((s) => host.services.includes(s.name));
  const names = new Set(services.map((s) => s.name));
  return {
    ...stack,
    services,
    jobs: stack.jobs.filter((j) => host.jobs.includes(j.name)),
    routes: stack.routes.filter((r) => r.toKind === "static" || names.has(r.to)),
  };
}

/** The vm plan of one host: what `cairn deploy` puts there and `cairn verify` expects to find. */
export function planHost(stack: Stack, host: DeployHost): VmPlan {
  return planVm(stackForHost(stack, host));
}
