/**
 * Generates a large, valid stack file for benchmarks: services with ports, health checks, routes,
 * references to resources and to the previous service, depends_on chains; scheduled jobs; every
 * resource type. Pure and deterministic: same sizes, same text.
 */

export interface StackSize {
  readonly services: number;
  readonly jobs: number;
  readonly resources: number;
}

const TYPES = ["postgres", "redis", "bucket", "table"] as const;
/** An attribute each type offers to `${name.attr}`, in the order of TYPES. */
const ATTRIBUTE = ["url", "url", "name", "name"];
const SCHEDULES = ["daily at 02:00", "*/15 * * * *", "weekly on mon,thu at 03:00", "0 4 1 * *", "every 2h"];
/** Services per depends_on chain: long enough to exercise the cycle search, short enough to be realistic. */
const CHAIN = 50;

function resource(i: number): string {
  const type = TYPES[i % TYPES.length];
  switch (type) {
    case "postgres":
      return `  res-${i}: { type: postgres, version: 16, extensions: [postgis], storage: 20GB, backups: 7d }`;
    case "redis":
      return `  res-${i}: { type: redis, memory: 1Gi, eviction: allkeys-lru, persistence: false }`;
    case "bucket":
      return `  res-${i}: { type: bucket, versioning: true, lifecycle: [{ after: 30d, to: infrequent }] }`;
    default:
      return `  res-${i}: { type: table, key: { hash: id, range: date } }`;
  }
}

function service(i: number, size: StackSize): string {
  const lines = [
    `  svc-${i}:`,
    "    run: node app/server.mjs",
    `    port: ${10_000 + i}`,
    "    health: { path: /health, interval: 15s, timeout: 3s }",
    "    size: { cpu: 0.25, memory: 256Mi }",
    "    env:",
    `      DATA: "\${res-${i % size.resources}.${ATTRIBUTE[(i % size.resources) % TYPES.length]}}"`,
    '      API_KEY: "${secret.API_KEY}"',
    "      LOG_LEVEL: info",
  ];
  if (i % CHAIN !== 0) lines.push(`      UPSTREAM: "\${svc-${i - 1}.url}"`, `    depends_on: [svc-${i - 1}, res-${(i * 7) % size.resources}]`);
  if (i % 10 === 0) lines.push("    scale: { min: 1, max: 4, cpu: 70% }");
  return lines.join("\n");
}

function job(i: number, size: StackSize): string {
  return [
    `  job-${i}:`,
    "    run: node app/job.mjs",
    `    schedule: "${SCHEDULES[i % SCHEDULES.length]}"`,
    "    timezone: Europe/Paris",
    "    timeout: 30m",
    '    args: ["${run.date}"]',
    `    depends_on: [res-${i % size.resources}, svc-${i % size.services}]`,
  ].join("\n");
}

/** The text of a stack file of the given size. */
export function generateStack(size: StackSize): string {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  return [
    "name: bench",
    "domain: bench.example.org",
    "secrets: [API_KEY]",
    "services:",
    ...range(size.services).map((i) => service(i, size)),
    "jobs:",
    ...range(size.jobs).map((i) => job(i, size)),
    "resources:",
    ...range(size.resources).map(resource),
    "routes:",
    ...range(size.services).map((i) => `  - { host: "app.{domain}", path: /svc-${i}, to: svc-${i} }`),
    "edge: { port: 443, tls: auto, rate_limit: 100/min }",
    "alarms: [cpu > 80% for 5m, p95 > 2s for 5m]",
    "environments:",
    "  local: { target: local, edge: { port: 8080, tls: false } }",
    "  production:",
    "    target: aws",
    "    services:",
    ...range(Math.min(size.services, 20)).map((i) => `      svc-${i}: { size: { cpu: 1, memory: 1Gi } }`),
    "",
  ].join("\n");
}

/** A vm stack whose `count` services all ask for port 3000 after the first: `count` port/clash errors. */
export function generateClashes(count: number): string {
  const lines = ["name: clashes", "services:"];
  for (let i = 0; i <= count; i++) lines.push(`  s${i}: { run: node a.js, port: 3000 }`);
  lines.push("environments:", "  prod: { target: vm }");
  return `${lines.join("\n")}\n`;
}
