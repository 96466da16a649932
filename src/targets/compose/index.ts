/**
 * The `compose` target: one compose file with every service, the data stores, and nginx in front,
 * plus host timers for jobs. Pure: model in, files out.
 */
import type { Bucket, Postgres, Redis, Stack, Table } from "../../model/types.js";
import { needsProxy, tlsOn } from "../common/edge.js";
import { proxyPorts, renderNginx, serverNames } from "../common/nginx.js";
import { composeMonitoringNotes, edgeNotes } from "../common/notes.js";
import { toYaml } from "../common/yaml.js";
import type { GeneratedFile, GenerateOptions, TargetGenerator, TargetNote, TargetOutput } from "../types.js";
import { jobTimerFiles } from "./jobs.js";
import { composeLayout } from "./layout.js";
import { type Entry, jobEntry, serviceEntry } from "./processes.js";
import { composeReadme } from "./readme.js";
import { bucketEntries, postgresEntry, redisEntry, tableEntries } from "./stores.js";
import { EnvKeys, inProject } from "./values.js";

export const NGINX_IMAGE = "nginx:1.27";

function nginxEntry(stack: Stack, services: readonly string[], project: string): Entry {
  const { main, redirect } = proxyPorts(stack);
  const statics = stack.resources.filter((r) => r.type === "static");
  const volumes = [`./nginx/${stack.name}.conf:/etc/nginx/conf.d/default.conf:ro`, ...statics.map((s) => `${project}/${s.dir}:/srv/${s.name}:ro`)];
  if (tlsOn(stack)) volumes.push("/etc/letsencrypt:/etc/letsencrypt:ro", "/var/www/letsencrypt:/var/www/letsencrypt:ro");
  const entry: Entry = {
    image: NGINX_IMAGE,
    ports: [`${main}:${main}`, ...(redirect !== null ? [`${redirect}:${redirect}`] : [])],
    volumes,
    restart: "always",
  };
  if (services.length) entry.depends_on = Object.fromEntries(services.map((s) => [s, { condition: "service_started" }]));
  return entry;
}

/** Generates every file of the compose target. */
export function generateCompose(stack: Stack, options: GenerateOptions): TargetOutput {
  const warnings: TargetNote[] = [];
  const errors: TargetNote[] = [];
  const keys = new EnvKeys();
  const files: GeneratedFile[] = [];
  const layout = composeLayout(stack, options.outDir);
  const project = layout.project;
  if (layout.outside) {
    warnings.push({
      part: "build --out",
      message: "the output folder is outside the project",
      instead: `the compose file finds the project one folder up, as on the machine: put it in ${layout.deployDir}`,
    });
  }
  const services: Record<string, Entry> = {};
  const volumes: string[] = [];
  for (const r of stack.resources.filter(inProject)) {
    if (r.type === "postgres") {
      const pg = postgresEntry(r as Postgres, keys);
      services[r.name] = pg.entry;
      files.push(...pg.files);
      volumes.push(`${r.name}-data`);
    }
    if (r.type === "redis") {
      services[r.name] = redisEntry(r as Redis);
      volumes.push(`${r.name}-data`);
    }
  }
  const buckets = stack.resources.filter((r): r is Bucket => r.type === "bucket" && inProject(r));
  if (buckets.length) {
    Object.assign(services, bucketEntries(buckets, keys));
    volumes.push("s3-data");
  }
  const tables = stack.resources.filter((r): r is Table => r.type === "table" && inProject(r));
  if (tables.length) {
    Object.assign(services, tableEntries(stack, tables, keys));
    volumes.push("dynamodb-data");
  }
  for (const service of stack.services) services[service.name] = serviceEntry(stack, service, keys, project, warnings, errors);
  for (const job of stack.jobs) {
    services[job.name] = jobEntry(stack, job, keys, project, warnings, errors);
    const timers = jobTimerFiles(stack, job, layout.deployDir);
    files.push(...timers.files);
    warnings.push(...timers.warnings);
  }
  warnings.push(...composeMonitoringNotes(stack));
  if (needsProxy(stack)) {
    warnings.push(...edgeNotes(stack));
    const hosts = serverNames(stack);
    const nginx = renderNginx(stack, {
      servers: (s) => [`${s.name}:${s.port}`],
      staticRoot: (site) => `/srv/${site.name}`,
      logDir: "/var/log/nginx",
      // The official image links these two files to the container's output.
      logFiles: { access: "/var/log/nginx/access.log", error: "/var/log/nginx/error.log" },
      certDir: `/etc/letsencrypt/live/${hosts[0] ?? stack.environment.domain ?? "localhost"}`,
      acmeRoot: "/var/www/letsencrypt",
    });
    warnings.push(...nginx.warnings);
    files.push({ path: `nginx/${stack.name}.conf`, content: nginx.content });
    services.nginx = nginxEntry(
      stack,
      stack.services.filter((s) => s.port !== null).map((s) => s.name),
      project,
    );
  }
  for (const r of stack.resources) {
    if (r.type === "static" && r.cdn) warnings.push({ part: `resources.${r.name}.cdn`, message: "compose has no CDN", instead: "nginx serves the files" });
  }
  const document: Entry = { name: stack.name.toLowerCase().replace(/[^a-z0-9_-]/g, "-"), services };
  if (volumes.length) document.volumes = Object.fromEntries(volumes.map((v) => [v, {}]));
  const header = `# ${stack.name} (${stack.environment.name}) for Docker Compose, generated by cairn build: edit the stack file instead.\n`;
  files.push({ path: "compose.yaml", content: header + toYaml(document as Parameters<typeof toYaml>[0]) });
  const envLines = [`# Secrets of ${stack.name} (${stack.environment.name}): copy to .env beside compose.yaml and fill. One NAME=value per line.`, ""];
  for (const key of keys.keys.values()) envLines.push(`# ${key.description}${key.optional ? " (optional)" : ""}`, `${key.name}=`, "");
  files.push({ path: ".env.example", content: envLines.join("\n") });
  files.sort((a, b) => a.path.localeCompare(b.path));
  files.unshift({ path: "README.md", content: composeReadme(stack, files, [...keys.keys.values()], warnings, options.outDir, layout) });
  return { files, warnings, errors };
}

export const composeTarget: TargetGenerator = {
  name: "compose",
  description: "one machine with Docker Compose: every service, official data-store images, nginx in front, host timers for jobs",
  generate: generateCompose,
};
