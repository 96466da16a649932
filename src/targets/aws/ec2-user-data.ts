/**
 * The instance's first-boot script, when logs go to CloudWatch or alarms need the agent's metrics: it
 * installs the CloudWatch agent (not a Debian package: its .deb from AWS's own bucket in the region)
 * and writes the vm target's agent files (`vm/cloudwatch.ts`: the journal to rsyslog to one file per
 * process, and the agent's configuration), so the alarms have the agent's metrics from the start.
 * `cairn deploy` later installs the same files again. Everything else on the machine is
 * `cairn deploy`'s. Pure; names come from the model's validated names, and each file is written
 * through a quoted here-document.
 */
import { AGENT_CONFIG, AGENT_CTL, agentConfig, JOURNALD_FORWARD, logFolder, type MachineLogGroup, relayRotation, rsyslogRules } from "../vm/cloudwatch.js";

export interface UserDataInput {
  readonly stack: string;
  readonly region: string;
  readonly architecture: "x86_64" | "arm64";
  readonly groups: readonly MachineLogGroup[];
  readonly retentionDays: number;
  readonly metrics: boolean;
}

/** The agent's package for Debian and Ubuntu, from the bucket AWS documents for the region. */
export function agentPackageUrl(region: string, architecture: "x86_64" | "arm64"): string {
  const arch = architecture === "arm64" ? "arm64" : "amd64";
  return `https://amazoncloudwatch-agent-${region}.s3.${region}.amazonaws.com/ubuntu/${arch}/latest/amazon-cloudwatch-agent.deb`;
}

/** A file written through a quoted here-document, one line of the script per line of the file. */
const file = (path: string, content: string) => [`cat > ${path} <<'CAIRN'`, ...content.replace(/\n$/, "").split("\n"), "CAIRN"];

/** The script's lines (the CDK puts `#!/bin/bash` first). */
export function userData(input: UserDataInput): string[] {
  if (!input.groups.length && !input.metrics) return [];
  const lines = [
    "set -euo pipefail",
    "export DEBIAN_FRONTEND=noninteractive",
    "apt-get update -q",
    "apt-get install -y -q --no-install-recommends curl ca-certificates",
  ];
  if (input.groups.some((g) => g.identifier !== null)) {
    lines.push(
      "apt-get install -y -q --no-install-recommends rsyslog logrotate",
      `install -d -m 0755 ${logFolder(input.stack)} /etc/systemd/journald.conf.d`,
      ...file(`/etc/systemd/journald.conf.d/cairn-${input.stack}.conf`, JOURNALD_FORWARD),
      ...file(`/etc/rsyslog.d/40-cairn-${input.stack}.conf`, rsyslogRules(input.groups)),
      ...file(`/etc/logrotate.d/cairn-${input.stack}`, relayRotation(input.stack)),
      "systemctl restart systemd-journald rsyslog",
    );
  }
  lines.push(
    `curl -fsSL --retry 5 -o /tmp/amazon-cloudwatch-agent.deb ${agentPackageUrl(input.region, input.architecture)}`,
    "dpkg -i -E /tmp/amazon-cloudwatch-agent.deb",
    "rm -f /tmp/amazon-cloudwatch-agent.deb",
    ...file(AGENT_CONFIG, JSON.stringify(agentConfig(input.groups, input.retentionDays), null, 2)),
    `${AGENT_CTL} -a fetch-config -m ec2 -s -c file:${AGENT_CONFIG}`,
  );
  return lines;
}
