/**
 * The `vm` target: systemd units and timers, nginx, ufw, local data stores and an idempotent
 * install script for one Linux machine. Pure: model in, files out.
 */
import { portClashes } from "../../model/port-clashes.js";
import type { Postgres, Redis, Stack } from "../../model/types.js";
import { needsProxy, tlsOn } from "../common/edge.js";
import { renderNginx, serverNames } from "../common/nginx.js";
import { edgeNotes } from "../common/notes.js";
import type { GeneratedFile, GenerateOptions, TargetGenerator, TargetNote, TargetOutput } from "../types.js";
import { type ProcessEnv, processEnv, Store } from "./env.js";
import { envFilePath, installScript } from "./install.js";
import { instances, onMachine, planLayout, unitBase, type VmLayout } from "./layout.js";
import { vmReadme } from "./readme.js";
import { firewallScript, logrotate, updateScript } from "./scripts.js";
import { storeFiles } from "./stores.js";
import { jobNotes, jobTimer, jobUnit, serviceUnit } from "./units.js";

function resourceNotes(stack: Stack): TargetNote[] {
  const notes: TargetNote[] = [];
  for (const r of stack.resources) {
    if ((r.type === "bucket" || r.type === "table") && onMachine(r.placement)) {
      const cloud = r.type === "bucket" ? "an S3 bucket" : "a DynamoDB table";
      notes.push({
        part: `resources.${r.name}`,
        message: `a plain VM has no ${r.type === "bucket" ? "S3" : "DynamoDB"} service`,
        instead: `${cloud} in ${stack.environment.region} named as on aws; give the VM access (an instance role)`,
      });
    }
    if (r.type === "static" && r.cdn)
      notes.push({ part: `resources.${r.name}.cdn`, message: "a single machine has no CDN", instead: "nginx serves the files" });
    if ((r.type === "postgres" || r.type === "redis") && onMachine(r.placement) && (r.replicas > 0 || (r.type === "postgres" && r.ha))) {
      notes.push({ part: `resources.${r.name}`, message: "replicas and high availability need more than one machine", instead: "one server on this machine" });
    }
  }
  return notes;
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

function processFiles(layout: VmLayout, store: Store, envs: Map<string, ProcessEnv>): { files: GeneratedFile[]; start: string[]; warnings: TargetNote[] } {
  const { stack } = layout;
  const files: GeneratedFile[] = [];
  const start: string[] = [];
  const warnings: TargetNote[] = [];
  for (const service of stack.services) {
    const env = processEnv(layout, service, store);
    envs.set(service.name, env);
    files.push({ path: `systemd/${unitBase(stack, service.name)}@.service`, content: serviceUnit(layout, service, env, envFilePath(layout, service.name)) });
    start.push(...instances(layout, service));
  }
  for (const job of stack.jobs) {
    const env = processEnv(layout, job, store);
    envs.set(job.name, env);
    files.push({ path: `systemd/${unitBase(stack, job.name)}.service`, content: jobUnit(layout, job, env, envFilePath(layout, job.name)) });
    const timer = jobTimer(stack, job);
    if (timer) {
      files.push({ path: `systemd/${unitBase(stack, job.name)}.timer`, content: timer });
      start.push(`${unitBase(stack, job.name)}.timer`);
    }
    warnings.push(...jobNotes(job));
  }
  return { files, start, warnings };
}

function secretsTemplate(layout: VmLayout, store: Store, certbot: boolean): string {
  const lines = [
    `# Secrets of ${layout.stack.name} (${layout.stack.environment.name}). Installed once as ${layout.secretsFile} (mode 600): fill it there.`,
    "# One NAME='value' per line; the file is read by the shell.",
    "",
  ];
  for (const key of store.keys.values())
    lines.push(`# ${key.description}${key.kind === "generated" ? "" : key.optional ? " (optional)" : " (required)"}`, `${key.name}=`, "");
  if (certbot) lines.push("# e-mail address for Let's Encrypt (certificate expiry notices)", "CERTBOT_EMAIL=", "");
  return lines.join("\n");
}

/** Generates every file of the vm target. */
export function generateVm(stack: Stack, options: GenerateOptions): TargetOutput {
  const errors = processErrors(stack);
  const layout = planLayout(stack);
  const store = new Store();
  const envs = new Map<string, ProcessEnv>();
  const processes = processFiles(layout, store, envs);
  const warnings: TargetNote[] = [...processes.warnings, ...resourceNotes(stack)];
  const files: GeneratedFile[] = [...processes.files];
  const postgres = stack.resources.filter((r): r is Postgres => r.type === "postgres" && onMachine(r.placement));
  const redis = stack.resources.filter((r): r is Redis => r.type === "redis" && onMachine(r.placement));
  const stores = storeFiles(layout, postgres, redis);
  files.push(...stores);
  const start = [...processes.start, ...stores.filter((f) => f.path.endsWith(".timer")).map((f) => f.path.slice("systemd/".length))];
  const proxy = needsProxy(stack);
  const hosts = proxy && tlsOn(stack) ? serverNames(stack) : [];
  const certificateHosts = hosts.length ? hosts : proxy && tlsOn(stack) ? [stack.environment.domain ?? "localhost"] : [];
  if (proxy) {
    warnings.push(...edgeNotes(stack));
    const nginx = renderNginx(stack, {
      servers: (s) => (layout.replicaPorts.get(s.name) ?? []).map((p) => `127.0.0.1:${p}`),
      staticRoot: (site) => `${layout.appDir}/${site.dir}`,
      logDir: "/var/log/nginx",
      certDir: `/etc/letsencrypt/live/${certificateHosts[0] ?? "localhost"}`,
      acmeRoot: "/var/www/letsencrypt",
    });
    warnings.push(...nginx.warnings);
    files.push({ path: `nginx/${stack.name}.conf`, content: nginx.content });
  }
  const firewall = firewallScript(stack);
  warnings.push(...firewall.warnings);
  files.push({ path: "firewall.sh", content: firewall.content, mode: 0o755 });
  const rotate = logrotate(layout);
  if (rotate) files.push({ path: `logrotate/${stack.name}`, content: rotate });
  files.push({ path: `env/${stack.name}.env.example`, content: secretsTemplate(layout, store, certificateHosts.length > 0) });
  const keys = [...store.keys.values()];
  const envFiles = [...envs.entries()].map(([process, env]) => ({ process, env }));
  files.push({
    path: "install.sh",
    mode: 0o755,
    content: installScript({ layout, keys, envFiles, postgres, redis, start, nginx: proxy, certificateHosts, firewall: true, logrotate: rotate !== null }),
  });
  files.push({ path: "update.sh", content: updateScript(layout), mode: 0o755 });
  files.sort((a, b) => a.path.localeCompare(b.path));
  files.unshift({ path: "README.md", content: vmReadme(layout, files, keys, warnings, options.outDir) });
  return { files, warnings, errors };
}

export const vmTarget: TargetGenerator = {
  name: "vm",
  description: "one Linux machine: systemd units and timers, nginx, ufw, local PostgreSQL/Redis, install script",
  generate: generateVm,
};
