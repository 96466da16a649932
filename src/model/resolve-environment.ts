/** Resolves an environment: target, place, sizes and the usage assumptions used for pricing. */
import type { StackFile } from "../schema/stack.js";
import { resolveDeploy, resolveHosts, resolveSsh } from "./resolve-deploy.js";
import { bytes } from "./resolve-process.js";
import type { Environment, TargetName, Usage } from "./types.js";

export const USAGE_DEFAULTS = {
  requests: 1_000_000,
  data_out: 10e9,
  storage: 5e9,
  logs: 5e9,
  table_reads: 1_000_000,
  table_writes: 100_000,
  table_storage: 1e9,
  hours: 730,
} as const;

function usage(file: StackFile, envInput: NonNullable<StackFile["environments"]>[string] | undefined): Usage {
  const given = { ...file.usage, ...envInput?.usage };
  const defaulted = (Object.keys(USAGE_DEFAULTS) as (keyof typeof USAGE_DEFAULTS)[]).filter((k) => given[k] === undefined);
  if (given.cdn_out === undefined) defaulted.push("cdn_out" as never);
  const dataOutBytes = bytes(given.data_out, USAGE_DEFAULTS.data_out);
  return {
    requests: given.requests ?? USAGE_DEFAULTS.requests,
    dataOutBytes,
    storageBytes: bytes(given.storage, USAGE_DEFAULTS.storage),
    logBytes: bytes(given.logs, USAGE_DEFAULTS.logs),
    tableReads: given.table_reads ?? USAGE_DEFAULTS.table_reads,
    tableWrites: given.table_writes ?? USAGE_DEFAULTS.table_writes,
    tableStorageBytes: bytes(given.table_storage, USAGE_DEFAULTS.table_storage),
    cdnOutBytes: bytes(given.cdn_out, dataOutBytes),
    hours: given.hours ?? USAGE_DEFAULTS.hours,
    defaulted,
  };
}

export function resolveEnvironment(file: StackFile, name: string): Environment {
  const input = file.environments?.[name];
  const target: TargetName = input?.target ?? "local";
  const compare = [target, ...(input?.compare ?? []).filter((t) => t !== target)];
  return {
    name,
    declared: input !== undefined,
    description: input?.description ?? null,
    target,
    region: input?.region ?? file.region ?? "us-east-1",
    domain: input?.domain ?? file.domain ?? null,
    instance: input?.instance ?? null,
    instances: input?.instances ?? 1,
    diskBytes: bytes(input?.disk, 20e9),
    nat: input?.nat ?? true,
    spot: input?.spot ?? false,
    compare,
    usage: usage(file, input),
    extraCosts: [...(file.extra_costs ?? []), ...(input?.extra_costs ?? [])].map((c) => ({
      name: c.name,
      monthly: c.monthly,
      currency: c.currency ?? "USD",
      note: c.note ?? null,
    })),
    hosts: resolveHosts(file, input),
    ssh: resolveSsh(input),
    deploy: resolveDeploy(file, input),
  };
}
