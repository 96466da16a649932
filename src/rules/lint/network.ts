/** Ports open to everyone: SSH, and the ports of databases and caches. */
import type { Finding } from "../../diagnostics/types.js";
import type { LintRule } from "../types.js";

const ANYWHERE = new Set(["0.0.0.0/0", "::/0", "0.0.0.0", "::"]);
const DATASTORE_PORTS: Record<number, string> = {
  5432: "PostgreSQL",
  6379: "Redis",
  3306: "MySQL",
  27017: "MongoDB",
  9200: "Elasticsearch",
  11211: "Memcached",
};

export const sshOpen: LintRule = {
  code: "lint/ssh-open",
  check: (stack) =>
    stack.edge.open.flatMap((p, i): Finding[] =>
      p.port === 22 && p.from.some((c) => ANYWHERE.has(c))
        ? [{ code: "lint/ssh-open", message: "port 22 (SSH) is open to every address", path: ["edge", "open", i] }]
        : [],
    ),
};

export const publicDatastore: LintRule = {
  code: "lint/public-datastore",
  check: (stack) => {
    const findings: Finding[] = [];
    for (const [i, p] of stack.edge.open.entries()) {
      const what = DATASTORE_PORTS[p.port];
      if (what && p.from.some((c) => ANYWHERE.has(c)))
        findings.push({ code: "lint/public-datastore", message: `port ${p.port} (${what}) is open to every address`, path: ["edge", "open", i] });
    }
    const services = new Map(stack.services.map((s) => [s.name, s]));
    for (const [i, route] of stack.routes.entries()) {
      const service = services.get(route.to);
      const what = service?.port ? DATASTORE_PORTS[service.port] : undefined;
      if (what)
        findings.push({
          code: "lint/public-datastore",
          message: `route ${i + 1} exposes "${route.to}" on port ${service?.port} (${what}) at the edge`,
          path: ["routes", i],
        });
    }
    return findings;
  },
};
