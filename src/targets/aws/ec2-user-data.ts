/**
 * The instance's first-boot script, when logs go to CloudWatch or alarms need the agent's metrics:
 * rsyslog writes each process's journal lines (its SyslogIdentifier, `<stack>-<name>`) to a file of
 * its own, and the CloudWatch agent ships each file to its log group and publishes memory and disk
 * use. Everything else on the machine is `cairn deploy`'s. Pure; names come from the model's
 * validated names, and each file is written through a quoted here-document.
 */
import type { Ec2LogGroup } from "./cdk/ec2/plan-types.js";

export interface UserDataInput {
  readonly stack: string;
  readonly region: string;
  readonly architecture: "x86_64" | "arm64";
  readonly groups: readonly Ec2LogGroup[];
  readonly metrics: boolean;
}

/** Where rsyslog writes a process's lines for the agent. */
export function logFolder(stack: string): string {
  return `/var/log/cairn-${stack}`;
}

const AGENT_CONFIG = "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json";

/** The agent's configuration: one file per log group, and memory and root-disk use every minute. */
export function agentConfig(input: UserDataInput): Record<string, unknown> {
  const config: Record<string, unknown> = { agent: { metrics_collection_interval: 60, run_as_user: "root" } };
  if (input.groups.length)
    config.logs = {
      logs_collected: {
        files: {
          collect_list: input.groups.map((g) => ({ file_path: g.file, log_group_name: g.name, log_stream_name: "{instance_id}", timezone: "UTC" })),
        },
      },
    };
  if (input.metrics)
    config.metrics = {
      namespace: "CWAgent",
      append_dimensions: { InstanceId: "${aws:InstanceId}" },
      metrics_collected: { mem: { measurement: ["mem_used_percent"] }, disk: { measurement: ["used_percent"], resources: ["/"] } },
    };
  return config;
}

/** The script's lines (the CDK puts `#!/bin/bash` first). */
export function userData(input: UserDataInput): string[] {
  if (!input.groups.length && !input.metrics) return [];
  const folder = logFolder(input.stack);
  const arch = input.architecture === "arm64" ? "arm64" : "amd64";
  const lines = [
    "set -euo pipefail",
    "export DEBIAN_FRONTEND=noninteractive",
    "apt-get update -q",
    "apt-get install -y -q --no-install-recommends curl ca-certificates",
  ];
  if (input.groups.length) {
    lines.push(
      "apt-get install -y -q --no-install-recommends rsyslog logrotate",
      `install -d -m 0755 ${folder}`,
      `cat > /etc/rsyslog.d/40-cairn-${input.stack}.conf <<'CAIRN'`,
      ...input.groups.flatMap((g) => [`if $programname == "${input.stack}-${g.process}" then {`, `  action(type="omfile" file="${g.file}")`, "  stop", "}"]),
      "CAIRN",
      `cat > /etc/logrotate.d/cairn-${input.stack} <<'CAIRN'`,
      `${folder}/*.log {`,
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
      "CAIRN",
      "systemctl restart rsyslog",
    );
  }
  const url = `https://amazoncloudwatch-agent-${input.region}.s3.${input.region}.amazonaws.com/ubuntu/${arch}/latest/amazon-cloudwatch-agent.deb`;
  lines.push(
    `curl -fsSL --retry 5 -o /tmp/amazon-cloudwatch-agent.deb ${url}`,
    "dpkg -i -E /tmp/amazon-cloudwatch-agent.deb",
    "rm -f /tmp/amazon-cloudwatch-agent.deb",
    `cat > ${AGENT_CONFIG} <<'CAIRN'`,
    JSON.stringify(agentConfig(input), null, 2),
    "CAIRN",
    `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${AGENT_CONFIG}`,
  );
  return lines;
}
