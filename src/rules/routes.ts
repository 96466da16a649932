/** Routes point at declared services with a port (or static sites), and no two match the same requests. */
import type { Finding } from "../diagnostics/types.js";
import { didYouMean } from "../schema/did-you-mean.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

export const routesRule: FileRule = {
  name: "routes",
  check: ({ file, environments }) => {
    const findings: Finding[] = [];
    for (const env of environments) {
      const services = env.file.services ?? {};
      const statics = Object.entries(env.file.resources ?? {})
        .filter(([, r]) => r.type === "static")
        .map(([n]) => n);
      const seen = new Map<string, number>();
      for (const [i, route] of (env.file.routes ?? []).entries()) {
        const path = where(file, env.name, ["routes", i]);
        if (route.host === undefined && route.path === undefined)
          findings.push({ code: "route/none", message: `route to "${route.to}" has neither host nor path`, path });
        const service = services[route.to];
        if (!service && !statics.includes(route.to)) {
          const suggestion = didYouMean(route.to, [...Object.keys(services), ...statics]);
          findings.push({
            code: "route/missing-service",
            message: `route to "${route.to}", which is not a service${suggestion ? `: did you mean "${suggestion}"?` : ""}`,
            path: [...path, "to"],
          });
        } else if (service && service.port === undefined) {
          findings.push({ code: "route/no-port", message: `route to "${route.to}", which has no port`, path: [...path, "to"] });
        }
        const key = `${(route.host ?? "*").toLowerCase()} ${(route.path ?? "/").replace(/\/+$/, "") || "/"}`;
        const first = seen.get(key);
        if (first !== undefined)
          findings.push({ code: "route/duplicate", message: `route ${i + 1} matches the same host and path as route ${first + 1}`, path });
        else seen.set(key, i);
      }
    }
    return findings;
  },
};
