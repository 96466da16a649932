/** No two services, nor a service and the edge, listen on the same port in any environment. */
import type { Finding } from "../diagnostics/types.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

export const portsRule: FileRule = {
  name: "ports",
  check: ({ file, environments }) => {
    const findings: Finding[] = [];
    for (const env of environments) {
      const owners = new Map<number, string>();
      // The edge listens when it is given a port or has routes to serve (80, or 443 with TLS, by default).
      const edge = env.file.edge;
      const tls = edge?.tls !== undefined && edge.tls !== false;
      const edgePort = edge?.port ?? ((env.file.routes ?? []).length > 0 ? (tls ? 443 : 80) : undefined);
      if (edgePort !== undefined) owners.set(edgePort, edge?.port === undefined ? `the edge (default port ${edgePort})` : "the edge");
      for (const [name, service] of Object.entries(env.file.services ?? {})) {
        if (service.port === undefined) continue;
        const owner = owners.get(service.port);
        if (owner)
          findings.push({
            code: "port/clash",
            message: `port ${service.port} of "${name}" is already used by ${owner}${environments.length > 1 ? ` (environment ${env.name})` : ""}`,
            path: where(file, env.name, ["services", name, "port"]),
          });
        else owners.set(service.port, `service "${name}"`);
      }
    }
    return findings;
  },
};
