/**
 * Two listeners on one port clash only where processes share a network namespace: on a vm target's
 * machine (services and the edge's nginx). Containers, pods and tasks each have their own, and locally
 * `cairn up` gives a service whose port is taken a free one through PORT (with a notice).
 */
import type { Finding } from "../diagnostics/types.js";
import { portClashes } from "../model/port-clashes.js";
import { TARGETS } from "../model/targets.js";
import type { StackFile } from "../schema/stack.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

/** The port the edge listens on: given, or 80 (443 with TLS) when it has routes to serve; else none. */
export function edgePortOf(file: Pick<StackFile, "edge" | "routes">): { port: number; defaulted: boolean } | null {
  const edge = file.edge;
  const tls = edge?.tls !== undefined && edge.tls !== false;
  if (edge?.port !== undefined) return { port: edge.port, defaulted: false };
  return (file.routes ?? []).length > 0 ? { port: tls ? 443 : 80, defaulted: true } : null;
}

export const portsRule: FileRule = {
  name: "ports",
  check: ({ file, environments }) => {
    const findings: Finding[] = [];
    for (const env of environments) {
      const target = env.file.environments?.[env.name]?.target ?? "local";
      if (!TARGETS[target].sharedNetwork) continue;
      const edge = edgePortOf(env.file);
      const services = Object.entries(env.file.services ?? {}).flatMap(([name, s]) => (s.port === undefined ? [] : [{ name, port: s.port }]));
      const label = edge && (edge.defaulted ? `the edge (default port ${edge.port})` : "the edge");
      for (const clash of portClashes(edge && label ? { port: edge.port, label } : null, services))
        findings.push({
          code: "port/clash",
          message: `port ${clash.port} of "${clash.name}" is already used by ${clash.owner} on the ${target} machine of environment ${env.name}`,
          path: where(file, env.name, ["services", clash.name, "port"]),
        });
    }
    return findings;
  },
};
