/**
 * The plan of the machine a vm environment runs on: the EC2 instance (type, disk, image, address),
 * its security group and role, the managed data stores the environment places in AWS, and its logs.
 * Cairn decides everything and stores it as JSON beside the app (`cairn-plan.json`); the construct
 * code reads only this.
 */
import type { PlanBucket, PlanCache, PlanDatabase, PlanTable } from "../plan-types.js";

/** An inbound rule of the instance's security group. */
export interface Ec2PortRule {
  readonly port: number;
  readonly protocol: "tcp" | "udp";
  /** CIDR blocks (IPv4 or IPv6). */
  readonly sources: readonly string[];
  readonly description: string;
}

/** The public image, found by its Systems Manager parameter name when CloudFormation deploys. */
export interface Ec2Image {
  readonly name: string;
  /** Default of the `ImageParameter` template parameter. */
  readonly ssmParameter: string;
  /** The image's login user, for `hosts:`. */
  readonly user: string;
}

/** A log group the CloudWatch agent ships one process's log file to, or the edge's metrics log (process null). */
export interface Ec2LogGroup {
  readonly id: string;
  readonly name: string;
  readonly process: string | null;
  readonly file: string;
}

export interface Ec2Alarm {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** CPU from EC2 itself; memory from the agent; error rate and latency from the edge's metrics log. */
  readonly metric: "cpu" | "memory" | "error_rate" | "p50" | "p95" | "p99";
  readonly comparison: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
  readonly threshold: number;
  readonly periods: number;
  /** An e-mail address or https:// URL subscribed to the alarm's topic, or null for the stack's own topic. */
  readonly notify: string | null;
}

/** A metric filter on the edge's log: the lines whose numeric `field` is at least `min`, each counting `value`. */
export interface Ec2EdgeMetric {
  readonly id: string;
  readonly metricName: string;
  readonly field: string;
  readonly min: number;
  /** "1" to count lines, or the field whose value is the metric. */
  readonly value: string;
  /** What a minute without a matching line reports (none: no data). */
  readonly defaultValue?: number;
}

export interface Ec2Plan {
  readonly kind: "ec2";
  readonly stackName: string;
  readonly description: string;
  readonly region: string;
  readonly instance: {
    readonly type: string;
    readonly count: number;
    /** Root volume, gp3, encrypted. */
    readonly diskGb: number;
    readonly architecture: "x86_64" | "arm64";
  };
  readonly image: Ec2Image;
  readonly ports: readonly Ec2PortRule[];
  readonly databases: readonly PlanDatabase[];
  readonly caches: readonly PlanCache[];
  readonly buckets: readonly PlanBucket[];
  readonly tables: readonly PlanTable[];
  /** Log groups with their retention, when logs go to CloudWatch or an alarm reads the edge's log. */
  readonly logs: { readonly retentionDays: number; readonly groups: readonly Ec2LogGroup[] } | null;
  /** The agent publishes memory and disk metrics (CWAgent namespace) for the alarms that need them. */
  readonly agentMetrics: boolean;
  /** The first-boot script, line by line. */
  readonly userData: readonly string[];
  readonly alarms: readonly Ec2Alarm[];
  /** Metric filters on the edge's metrics log (requests, 5xx, response time), for the edge's alarms. */
  readonly edgeMetrics: {
    readonly logGroupId: string;
    readonly namespace: string;
    readonly filters: { readonly requests: Ec2EdgeMetric; readonly errors: Ec2EdgeMetric; readonly responseTime: Ec2EdgeMetric };
  } | null;
}
