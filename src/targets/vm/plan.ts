/**
 * The vm plan: everything one machine needs, as data (layout and ports, packages, units, replicas,
 * timers, firewall rules, the nginx site, TLS, secrets and variable files, data stores, the CloudWatch
 * agent's files). The vm
 * target's files are one rendering of it (`render.ts`); `cairn deploy` acts on a host from the
 * same plan. Pure.
 */
import { portClashes } from "../../model/port-clashes.js";
import type { Postgres, Redis, Stack } from "../../model/types.js";
import { needsProxy, tlsOn } from "../common/edge.js";
import { edgeMetricsLog } from "../common/machine-telemetry.js";
import { renderNginx, serverNames } from "../common/nginx.js";
import { edgeNotes } from "../common/notes.js";
import type { GeneratedFile, TargetNote } from "../types.js";
import { planCloudWatch, type VmCloudWatch } from "./cloudwatch.js";
import { type ProcessEnv, processEnv, Store, type StoreKey } from "./env.js";
import { envFilePath } from "./install.js";
import { instances, onMachine, planLayout, unitBase, type VmLayout } from "./layout.js";
import { packagesOf, type VmPackage } from "./packages.js";
import { resourceNotes } from "./resource-notes.js";
import { unsafeValues } from "./safe.js";
import { type FirewallRule, firewallRules, logrotate } from "./scripts.js";
import { storeFiles } from "./stores.js";
import { homeNotes, jobNotes, jobTimer, jobUnit, serviceUnit } from "./units.js";

/** One replica of a service: its unit instance, its port and the spare port a new release starts on. */
export interface VmReplica {
  readonly service: string;
  /** Unit instance, such as `shop-web@3000.service`. */
  readonly unit: string;
  /** Slot name: the symlink to the release it runs, `<unit prefix>-<instance>`. */
  readonly slot: string;
  readonly port: number | null;
  readonly sparePort: number | null;
}

/** How the edge gets its certificate on the machine. */
export type VmTls =
  | { readonly kind: "none" }
  | { readonly kind: "letsencrypt"; readonly hosts: readonly string[]; readonly dir: string }
  | { readonly kind: "files"; readonly cert: string; readonly key: string; readonly dir: string };

export interface VmPlan {
  readonly stack: Stack;
  readonly layout: VmLayout;
  /** Debian packages the machine needs, each with its reason. */
  readonly packages: readonly VmPackage[];
  /** Unit files (`systemd/...`): process units and timers, backup units. */
  readonly units: readonly GeneratedFile[];
  readonly replicas: readonly VmReplica[];
  /** Timer units to enable (jobs and backups). */
  readonly timers: readonly string[];
  readonly firewall: readonly FirewallRule[];
  /** The nginx site, or null when nothing is routed. */
  readonly nginx: string | null;
  /** The same site with each upstream's servers in a file of their own, which `cairn deploy` rewrites as replicas move. */
  readonly nginxDeploy: string | null;
  readonly tls: VmTls;
  /** Keys of the secrets file (secrets, generated passwords, given URLs, the certbot e-mail). */
  readonly keys: readonly StoreKey[];
  readonly envFiles: readonly { readonly process: string; readonly env: ProcessEnv }[];
  readonly postgres: readonly Postgres[];
  readonly redis: readonly Redis[];
  /** Configs of the data stores (`postgres/`, `redis/`). */
  readonly storeConfigs: readonly GeneratedFile[];
  readonly logrotate: string | null;
  /** The CloudWatch agent's files, when logs go to CloudWatch or an alarm needs the agent. */
  readonly cloudwatch: VmCloudWatch | null;
  readonly warnings: readonly TargetNote[];
  readonly errors: readonly TargetNote[];
}

function processErrors(stack: Stack): TargetNote[] {
  const imageOnly = [...stack.services, ...stack.jobs]
    .filter((p) => p.command === null)
    .map((p) => ({
      part: `${p.kind === "service" ? "services" : "jobs"}.${p.name}.run`,
      message: "the vm target runs commands, and this process only has an image",
      instead: "give it `run:` (the command that starts it from the project folder), or use the compose target",
    }));
  // One machine, one network namespace: `check` says so for vm environments; a build of another
  // environment for vm (the file as written) is told here.
  const edge = needsProxy(stack) ? { port: stack.edge.port, label: "the edge (nginx)" } : null;
  const listeners = stack.services.flatMap((s) => (s.port === null ? [] : [{ name: s.name, port: s.port }]));
  const clashes = portClashes(edge, listeners).map((c) => ({
    part: `services.${c.name}.port`,
    message: `port ${c.port} is already used by ${c.owner} on the machine`,
    instead: "nothing: give the service its own port for this environment",
  }));
  return [...imageOnly, ...clashes];
}

function tlsOf(stack: Stack, layout: VmLayout, errors: TargetNote[]): VmTls {
  if (!needsProxy(stack) || !tlsOn(stack)) return { kind: "none" };
  const tls = stack.edge.tls;
  if (tls.mode === "certificate") {
    if (tls.key === null || tls.certificate.startsWith("arn:"))
      errors.push({
        part: "edge.tls",
        message: "a machine's nginx reads a certificate and its key from files",
        instead: "write tls: { cert: <chain.pem>, key: <key.pem> } (paths relative to the stack file), or tls: auto",
      });
    return { kind: "files", cert: tls.certificate, key: tls.key ?? "", dir: `${layout.confDir}/tls` };
  }
  const names = serverNames(stack);
  const hosts = names.length ? names : [stack.environment.domain ?? "localhost"];
  return { kind: "letsencrypt", hosts, dir: `/etc/letsencrypt/live/${hosts[0]}` };
}

/** The file of a service's upstream servers, for deploys. */
export function upstreamFile(layout: VmLayout, service: string): string {
  return `${layout.confDir}/nginx/${service}.upstream`;
}

/** The plan of a stack on one machine. */
export function planVm(stack: Stack): VmPlan {
  const errors = [...processErrors(stack), ...unsafeValues(stack)];
  const layout = planLayout(stack);
  const store = new Store();
  const envFiles: { process: string; env: ProcessEnv }[] = [];
  const units: GeneratedFile[] = [];
  const replicas: VmReplica[] = [];
  const timers: string[] = [];
  const warnings: TargetNote[] = [];
  for (const service of stack.services) {
    const env = processEnv(layout, service, store);
    envFiles.push({ process: service.name, env });
    units.push({ path: `systemd/${unitBase(stack, service.name)}@.service`, content: serviceUnit(layout, service, env, envFilePath(layout, service.name)) });
    const ports = layout.replicaPorts.get(service.name) ?? [];
    const spare = layout.sparePorts.get(service.name) ?? [];
    instances(layout, service).forEach((unit, i) => {
      const instance = unit.slice(unit.indexOf("@") + 1, -".service".length);
      replicas.push({ service: service.name, unit, slot: `${unitBase(stack, service.name)}-${instance}`, port: ports[i] ?? null, sparePort: spare[i] ?? null });
    });
    warnings.push(...homeNotes(service, env));
  }
  for (const job of stack.jobs) {
    const env = processEnv(layout, job, store);
    envFiles.push({ process: job.name, env });
    units.push({ path: `systemd/${unitBase(stack, job.name)}.service`, content: jobUnit(layout, job, env, envFilePath(layout, job.name)) });
    const timer = jobTimer(stack, job);
    if (timer) {
      units.push({ path: `systemd/${unitBase(stack, job.name)}.timer`, content: timer });
      timers.push(`${unitBase(stack, job.name)}.timer`);
    }
    warnings.push(...jobNotes(job), ...homeNotes(job, env));
  }
  warnings.push(...resourceNotes(stack));
  const postgres = stack.resources.filter((r): r is Postgres => r.type === "postgres" && onMachine(r.placement));
  const redis = stack.resources.filter((r): r is Redis => r.type === "redis" && onMachine(r.placement));
  const stores = storeFiles(layout, postgres, redis);
  units.push(...stores.filter((f) => f.path.startsWith("systemd/")));
  timers.push(...stores.filter((f) => f.path.endsWith(".timer")).map((f) => f.path.slice("systemd/".length)));
  const tls = tlsOf(stack, layout, errors);
  let nginx: string | null = null;
  let nginxDeploy: string | null = null;
  if (needsProxy(stack)) {
    warnings.push(...edgeNotes(stack));
    const proxy = {
      servers: (s: { name: string }) => (layout.replicaPorts.get(s.name) ?? []).map((p) => `127.0.0.1:${p}`),
      staticRoot: (site: { dir: string }) => `${layout.currentDir}/${site.dir}`,
      logDir: "/var/log/nginx",
      certDir: tls.kind === "none" ? "/etc/ssl" : tls.dir,
      acmeRoot: "/var/www/letsencrypt",
      metricsLog: edgeMetricsLog(stack) ?? undefined,
    };
    const site = renderNginx(stack, proxy);
    warnings.push(...site.warnings);
    nginx = site.content;
    nginxDeploy = renderNginx(stack, { ...proxy, upstreamFile: (s) => upstreamFile(layout, s.name) }).content;
  }
  const cloudwatch = planCloudWatch(stack, errors);
  const firewall = firewallRules(stack);
  warnings.push(...firewall.warnings);
  if (tls.kind === "letsencrypt")
    store.add({
      name: "CERTBOT_EMAIL",
      kind: "given",
      optional: false,
      description: "e-mail address for Let's Encrypt (certificate expiry notices)",
      usedBy: [],
    });
  return {
    stack,
    layout,
    packages: packagesOf(stack, { nginx: nginx !== null, tls, postgres, redis }),
    units: units.sort((a, b) => a.path.localeCompare(b.path)),
    replicas,
    timers,
    firewall: firewall.rules,
    nginx,
    nginxDeploy,
    tls,
    keys: [...store.keys.values()],
    envFiles,
    postgres,
    redis,
    storeConfigs: stores.filter((f) => !f.path.startsWith("systemd/")),
    logrotate: logrotate(layout),
    cloudwatch,
    warnings,
    errors,
  };
}
