/**
 * One machine's logs and metrics in CloudWatch: the Amazon CloudWatch agent's configuration file,
 * and how the processes' journal lines reach it. The vm target writes these files when the stack
 * asks for it (`logs: { destination: cloudwatch }`) and its install step puts them in place; the EC2
 * machine's first-boot script (aws target, vm environment) installs the agent and writes the same
 * configuration, so its alarms have the agent's metrics from the start. Pure.
 *
 * Why rsyslog between the journal and the agent: the agent's documented log sources are files (and
 * Windows events); a journald source reached its code only in 2026 and is not in every release a
 * machine may run. Writing each unit's output to a file with systemd's `StandardOutput=append:`
 * would take the lines out of the journal, which `cairn logs --remote` and `journalctl -u` read. So
 * journald keeps every line and forwards it to syslog (Debian's default, made explicit by a drop-in),
 * and rsyslog writes each process's lines (its SyslogIdentifier, `<stack>-<name>`) to a file of its
 * own, which the agent tails into that process's log group, created with the stack's retention.
 */
import type { Stack } from "../../model/types.js";
import { cloudWatchRetentionDays } from "../common/cloudwatch.js";
import { AGENT_METRICS, agentWanted, edgeMetricsLog, logGroupName } from "../common/machine-telemetry.js";
import type { GeneratedFile, TargetNote } from "../types.js";
import { unitBase } from "./layout.js";

export const AGENT_DIR = "/opt/aws/amazon-cloudwatch-agent";
/** Where the agent's documentation recommends the configuration file on Linux. */
export const AGENT_CONFIG = `${AGENT_DIR}/etc/amazon-cloudwatch-agent.json`;
export const AGENT_CTL = `${AGENT_DIR}/bin/amazon-cloudwatch-agent-ctl`;

/** One process's log group and the file rsyslog writes its lines to for the agent; or the edge's metrics log. */
export interface MachineLogGroup {
  /** The process, or null for the edge's metrics log (nginx writes that file itself). */
  readonly process: string | null;
  /** SyslogIdentifier of its units (null for the edge). */
  readonly identifier: string | null;
  readonly name: string;
  readonly file: string;
}

/** The agent's files of a stack, and what they say. */
export interface VmCloudWatch {
  readonly groups: readonly MachineLogGroup[];
  readonly retentionDays: number;
  /** Output files (`cloudwatch/...`). */
  readonly files: readonly GeneratedFile[];
}

/** Where rsyslog writes a process's lines for the agent. */
export function logFolder(stack: string): string {
  return `/var/log/cairn-${stack}`;
}

/** What CloudWatch Logs accepts in a log group name. */
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/**
 * The log group of each process (`<group>/<process>`) when logs go to CloudWatch, and the edge's
 * metrics log (`<group>/_edge`, a name no process can have) when an alarm reads it; or an error when
 * CloudWatch would refuse the name.
 */
export function logGroupsOf(stack: Stack): { groups: MachineLogGroup[]; errors: TargetNote[] } {
  const edge = edgeMetricsLog(stack);
  const processes = stack.logs.destination === "cloudwatch" ? [...stack.services, ...stack.jobs] : [];
  if (!processes.length && edge === null) return { groups: [], errors: [] };
  if (!LOG_GROUP.test(logGroupName(stack, "x")))
    return {
      groups: [],
      errors: [{ part: "logs.group", message: `"${stack.logs.group}" is not a CloudWatch log group name`, instead: "use letters, digits and . - _ / #" }],
    };
  const groups: MachineLogGroup[] = processes.map((p) => ({
    process: p.name,
    identifier: unitBase(stack, p.name),
    name: logGroupName(stack, p.name),
    file: `${logFolder(stack.name)}/${p.name}.log`,
  }));
  if (edge !== null) groups.push({ process: null, identifier: null, name: logGroupName(stack, null), file: edge });
  return { groups, errors: [] };
}

/**
 * The agent's configuration: each process's file into its log group with the stack's retention (when
 * logs go to CloudWatch), and its metrics (`AGENT_METRICS`: CPU, memory and root-disk use, the list
 * `cairn cost` counts) every minute in the CWAgent namespace, each with the instance's id as
 * dimension, which the machine's alarms name.
 */
export function agentConfig(groups: readonly MachineLogGroup[], retentionDays: number): Record<string, unknown> {
  const config: Record<string, unknown> = { agent: { metrics_collection_interval: 60, run_as_user: "root" } };
  if (groups.length)
    config.logs = {
      logs_collected: {
        files: {
          collect_list: groups.map((g) => ({
            file_path: g.file,
            log_group_name: g.name,
            log_stream_name: "{instance_id}",
            retention_in_days: retentionDays,
            timezone: "UTC",
          })),
        },
      },
    };
  config.metrics = {
    namespace: "CWAgent",
    append_dimensions: { InstanceId: "${aws:InstanceId}" },
    metrics_collected: Object.fromEntries(AGENT_METRICS.map((m) => [m.plugin, { measurement: [m.measurement], ...m.settings }])),
  };
  return config;
}

/** rsyslog's rules: the lines of each process (by its SyslogIdentifier) to its own file, and nowhere else. */
export function rsyslogRules(groups: readonly MachineLogGroup[]): string {
  const lines = ["# Generated by Cairn: each process's journal lines to the file the CloudWatch agent ships."];
  for (const g of groups.filter((x) => x.identifier !== null))
    lines.push(`if $programname == "${g.identifier}" then {`, `  action(type="omfile" file="${g.file}")`, "  stop", "}");
  return `${lines.join("\n")}\n`;
}

/** The files are a relay: kept two days, the log group keeps the rest. */
export function relayRotation(stack: string): string {
  return [
    `${logFolder(stack)}/*.log {`,
    "    daily",
    "    rotate 2",
    "    missingok",
    "    notifempty",
    "    compress",
    "    delaycompress",
    "    postrotate",
    "        /usr/lib/rsyslog/rsyslog-rotate",
    "    endscript",
    "}",
    "",
  ].join("\n");
}

/** journald forwards to syslog: Debian's default, written down so a host that turned it off still ships. */
export const JOURNALD_FORWARD = "[Journal]\nForwardToSyslog=yes\n";

/** The agent's files of a stack that wants the agent, or null. */
export function planCloudWatch(stack: Stack, errors: TargetNote[]): VmCloudWatch | null {
  if (!agentWanted(stack)) return null;
  const { groups, errors: refused } = logGroupsOf(stack);
  errors.push(...refused);
  const retentionDays = cloudWatchRetentionDays(stack.logs.retentionMs);
  const files: GeneratedFile[] = [
    { path: "cloudwatch/amazon-cloudwatch-agent.json", content: `${JSON.stringify(agentConfig(groups, retentionDays), null, 2)}\n` },
  ];
  if (groups.some((g) => g.identifier !== null))
    files.push(
      { path: "cloudwatch/journald.conf", content: JOURNALD_FORWARD },
      { path: "cloudwatch/logrotate", content: relayRotation(stack.name) },
      { path: "cloudwatch/rsyslog.conf", content: rsyslogRules(groups) },
    );
  return { groups, retentionDays, files };
}

/**
 * The install step's lines (install.sh and a deploy's provision.sh), run from the folder that holds
 * `cloudwatch/`. The agent is not a Debian package: the EC2 machine's first boot installs it; on
 * another host the step says how, and the logs wait in their files until it is there.
 */
export function cloudwatchSection(stack: string, cloudwatch: VmCloudWatch): string[] {
  const folder = logFolder(stack);
  const agent = [
    `if [ -x ${AGENT_CTL} ]; then`,
    `  install -m 0644 "$HERE/cloudwatch/amazon-cloudwatch-agent.json" ${AGENT_CONFIG}`,
    `  ${AGENT_CTL} -a fetch-config -m auto -s -c file:${AGENT_CONFIG}`,
    "else",
    `  echo "CloudWatch agent not installed: install its .deb from AWS (docs/build.md), then install again" >&2`,
    "fi",
  ];
  if (!cloudwatch.groups.some((g) => g.identifier !== null)) return ["# CloudWatch: the agent publishes the metrics the alarms watch.", ...agent];
  return [
    "# CloudWatch: journald forwards to rsyslog, which writes each process's lines to a file the agent ships.",
    "need_package rsyslogd rsyslog",
    `install -d -m 0755 ${folder}`,
    "install -d -m 0755 /etc/systemd/journald.conf.d",
    `if ! cmp -s "$HERE/cloudwatch/journald.conf" /etc/systemd/journald.conf.d/cairn-${stack}.conf; then`,
    `  install -m 0644 "$HERE/cloudwatch/journald.conf" /etc/systemd/journald.conf.d/cairn-${stack}.conf`,
    "  systemctl restart systemd-journald",
    "fi",
    `if ! cmp -s "$HERE/cloudwatch/rsyslog.conf" /etc/rsyslog.d/40-cairn-${stack}.conf; then`,
    `  install -m 0644 "$HERE/cloudwatch/rsyslog.conf" /etc/rsyslog.d/40-cairn-${stack}.conf`,
    "  systemctl restart rsyslog",
    "fi",
    `install -m 0644 "$HERE/cloudwatch/logrotate" /etc/logrotate.d/cairn-${stack}`,
    ...agent,
  ];
}
