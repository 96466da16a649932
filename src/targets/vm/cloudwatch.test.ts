/**
 * The CloudWatch agent's files of the vm target, checked against the agent's documented configuration
 * keys (AWS, "Manually create or edit the CloudWatch agent configuration file",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-Configuration-File-Details.html):
 * every key is one the agent knows in that place, each process's journal lines reach a file the agent
 * ships to its log group with the stack's retention, and only a stack that asks for CloudWatch gets them.
 */
import { describe, expect, it } from "vitest";
import { exampleStack, stackFrom } from "../../test-support/index.js";
import { RETENTION } from "../common/cloudwatch.js";
import { vmTarget } from "./index.js";

/** Documented keys, by place in the file; `*` is a map whose keys are the user's (dimensions). */
const KEYS: Record<string, readonly string[]> = {
  "": ["agent", "metrics", "logs", "traces"],
  agent: [
    "metrics_collection_interval",
    "region",
    "credentials",
    "debug",
    "aws_sdk_log_level",
    "logfile",
    "omit_hostname",
    "run_as_user",
    "user_agent",
    "usage_data",
  ],
  metrics: ["namespace", "append_dimensions", "aggregation_dimensions", "endpoint_override", "metrics_collected", "force_flush_interval", "credentials"],
  "metrics.append_dimensions": ["ImageId", "InstanceId", "InstanceType", "AutoScalingGroupName"],
  "metrics.metrics_collected": [
    "collectd",
    "cpu",
    "disk",
    "diskio",
    "swap",
    "mem",
    "net",
    "netstat",
    "processes",
    "procstat",
    "statsd",
    "ethtool",
    "nvidia_gpu",
  ],
  "metrics.metrics_collected.cpu": ["drop_original_metrics", "resources", "totalcpu", "measurement", "metrics_collection_interval", "append_dimensions"],
  "metrics.metrics_collected.mem": ["measurement", "metrics_collection_interval", "append_dimensions"],
  "metrics.metrics_collected.disk": [
    "drop_original_metrics",
    "resources",
    "measurement",
    "ignore_file_system_types",
    "drop_device",
    "metrics_collection_interval",
    "append_dimensions",
  ],
  logs: ["logs_collected", "metrics_collected", "force_flush_interval", "credentials", "endpoint_override", "log_stream_name", "concurrency"],
  "logs.logs_collected": ["files", "windows_events"],
  "logs.logs_collected.files": ["collect_list"],
  "logs.logs_collected.files.collect_list": [
    "file_path",
    "auto_removal",
    "log_group_name",
    "log_group_class",
    "log_stream_name",
    "retention_in_days",
    "filters",
    "timezone",
    "timestamp_format",
    "multi_line_start_pattern",
    "encoding",
    "publish_multi_logs",
    "trim_timestamp",
    "backpressure_mode",
  ],
};

/** Documented measurements of the plugins Cairn uses (the `cpu_`, `mem_`, `disk_` prefix may be left out). */
const MEASUREMENTS: Record<string, readonly string[]> = {
  cpu: [
    "time_active",
    "time_guest",
    "time_idle",
    "time_iowait",
    "time_system",
    "time_user",
    "usage_active",
    "usage_guest",
    "usage_idle",
    "usage_iowait",
    "usage_system",
    "usage_user",
  ],
  mem: ["active", "available", "available_percent", "buffered", "cached", "free", "inactive", "total", "used", "used_percent"],
  disk: ["free", "total", "used", "used_percent", "inodes_free", "inodes_used", "inodes_total"],
};

/** Keys the documentation does not name in their place, as `path.key`. */
function unknownKeys(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => unknownKeys(item, path));
  if (!value || typeof value !== "object") return [];
  const known = KEYS[path];
  if (!known) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(known.includes(key) ? [] : [`${path ? `${path}.` : ""}${key}`]),
    ...unknownKeys(child, path ? `${path}.${key}` : key),
  ]);
}

/** Measurements a plugin does not document. */
function unknownMeasurements(config: { metrics?: { metrics_collected?: Record<string, { measurement?: string[] }> } }): string[] {
  return Object.entries(config.metrics?.metrics_collected ?? {}).flatMap(([plugin, spec]) =>
    (spec.measurement ?? []).filter((m) => !(MEASUREMENTS[plugin] ?? []).includes(m.replace(`${plugin}_`, ""))).map((m) => `${plugin}.${m}`),
  );
}

const filesOf = (stack: Parameters<typeof vmTarget.generate>[0]) => {
  const out = vmTarget.generate(stack, {});
  const file = (path: string) => out.files.find((f) => f.path === path)?.content;
  return { out, file, config: JSON.parse(file("cloudwatch/amazon-cloudwatch-agent.json") ?? "null") };
};

describe("the CloudWatch agent's configuration (vm target, logs to CloudWatch)", () => {
  it("CityFlow mvp: only documented keys and measurements; each process's file to its group, kept 14 days", async () => {
    const { out, file, config } = filesOf(await exampleStack("cityflow", "mvp"));
    expect(out.errors).toEqual([]);
    expect(unknownKeys(config)).toEqual([]);
    expect(unknownMeasurements(config)).toEqual([]);
    const list = config.logs.logs_collected.files.collect_list as { file_path: string; log_group_name: string; retention_in_days: number }[];
    expect(list.map((e) => [e.log_group_name, e.retention_in_days])).toEqual([
      ["/cityflow/api", 14],
      ["/cityflow/dashboard", 14],
      ["/cityflow/processor", 14],
      // Its error-rate alarm reads nginx's metrics log.
      ["/cityflow/_edge", 14],
    ]);
    // Each file the agent reads is the one rsyslog writes that process's lines to.
    const rules = file("cloudwatch/rsyslog.conf") ?? "";
    for (const [process, entry] of [
      ["api", list[0]],
      ["dashboard", list[1]],
      ["processor", list[2]],
    ] as const)
      expect(rules).toContain(`if $programname == "cityflow-${process}" then {\n  action(type="omfile" file="${entry?.file_path}")`);
    // The units name themselves in the journal as rsyslog matches them.
    expect(file("systemd/cityflow-processor.service")).toContain("SyslogIdentifier=cityflow-processor");
    expect(config.metrics.metrics_collected).toEqual({
      cpu: { measurement: ["cpu_usage_active"], totalcpu: true },
      mem: { measurement: ["mem_used_percent"] },
      disk: { measurement: ["used_percent"], resources: ["/"] },
    });
    expect(config.metrics.append_dimensions).toEqual({ InstanceId: "${aws:InstanceId}" });
    expect(file("cloudwatch/journald.conf")).toBe("[Journal]\nForwardToSyslog=yes\n");
  });

  it("the key check catches a misspelt key and an unknown measurement", () => {
    const config = { agent: { run_as_usr: "root" }, metrics: { metrics_collected: { mem: { measurement: ["mem_used_pct"] } } } };
    expect(unknownKeys(config)).toEqual(["agent.run_as_usr"]);
    expect(unknownMeasurements(config)).toEqual(["mem.mem_used_pct"]);
  });

  it("the stack's group and retention reach the file: 45 days is kept 60, CloudWatch's next period", () => {
    const { config } = filesOf(
      stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 } }
jobs: { nightly: { run: node nightly.mjs, schedule: "0 3 * * *" } }
logs: { group: /acme/shop/, retention: 45d, destination: cloudwatch }
environments: { prod: { target: vm } }
`),
    );
    expect(RETENTION).toContain(60);
    expect(
      config.logs.logs_collected.files.collect_list.map((e: { log_group_name: string; retention_in_days: number }) => [e.log_group_name, e.retention_in_days]),
    ).toEqual([
      ["/acme/shop/web", 60],
      ["/acme/shop/nightly", 60],
    ]);
  });

  it("install.sh puts the files in place and starts the agent only when the stack asks for CloudWatch", async () => {
    const cloud = filesOf(await exampleStack("cityflow", "mvp")).file("install.sh") ?? "";
    expect(cloud).toContain(
      'install -m 0644 "$HERE/cloudwatch/amazon-cloudwatch-agent.json" /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json',
    );
    expect(cloud).toContain("amazon-cloudwatch-agent-ctl -a fetch-config -m auto -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json");
    expect(cloud).toContain('install -m 0644 "$HERE/cloudwatch/rsyslog.conf" /etc/rsyslog.d/40-cairn-cityflow.conf');
    const local = filesOf(await exampleStack("mangetamain", "production"));
    expect(local.out.files.filter((f) => f.path.startsWith("cloudwatch/"))).toEqual([]);
    expect(local.file("install.sh")).not.toContain("cloudwatch");
  });

  it("a log group name CloudWatch would refuse is an error, and nothing is written", () => {
    const out = vmTarget.generate(
      stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 } }
logs: { group: "/shop logs", destination: cloudwatch }
environments: { prod: { target: vm } }
`),
      {},
    );
    expect(out.errors).toEqual([
      { part: "logs.group", message: '"/shop logs" is not a CloudWatch log group name', instead: "use letters, digits and . - _ / #" },
    ]);
  });
});
