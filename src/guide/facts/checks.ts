/**
 * The verification checklist of an environment: the checks `cairn verify` runs, as it plans them
 * (`planVerify`: one list that verify runs and the guide prints), each in a sentence; then what it
 * cannot see from outside (alarms, backups). A check added to verify shows up here with no change.
 */
import type { Stack } from "../../model/types.js";
import { planHost } from "../../targets/vm/host-stack.js";
import { planVm } from "../../targets/vm/plan.js";
import { deployHostOf, hostsOf } from "../../verify/hosts.js";
import { planVerify } from "../../verify/plan.js";
import type { CheckKind, PlannedCheck, VerifyHost } from "../../verify/types.js";
import { whereOf } from "../../verify/where.js";
import { code } from "../document.js";
import type { MessageKey } from "../i18n/catalog.js";
import type { Words } from "../i18n/words.js";

/** Where the host is not known yet, the guide names it so. */
const PLACEHOLDER = "HOST";

/** A sentence per kind of check; `ssh`, `timer` and `disk` are verdicts of the one remote check (`unit`). */
const SENTENCE: Readonly<Record<CheckKind, MessageKey>> = {
  route: "check.route",
  health: "check.health",
  websocket: "check.websocket",
  tls: "check.tls",
  redirect: "check.redirect",
  ports: "check.ports",
  ssh: "check.remote",
  unit: "check.remote",
  timer: "check.remote",
  disk: "check.remote",
  "rate-limit": "check.rateLimit",
};

/** The checks `cairn verify --env NAME` plans for the environment, at its hosts or domain (a placeholder where the file names neither). */
export function plannedChecks(stack: Stack): PlannedCheck[] {
  const env = stack.environment;
  const local = env.target === "local";
  const named = hostsOf(stack);
  const placeholder: VerifyHost[] = [{ source: PLACEHOLDER, user: env.hosts[0]?.user ?? "root", host: PLACEHOLDER, port: env.ssh.port }];
  // Only a vm environment has hosts of its own to probe; elsewhere a placeholder stands for the public address.
  const hosts = local ? [] : named.length ? named : env.target === "vm" || !env.domain ? placeholder : [];
  const found = whereOf(stack, { hosts });
  if ("error" in found) return [];
  const vmPlanOf = (host: VerifyHost) => {
    const known = deployHostOf(stack, host);
    return known ? planHost(stack, known) : planVm(stack);
  };
  const { checks } = planVerify(stack, found.where, { probeLimits: true, vmPlanOf });
  return checks.filter((c) => env.target === "vm" || c.kind !== "ports" || named.length > 0);
}

function sentence(check: PlannedCheck, w: Words): string {
  const target = code(check.target);
  const service = check.service ? code(check.service) : "";
  const probe = check.probe;
  switch (probe.kind) {
    case "ports": {
      const { open, allowed, closed } = probe.expected;
      return w.t("check.ports", {
        host: code(probe.address),
        open: open.join(", ") || "-",
        allowed: allowed.map((a) => `${a.port} (${a.from.join(", ")})`).join(", ") || "-",
        closed: closed.join(", "),
      });
    }
    case "remote": {
      const e = probe.expected;
      const parts = [
        ...(e.services.length ? [w.t("check.remote.units", { units: e.services.map((s) => code(s.pattern)).join(", ") })] : []),
        ...(e.timers.length ? [w.t("check.remote.timers", { timers: e.timers.map((t) => code(t.unit)).join(", ") })] : []),
        ...(e.health.length ? [w.t("check.remote.health", { health: e.health.map((h) => code(`127.0.0.1:${h.ports.join("|")}${h.path}`)).join(", ") })] : []),
        w.t("check.remote.disk", { disks: e.disks.map(code).join(", ") }),
      ];
      return w.t("check.remote", { host: target, parts: parts.join("; ") });
    }
    case "rate-limit":
      return w.t("check.rateLimit", { target, limit: String(probe.limit) });
    case "tls":
      return w.t("check.tls", { target, days: String(probe.warnDays) });
    case "redirect":
      return w.t("check.redirect", { target, to: code(probe.to) });
    default:
      return w.t(SENTENCE[check.kind], { target, service });
  }
}

/** The checklist: the command, each check it runs, then what to check by hand. */
export function verificationChecklist(stack: Stack, w: Words): string[] {
  const env = stack.environment;
  const items = [w.t("check.run", { command: code(`cairn verify --env ${env.name}`) })];
  items.push(...plannedChecks(stack).map((c) => sentence(c, w)));
  if (stack.alarms.length && env.target === "aws") items.push(w.t("check.alarms", { count: stack.alarms.length }));
  for (const r of stack.resources)
    if ("backups" in r && r.backups) items.push(w.t("check.backups", { resource: code(r.name), retention: w.duration(r.backups.retentionMs) }));
  return items;
}
