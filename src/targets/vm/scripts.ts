/**
 * The update script (a rolling restart, one replica at a time, each gated on its health check so
 * nginx always has a healthy replica), the firewall script and log rotation. Pure.
 */
import type { Service, Stack } from "../../model/types.js";
import { needsProxy } from "../common/edge.js";
import { proxyPorts } from "../common/nginx.js";
import { replaceControls, shellWord } from "../common/systemd.js";
import type { TargetNote } from "../types.js";
import { instances, type VmLayout } from "./layout.js";

/** The rolling update by hand: install.sh first (files and units), then each service's replicas in turn (`cairn deploy` does better: a new release beside the old). */
export function updateScript(layout: VmLayout): string {
  const { stack } = layout;
  const lines = [
    "#!/bin/sh",
    `# Updates ${stack.name} (${stack.environment.name}) after new code is in ${layout.appDir}: installs the files again, then`,
    "# restarts each service one replica at a time, waiting for the replica's health check before the next.",
    "set -eu",
    'HERE=$(cd "$(dirname "$0")" && pwd)',
    'sh "$HERE/install.sh"',
    "",
    "# wait_healthy URL SECONDS: polls until the replica answers, or fails the update.",
    "wait_healthy() {",
    "  waited=0",
    '  until curl -fsS -o /dev/null --max-time 5 "$1"; do',
    "    waited=$((waited + 1))",
    '    if [ "$waited" -ge "$2" ]; then echo "update.sh: $1 is not healthy after $2 s; stopping the update" >&2; exit 1; fi',
    "    sleep 1",
    "  done",
    "}",
    "",
  ];
  for (const service of stack.services) lines.push(...restartService(layout, service));
  lines.push(`echo "update.sh: ${stack.name} (${stack.environment.name}) is up to date"`);
  return `${lines.join("\n")}\n`;
}

function restartService(layout: VmLayout, service: Service): string[] {
  const units = instances(layout, service);
  const ports = layout.replicaPorts.get(service.name) ?? [];
  const lines = [`# ${service.name}: ${units.length} replica${units.length === 1 ? " (restarting it interrupts the service briefly)" : "s, one at a time"}`];
  const health = service.health;
  const wait = health ? Math.ceil((health.graceMs + health.intervalMs * (health.healthy + health.unhealthy)) / 1000) + 30 : 30;
  units.forEach((unit, i) => {
    lines.push(`systemctl restart ${unit}`);
    const port = ports[i];
    if (port !== undefined) {
      const path = health?.path ?? null;
      if (path !== null) lines.push(`wait_healthy ${shellWord(`http://127.0.0.1:${port}${path}`)} ${wait}`);
      else lines.push(`sleep ${Math.ceil((health?.graceMs ?? 5000) / 1000)}`);
    }
  });
  return [...lines, ""];
}

/** One ufw rule: who may reach which port. */
export interface FirewallRule {
  readonly action: "allow" | "limit";
  readonly protocol: "tcp" | "udp";
  /** A CIDR block, or `any`. */
  readonly from: string;
  readonly port: number;
  readonly comment: string;
}

/** A ufw comment: one line of plain text inside single quotes (no quote, backslash, `$` or backtick, which are only noise there). */
function comment(text: string): string {
  return (
    replaceControls(text, () => " ")
      .replace(/['\\$`]/g, " ")
      .replace(/ {2,}/g, " ")
      .trim()
      .slice(0, 60) || "open"
  );
}

/** ufw rules as data: the proxy's ports and the edge's open ports from their sources; SSH limited when the file says nothing. */
export function firewallRules(stack: Stack): { rules: FirewallRule[]; warnings: TargetNote[] } {
  const warnings: TargetNote[] = [];
  const rules: FirewallRule[] = [];
  const ports = new Set<number>();
  if (needsProxy(stack)) {
    const { main, redirect } = proxyPorts(stack);
    for (const port of [main, redirect]) {
      if (port === null || ports.has(port)) continue;
      ports.add(port);
      const from = stack.edge.allow.length ? stack.edge.allow : ["any"];
      for (const source of from) rules.push({ action: "allow", protocol: "tcp", from: source, port, comment: "edge" });
    }
  }
  for (const open of stack.edge.open) {
    const anywhere = open.from.every((f) => f === "0.0.0.0/0" || f === "::/0");
    const sources = anywhere ? ["any"] : open.from;
    for (const source of sources)
      rules.push({ action: "allow", protocol: open.protocol, from: source, port: open.port, comment: comment(open.description ?? "open") });
    ports.add(open.port);
  }
  if (!stack.edge.open.some((o) => o.port === 22)) {
    rules.push({ action: "limit", protocol: "tcp", from: "any", port: 22, comment: "admin SSH" });
    warnings.push({
      part: "edge.open",
      message: "the stack gives no admin address for SSH (port 22)",
      instead: "SSH left open to any address with ufw's rate limit; add { port: 22, from: <your address>/32 } to edge.open",
    });
  }
  return { rules, warnings };
}

/** A rule as a ufw command. */
export function ufwCommand(rule: FirewallRule): string {
  return `ufw ${rule.action} proto ${rule.protocol} from ${rule.from} to any port ${rule.port} comment '${rule.comment}'`;
}

/** The firewall script: deny incoming by default, then the rules. */
export function firewallScript(stack: Stack, rules: readonly FirewallRule[]): string {
  const lines = [
    "#!/bin/sh",
    `# Firewall of ${stack.name} (${stack.environment.name}), generated by cairn build: only the public ports are open.`,
    "set -eu",
    "command -v ufw >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y ufw",
    "ufw --force reset >/dev/null",
    "ufw default deny incoming",
    "ufw default allow outgoing",
    ...rules.map(ufwCommand),
    "ufw --force enable",
    "ufw status verbose",
  ];
  return `${lines.join("\n")}\n`;
}

/** Log rotation for the files that are not in the journal: error logs of services that keep one. */
export function logrotate(layout: VmLayout): string | null {
  const { stack } = layout;
  if (!stack.services.some((s) => s.errorLog)) return null;
  const days = Math.max(1, Math.round(stack.logs.retentionMs / 86_400_000));
  return [
    `${layout.logDir}/*.log {`,
    "    daily",
    `    rotate ${days}`,
    "    missingok",
    "    notifempty",
    "    compress",
    "    delaycompress",
    "    copytruncate",
    `    su ${layout.user} ${layout.user}`,
    "}",
    "",
  ].join("\n");
}
