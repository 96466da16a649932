/**
 * The hosts of vm environments: each is `user@host[:port]`, only vm environments have them, what a
 * host runs is declared, and every service runs somewhere. Also the edge's own certificate files
 * and the deploy's `before:` process.
 */
import type { Finding } from "../diagnostics/types.js";
import { parseHostAddress } from "../model/resolve-deploy.js";
import { didYouMean } from "../schema/did-you-mean.js";
import type { FileRule } from "./types.js";

const EXAMPLE = "Write `user@host`, `user@host:2222` or `user@[2001:db8::1]:22`, such as root@203.0.113.10.";

export const hostsRule: FileRule = {
  name: "hosts",
  check: ({ file }) => {
    const findings: Finding[] = [];
    for (const [envName, env] of Object.entries(file.environments ?? {})) {
      const at = ["environments", envName];
      const target = env.target ?? "local";
      for (const key of ["hosts", "ssh"] as const) {
        if (env[key] !== undefined && target !== "vm")
          findings.push({
            code: "host/target",
            message: `environment "${envName}" targets ${target}; only vm environments are deployed to hosts over SSH`,
            path: [...at, key],
            onKey: true,
          });
      }
      const services = Object.keys({ ...file.services });
      const jobs = Object.keys({ ...file.jobs });
      const placed = new Set<string>();
      let listed = false;
      for (const [i, entry] of (env.hosts ?? []).entries()) {
        const address = typeof entry === "string" ? entry : entry.address;
        const path = typeof entry === "string" ? [...at, "hosts", i] : [...at, "hosts", i, "address"];
        if (!parseHostAddress(address))
          findings.push({ code: "host/address", message: `"${address}" is not a host address (user@host[:port])`, path, hint: EXAMPLE });
        if (typeof entry === "string" || entry.services === undefined) for (const s of services) placed.add(s);
        else listed = true;
        if (typeof entry === "string") continue;
        for (const [section, known] of [
          ["services", services],
          ["jobs", jobs],
        ] as const) {
          for (const [j, name] of (entry[section] ?? []).entries()) {
            if (section === "services") placed.add(name);
            if (known.includes(name)) continue;
            const suggestion = didYouMean(name, known);
            findings.push({
              code: "host/unknown-part",
              message: `host ${address} runs "${name}", which is not one of the ${section}${suggestion ? `: did you mean "${suggestion}"?` : ""}`,
              path: [...at, "hosts", i, section, j],
            });
          }
        }
      }
      if (listed)
        for (const s of services.filter((name) => !placed.has(name)))
          findings.push({ code: "host/unplaced", message: `service "${s}" runs on none of the hosts of "${envName}"`, path: [...at, "hosts"] });
      if (env.ssh?.jump !== undefined && !parseHostAddress(env.ssh.jump))
        findings.push({ code: "host/address", message: `jump host "${env.ssh.jump}" is not a host address`, path: [...at, "ssh", "jump"], hint: EXAMPLE });
      for (const [i, before] of [...(file.deploy?.before ?? []), ...(env.deploy?.before ?? [])].entries()) {
        const as = typeof before === "object" && !Array.isArray(before) ? before.as : undefined;
        if (as !== undefined && !services.includes(as) && !jobs.includes(as))
          findings.push({
            code: "host/unknown-part",
            message: `deploy.before runs as "${as}", which is neither a service nor a job`,
            path:
              i < (file.deploy?.before ?? []).length
                ? ["deploy", "before", i, "as"]
                : [...at, "deploy", "before", i - (file.deploy?.before ?? []).length, "as"],
          });
      }
    }
    return findings;
  },
};
