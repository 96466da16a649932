/**
 * The CloudFormation stack of a vm environment's machine: the instance(s) with disk and Elastic IP,
 * the security group, a role allowed exactly the environment's tables, buckets and log groups, the
 * managed data stores, and the alarms the machine can express. Cairn synthesizes it in-process and
 * ships this same code in the generated app.
 */
import {
  aws_cloudwatch_actions as actions,
  CfnOutput,
  aws_cloudwatch as cloudwatch,
  DefaultStackSynthesizer,
  Duration,
  aws_ec2 as ec2,
  Fn,
  aws_iam as iam,
  aws_logs as logs,
  RemovalPolicy,
  Stack,
} from "aws-cdk-lib";
import type { Construct } from "constructs";
import { alarmTopics } from "../alarm-topics.js";
import { buildBucket, buildCache, buildDatabase, buildTable } from "../data.js";
import type { Plan } from "../plan-types.js";
import { type BuiltMachine, buildMachines, buildNetwork, buildSecurityGroup } from "./machine.js";
import type { Ec2EdgeMetric, Ec2Plan } from "./plan-types.js";

/** A construct id from a name: `report-index` -> `ReportIndex`. */
const idOf = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .map((w) => (w[0] ?? "").toUpperCase() + w.slice(1))
    .join("");

export class Ec2Stack extends Stack {
  constructor(scope: Construct, plan: Ec2Plan) {
    super(scope, plan.stackName, {
      description: plan.description,
      env: { region: plan.region },
      analyticsReporting: false,
      // No bootstrap-version rule and no assets: the template is the same on every machine.
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    });
    const vpc = buildNetwork(this, plan);
    const group = buildSecurityGroup(this, plan, vpc);
    const role = new iam.Role(this, "MachineRole", {
      assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
      description: `${plan.stackName}: the machine's access to its own tables, buckets and log groups`,
    });
    // The data constructs name their secrets and subnet groups after the stack; that is all they read of a plan.
    const names = { stackName: plan.stackName } as Plan;
    for (const spec of plan.databases) {
      const db = buildDatabase(this, names, spec, vpc);
      db.securityGroup.addIngressRule(group, ec2.Port.tcp(5432), `the machine to ${spec.name}`);
      new CfnOutput(this, `${idOf(spec.name)}Endpoint`, { description: `${spec.name}: database endpoint`, value: db.instance.dbInstanceEndpointAddress });
      new CfnOutput(this, `${idOf(spec.name)}UrlSecret`, {
        description: `${spec.name}: the secret holding its URL; put its value in the deployer's .env`,
        value: `${plan.stackName}/${spec.name}/url`,
      });
    }
    for (const spec of plan.caches) {
      const cache = buildCache(this, names, spec, vpc);
      cache.securityGroup.addIngressRule(group, ec2.Port.tcp(6379), `the machine to ${spec.name}`);
      new CfnOutput(this, `${idOf(spec.name)}Url`, {
        description: `${spec.name}: cache URL; put it in the deployer's .env`,
        value: Fn.join("", ["redis://", cache.group.attrPrimaryEndPointAddress, ":", cache.group.attrPrimaryEndPointPort]),
      });
    }
    for (const spec of plan.buckets) {
      buildBucket(this, spec).grantReadWrite(role);
      new CfnOutput(this, `${idOf(spec.name)}BucketName`, { description: `${spec.name}: bucket name`, value: spec.bucketName });
    }
    for (const spec of plan.tables) {
      buildTable(this, spec).grantReadWriteData(role);
      new CfnOutput(this, `${idOf(spec.name)}TableName`, { description: `${spec.name}: table name`, value: spec.tableName });
    }
    const logGroups = new Map<string, logs.LogGroup>();
    for (const spec of plan.logs?.groups ?? []) {
      const group = new logs.LogGroup(this, spec.id, {
        logGroupName: spec.name,
        retention: plan.logs?.retentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      logGroups.set(spec.id, group);
      group.grantWrite(role);
      // The agent sets the group's retention (the same the template gives it) when it starts shipping.
      role.addToPolicy(new iam.PolicyStatement({ actions: ["logs:DescribeLogStreams", "logs:PutRetentionPolicy"], resources: [group.logGroupArn] }));
    }
    if (plan.agentMetrics)
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ["cloudwatch:PutMetricData"],
          resources: ["*"],
          conditions: { StringEquals: { "cloudwatch:namespace": "CWAgent" } },
        }),
      );
    const machines = buildMachines(this, plan, vpc, group, role);
    machines.forEach((machine, i) => {
      const n = machines.length === 1 ? "" : String(i + 1);
      new CfnOutput(this, `Host${n}`, {
        description: "the host for `hosts:` of the environment (user@address)",
        value: Fn.join("", [`${plan.image.user}@`, machine.address.attrPublicIp]),
      });
      new CfnOutput(this, `ElasticIp${n}`, { description: "the machine's public address", value: machine.address.attrPublicIp });
      new CfnOutput(this, `InstanceId${n}`, { description: "the instance", value: machine.instance.instanceId });
    });
    const edge = plan.edgeMetrics ? logGroups.get(plan.edgeMetrics.logGroupId) : undefined;
    buildAlarms(this, plan, machines, edge && plan.edgeMetrics ? edgeMetrics(this, edge, plan.edgeMetrics) : null);
  }
}

interface EdgeMetrics {
  readonly errorRate: cloudwatch.IMetric;
  readonly responseTime: (statistic: string) => cloudwatch.IMetric;
}

/** Requests, 5xx answers and response time (seconds) counted from nginx's metrics log, one JSON line per request. */
function edgeMetrics(scope: Construct, logGroup: logs.LogGroup, spec: NonNullable<Ec2Plan["edgeMetrics"]>): EdgeMetrics {
  const period = Duration.minutes(1);
  const filter = (f: Ec2EdgeMetric) =>
    new logs.MetricFilter(scope, f.id, {
      logGroup,
      filterPattern: logs.FilterPattern.numberValue(f.field, ">=", f.min),
      metricNamespace: spec.namespace,
      metricName: f.metricName,
      metricValue: f.value,
      defaultValue: f.defaultValue,
    });
  const requests = filter(spec.filters.requests);
  const errors = filter(spec.filters.errors);
  const time = filter(spec.filters.responseTime);
  return {
    errorRate: new cloudwatch.MathExpression({
      expression: "IF(requests > 0, 100 * errors / requests, 0)",
      usingMetrics: { errors: errors.metric({ period, statistic: "Sum" }), requests: requests.metric({ period, statistic: "Sum" }) },
      period,
      label: "5xx responses (%)",
    }),
    responseTime: (statistic) => time.metric({ period, statistic }),
  };
}

const COMPARISONS = {
  GreaterThanThreshold: "GREATER_THAN_THRESHOLD",
  GreaterThanOrEqualToThreshold: "GREATER_THAN_OR_EQUAL_TO_THRESHOLD",
  LessThanThreshold: "LESS_THAN_THRESHOLD",
  LessThanOrEqualToThreshold: "LESS_THAN_OR_EQUAL_TO_THRESHOLD",
} as const;

/**
 * CPU (EC2's own metric, every 5 minutes) and memory (the agent's, every minute) of each machine, and
 * the edge's error rate and latency (from its metrics log, every minute, all machines together), to one SNS topic.
 */
function buildAlarms(scope: Construct, plan: Ec2Plan, machines: readonly BuiltMachine[], edge: EdgeMetrics | null): void {
  if (!plan.alarms.length) return;
  const topic = alarmTopics(scope, plan.stackName);
  const alarm = (id: string, name: string, spec: Ec2Plan["alarms"][number], metric: cloudwatch.IMetric, periods: number) =>
    new cloudwatch.Alarm(scope, id, {
      alarmName: name,
      alarmDescription: spec.description,
      metric,
      threshold: spec.threshold,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      comparisonOperator: cloudwatch.ComparisonOperator[COMPARISONS[spec.comparison]],
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new actions.SnsAction(topic(spec.notify)));
  for (const spec of plan.alarms) {
    if (spec.metric === "cpu" || spec.metric === "memory") {
      machines.forEach((machine, i) => {
        const n = machines.length === 1 ? "" : String(i + 1);
        const cpu = spec.metric === "cpu";
        const metric = new cloudwatch.Metric({
          namespace: cpu ? "AWS/EC2" : "CWAgent",
          metricName: cpu ? "CPUUtilization" : "mem_used_percent",
          dimensionsMap: { InstanceId: machine.instance.instanceId },
          period: Duration.minutes(cpu ? 5 : 1),
          statistic: "Average",
        });
        alarm(`${spec.id}${n}`, `${spec.name}${n ? `-${n}` : ""}`, spec, metric, cpu ? Math.max(1, Math.ceil(spec.periods / 5)) : spec.periods);
      });
    } else if (edge) {
      const metric = spec.metric === "error_rate" ? edge.errorRate : edge.responseTime(spec.metric);
      alarm(spec.id, spec.name, spec, metric, spec.periods);
    }
  }
}
