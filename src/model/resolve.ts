/**
 * Resolution: a validated stack file and an environment name in, a read-only, fully defaulted
 * `Stack` out. Total: it never throws on a file that passed validation; problems are the rules'
 * job, reported before.
 */
import type { StackFile } from "../schema/stack.js";
import { applyEnvironment } from "./merge.js";
import type { Names } from "./references.js";
import { resolveAlarms } from "./resolve-alarms.js";
import { resolveEdge, resolveRoutes } from "./resolve-edge.js";
import { resolveEnvironment } from "./resolve-environment.js";
import { ms, resolveJob, resolveService } from "./resolve-process.js";
import { resolveResource } from "./resolve-resource.js";
import type { EnvVar, Job, Resource, Secret, Service, Stack } from "./types.js";
import { resourceVariables, serviceVariable } from "./variables.js";

/** Names of every part, for reference parsing. */
export function namesOf(file: StackFile): Names {
  return {
    services: new Set(Object.keys(file.services ?? {})),
    resources: new Map(Object.entries(file.resources ?? {}).map(([name, r]) => [name, r.type])),
  };
}

function secretsOf(file: StackFile): Map<string, { description: string | null; optional: boolean; generate: boolean }> {
  const out = new Map<string, { description: string | null; optional: boolean; generate: boolean }>();
  const input = file.secrets;
  if (Array.isArray(input)) for (const name of input) out.set(name, { description: null, optional: false, generate: false });
  else
    for (const [name, spec] of Object.entries(input ?? {})) {
      const s = typeof spec === "object" && spec !== null ? spec : { description: spec ?? undefined };
      out.set(name, {
        description: s.description ?? null,
        optional: "optional" in s ? (s.optional ?? false) : false,
        generate: "generate" in s ? (s.generate ?? false) : false,
      });
    }
  return out;
}

/** Adds the variables Cairn gives for used resources and depended-on services; the file's own win. */
function withVariables<P extends Service | Job>(process: P, resources: ReadonlyMap<string, Resource>, services: ReadonlySet<string>): P {
  const byName = new Map<string, EnvVar>();
  for (const name of process.uses) for (const v of resourceVariables(resources.get(name) as Resource)) byName.set(v.name, v);
  for (const name of process.dependsOn) if (services.has(name)) byName.set(serviceVariable(name).name, serviceVariable(name));
  for (const v of process.env) byName.set(v.name, v);
  const env = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...process, env };
}

/** Resolves the stack file for one environment (`null`: the file without overrides, as `local`). */
export function resolveStack(input: StackFile, envName: string | null, location: { root: string; file: string }): Stack {
  const environments = Object.keys(input.environments ?? {});
  const name = envName ?? environments.find((n) => input.environments?.[n]?.target === "local" || n === "local") ?? "local";
  const file = applyEnvironment(input, environments.includes(name) ? name : null);
  const environment = resolveEnvironment(file, name);
  const names = namesOf(file);
  const staticNames = new Set(
    Object.entries(file.resources ?? {})
      .filter(([, r]) => r.type === "static")
      .map(([n]) => n),
  );
  const routes = resolveRoutes(file.routes, staticNames);
  const routed = new Set(routes.map((r) => r.to));

  const edge = resolveEdge(file.edge);
  const rawServices = Object.entries(file.services ?? {}).map(([n, s]) => resolveService(n, s, names, routed.has(n), edge));
  const rawJobs = Object.entries(file.jobs ?? {}).map(([n, j]) => resolveJob(n, j, names));
  const processes = [...rawServices, ...rawJobs];
  // Indexed once so that resolution stays linear in the number of parts.
  const users = new Map<string, string[]>();
  const secretUsers = new Map<string, string[]>();
  const add = (index: Map<string, string[]>, key: string, name: string) => {
    const list = index.get(key);
    if (list) list.push(name);
    else index.set(key, [name]);
  };
  for (const p of processes) {
    for (const r of p.uses) add(users, r, p.name);
    for (const s of p.secrets) add(secretUsers, s, p.name);
  }
  const usedBy = (resource: string) => users.get(resource) ?? [];
  const resources = Object.entries(file.resources ?? {}).map(([n, r]) =>
    resolveResource(n, r, { stack: file.name, environment: environment.name, target: environment.target }, names, usedBy(n)),
  );
  const byName = new Map(resources.map((r) => [r.name, r]));

  const services = rawServices.map((s) => withVariables(s, byName, names.services));
  const jobs = rawJobs.map((j) => withVariables(j, byName, names.services));
  const declared = secretsOf(file);
  const secrets: Secret[] = [...declared].map(([secret, spec]) => ({
    name: secret,
    ...spec,
    usedBy: [
      ...(secretUsers.get(secret) ?? []),
      ...resources.filter((r) => r.type === "external" && r.url.some((part) => part.kind === "secret" && part.name === secret)).map((r) => r.name),
    ],
  }));
  const target = environment.target;
  return deepFreeze({
    name: file.name,
    description: file.description ?? null,
    root: location.root,
    file: location.file,
    environment,
    environments: environments.length ? environments : ["local"],
    services,
    jobs,
    resources,
    routes,
    edge,
    secrets,
    alarms: resolveAlarms(file.alarms),
    logs: {
      retentionMs: file.logs?.retention === undefined ? 30 * 86_400_000 : resolveRetention(file.logs.retention),
      destination: file.logs?.destination ?? (target === "local" ? "local" : target === "vm" ? "journal" : target === "compose" ? "local" : "cloudwatch"),
      group: file.logs?.group ?? `/${file.name}`,
    },
    lintIgnore: (input.lint?.ignore ?? []).map((i) => ({ rule: i.rule, at: i.at ?? null, reason: i.reason })),
  });
}

const resolveRetention = (value: string | number) => ms(value, 30 * 86_400_000);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
