/** The container of a service or a job: image, command, env, resources and probes. */
import type { HealthCheck, Process, Service, Stack } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import { EnvRenderer, type SecretKeys } from "./env.js";
import { cpuQuantity, k8sName, memoryQuantity, seconds } from "./names.js";

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

function quote(text: string): string {
  if (SAFE.test(text) || /^"\$\$\(TZ=[^)]*\)"$/.test(text)) return text;
  return `'${text.replaceAll("'", `'"'"'`)}'`;
}

/** Image to run: the file's `image`, else the name the README tells to build and push. */
export function imageOf(stack: Stack, process: Process, warnings: TargetNote[]): string {
  if (process.image) return process.image;
  const image = `${k8sName(stack.name)}/${k8sName(process.name)}:latest`;
  warnings.push({
    part: `${process.kind}s.${process.name}.image`,
    message: process.build ? "the image is built from source, which Kubernetes cannot do" : "no image: Kubernetes runs containers only",
    instead: `image ${image}; build and push it (see the README)`,
  });
  return image;
}

function commandOf(process: Process, renderer: EnvRenderer): { command?: string[]; args?: string[] } {
  const where = `${process.kind}s.${process.name}.args`;
  const args = process.kind === "job" ? process.args : [];
  if (process.command?.shell) {
    const rendered = args.map((a) => quote(renderer.render(a, where, true)));
    return { command: ["/bin/sh", "-c", renderer.markUsed(["exec", process.command.shell.replaceAll("$(", "$$$$("), ...rendered].join(" "))] };
  }
  const rendered = args.map((a) => renderer.markUsed(renderer.render(a, where)));
  if (process.command?.argv) return { command: [...process.command.argv], ...(rendered.length ? { args: rendered } : {}) };
  return rendered.length ? { args: rendered } : {};
}

/** HTTP or TCP probe settings from the file's health check. */
function probe(health: HealthCheck, port: number, liveness: boolean) {
  const action = health.path ? { httpGet: { path: health.path, port } } : { tcpSocket: { port } };
  return {
    ...action,
    periodSeconds: seconds(health.intervalMs),
    timeoutSeconds: seconds(health.timeoutMs),
    // Kubernetes requires 1 for liveness: "healthy after N" only applies to readiness.
    successThreshold: liveness ? 1 : health.healthy,
    failureThreshold: health.unhealthy,
    ...(liveness && health.graceMs > 0 ? { initialDelaySeconds: seconds(health.graceMs) } : {}),
  };
}

/** The container spec; secret keys it needs are added to `keys`. */
export function container(stack: Stack, process: Process, keys: SecretKeys, warnings: TargetNote[]) {
  const renderer = new EnvRenderer(stack, process, keys, warnings);
  const command = commandOf(process, renderer);
  const service = process.kind === "service" ? (process as Service) : null;
  const port = service?.port ?? null;
  const health = service?.health ?? null;
  return {
    name: k8sName(process.name),
    image: imageOf(stack, process, warnings),
    ...command,
    env: renderer.env(),
    resources: {
      requests: { cpu: cpuQuantity(process.size.cpu), memory: memoryQuantity(process.size.memoryBytes) },
      // A memory limit keeps one leaking pod from starving the node; no CPU limit, to avoid throttling.
      limits: { memory: memoryQuantity(process.size.memoryBytes) },
    },
    ...(port ? { ports: [{ name: "http", containerPort: port, protocol: "TCP" }] } : {}),
    ...(port && health ? { readinessProbe: probe(health, port, false), livenessProbe: probe(health, port, true) } : {}),
  };
}
