/**
 * The machine of a vm environment on AWS, checked on the synthesized template with
 * aws-cdk-lib/assertions: instance, disk, image, address, security group, least-privilege role,
 * managed data stores, log groups with the agent, alarms and the outputs `hosts:` names.
 */
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../model/types.js";
import { exampleStack, stackFrom } from "../../test-support/index.js";
import type { TargetOutput } from "../types.js";
import { awsTarget } from "./index.js";

function build(stack: Stack): {
  out: TargetOutput;
  template: Template;
  json: Record<string, Record<string, { Type: string; Properties: Record<string, unknown> }>>;
} {
  const out = awsTarget.generate(stack, { outDir: "out/aws" });
  const file = out.files.find((f) => f.path.startsWith("cloudformation/"));
  const json = JSON.parse(file?.content ?? "{}");
  return { out, template: Template.fromJSON(json), json };
}

const ingress = (json: ReturnType<typeof build>["json"]) =>
  Object.values(json.Resources ?? {})
    .filter((r) => r.Type === "AWS::EC2::SecurityGroup" && String(r.Properties.GroupDescription).includes("public ports"))
    .flatMap((r) => (r.Properties.SecurityGroupIngress as { FromPort: number; IpProtocol: string; CidrIp?: string; CidrIpv6?: string }[]) ?? [])
    .map((i) => `${i.IpProtocol}/${i.FromPort} ${i.CidrIp ?? i.CidrIpv6}`)
    .sort();

const userDataOf = (json: ReturnType<typeof build>["json"]) => {
  const instance = Object.values(json.Resources ?? {}).find((r) => r.Type === "AWS::EC2::Instance");
  return JSON.stringify(instance?.Properties.UserData ?? "");
};

describe("CityFlow mvp: its machine and its managed tables and buckets", () => {
  let built: ReturnType<typeof build>;
  beforeAll(async () => {
    built = build(await exampleStack("cityflow", "mvp"));
  });

  it("writes the machine's CDK app, not the Fargate one", () => {
    expect(built.out.errors).toEqual([]);
    const paths = built.out.files.map((f) => f.path);
    for (const p of ["bin/app.ts", "lib/ec2/ec2-stack.ts", "lib/ec2/machine.ts", "lib/data.ts", "cairn-plan.json", "cloudformation/cityflow-mvp.template.json"])
      expect(paths).toContain(p);
    expect(paths).not.toContain("lib/tasks.ts");
    built.template.resourceCountIs("AWS::ECS::Cluster", 0);
    built.template.resourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 0);
    built.template.resourceCountIs("AWS::EC2::NatGateway", 0);
  });

  it("one t3.medium with a 20 GB encrypted gp3 disk, IMDSv2, the Debian 12 image found by name, and an Elastic IP", () => {
    built.template.resourceCountIs("AWS::EC2::Instance", 1);
    built.template.hasResourceProperties("AWS::EC2::Instance", {
      InstanceType: "t3.medium",
      ImageId: { Ref: "ImageParameter" },
      KeyName: { Ref: "KeyName" },
      BlockDeviceMappings: [{ DeviceName: { Ref: "RootDeviceName" }, Ebs: { VolumeSize: 20, VolumeType: "gp3", Encrypted: true, DeleteOnTermination: true } }],
    });
    built.template.hasResourceProperties("AWS::EC2::LaunchTemplate", { LaunchTemplateData: { MetadataOptions: { HttpTokens: "required" } } });
    built.template.hasParameter("ImageParameter", {
      Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
      Default: "/aws/service/debian/release/12/latest/amd64",
    });
    built.template.resourceCountIs("AWS::EC2::EIP", 1);
    built.template.hasResourceProperties("AWS::EC2::EIP", { Domain: "vpc", InstanceId: { Ref: Match.stringLikeRegexp("^Machine") } });
  });

  it("a security group with exactly the machine's ports: the edge to anyone, SSH from the admin address", () => {
    expect(ingress(built.json)).toEqual(["tcp/22 198.51.100.7/32", "tcp/443 0.0.0.0/0", "tcp/443 ::/0", "tcp/80 0.0.0.0/0", "tcp/80 ::/0"]);
  });

  it("a role allowed exactly its two tables, two buckets and three log groups, nothing else", () => {
    const policies = built.template.findResources("AWS::IAM::Policy");
    // The agent's metrics are the one grant on "*", and only for the CWAgent namespace (the test below).
    const statements = Object.values(policies)
      .flatMap((p) => (p.Properties.PolicyDocument.Statement as { Resource: unknown; Action: unknown }[]) ?? [])
      .filter((s) => s.Action !== "cloudwatch:PutMetricData");
    const resources = JSON.stringify(statements.map((s) => s.Resource));
    expect(resources).not.toContain('"*"');
    const ids = [...resources.matchAll(/"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/g)].map((m) => m[1]);
    expect([...new Set(ids)].sort()).toEqual([
      expect.stringMatching(/^EdgeMetricsLog/),
      expect.stringMatching(/^LogsApi/),
      expect.stringMatching(/^LogsDashboard/),
      expect.stringMatching(/^LogsProcessor/),
      expect.stringMatching(/^Metrics/),
      expect.stringMatching(/^Raw/),
      expect.stringMatching(/^ReportIndex/),
      expect.stringMatching(/^Reports/),
    ]);
    built.template.hasResourceProperties("AWS::IAM::Role", { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: "ec2.amazonaws.com" } }] } });
  });

  it("the tables and buckets the environment places in AWS, named as the processes are told", () => {
    built.template.hasResourceProperties("AWS::DynamoDB::Table", {
      TableName: "cityflow-metrics",
      KeySchema: [
        { AttributeName: "metric_type", KeyType: "HASH" },
        { AttributeName: "date", KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    });
    built.template.hasResourceProperties("AWS::DynamoDB::Table", { TableName: "cityflow-reports" });
    built.template.hasResourceProperties("AWS::S3::Bucket", { BucketName: "cityflow-reports-paris", VersioningConfiguration: { Status: "Enabled" } });
    built.template.hasResourceProperties("AWS::S3::Bucket", { BucketName: "cityflow-raw-data-paris" });
  });

  it("logs to CloudWatch: a log group per process with the file's retention, and the agent installed at first boot", () => {
    for (const name of ["/cityflow/api", "/cityflow/dashboard", "/cityflow/processor"])
      built.template.hasResourceProperties("AWS::Logs::LogGroup", { LogGroupName: name, RetentionInDays: 14 });
    const script = userDataOf(built.json);
    expect(script).toContain("amazoncloudwatch-agent-eu-west-3.s3.eu-west-3.amazonaws.com/ubuntu/amd64/latest/amazon-cloudwatch-agent.deb");
    expect(script).toContain('if $programname == \\"cityflow-processor\\" then {');
    expect(script).toContain("/var/log/cairn-cityflow/processor.log");
  });

  it("gives the address as the host `hosts:` names, and the tables' and buckets' names", () => {
    built.template.hasOutput("Host", { Value: { "Fn::Join": ["", ["admin@", { "Fn::GetAtt": [Match.stringLikeRegexp("^MachineAddress"), "PublicIp"] }]] } });
    built.template.hasOutput("ElasticIp", {});
    built.template.hasOutput("MetricsTableName", { Value: "cityflow-metrics" });
    built.template.hasOutput("ReportsBucketName", { Value: "cityflow-reports-paris" });
  });
});

describe("ForestGuard mvp: an RDS database beside the machine, Redis on it", () => {
  let built: ReturnType<typeof build>;
  beforeAll(async () => {
    built = build(await exampleStack("forestguard", "mvp"));
  });

  it("RDS PostgreSQL 15 db.t3.small, 20 GB, single zone, reached by the machine only on 5432", () => {
    built.template.hasResourceProperties("AWS::RDS::DBInstance", {
      DBInstanceClass: "db.t3.small",
      AllocatedStorage: "20",
      MultiAZ: false,
      Engine: "postgres",
    });
    const machineGroup = Object.keys(
      built.template.findResources("AWS::EC2::SecurityGroup", { Properties: { GroupDescription: Match.stringLikeRegexp("public ports") } }),
    )[0];
    built.template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", {
      FromPort: 5432,
      ToPort: 5432,
      SourceSecurityGroupId: { "Fn::GetAtt": [machineGroup, "GroupId"] },
    });
    built.template.resourceCountIs("AWS::ElastiCache::ReplicationGroup", 0);
    built.template.hasOutput("DbUrlSecret", { Value: "forestguard-mvp/db/url" });
  });

  it("CPU and memory alarms on the machine; the agent publishes memory, and may only write CWAgent metrics", () => {
    built.template.hasResourceProperties("AWS::CloudWatch::Alarm", { Namespace: "AWS/EC2", MetricName: "CPUUtilization", Threshold: 80, Period: 300 });
    built.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "CWAgent",
      MetricName: "mem_used_percent",
      Threshold: 90,
      EvaluationPeriods: 5,
    });
    built.template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: "cloudwatch:PutMetricData", Effect: "Allow", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "CWAgent" } } },
        ]),
      },
    });
    expect(userDataOf(built.json)).toContain("mem_used_percent");
    // Error rate and p95 from nginx's metrics log: 1-minute periods, p95 in seconds.
    built.template.hasResourceProperties("AWS::Logs::MetricFilter", { MetricTransformations: [{ MetricName: "ResponseTime", MetricValue: "$.request_time" }] });
    built.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ResponseTime",
      ExtendedStatistic: "p95",
      Threshold: 3,
      EvaluationPeriods: 5,
    });
    built.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmDescription: "error_rate > 5% for 2m (the edge)",
      Threshold: 5,
      EvaluationPeriods: 2,
    });
    expect(built.out.warnings.map((w) => w.part).filter((p) => p.startsWith("alarms."))).toEqual([]);
  });

  it("with no admin address in edge.open, SSH is open to any address, with a warning", () => {
    expect(ingress(built.json)).toEqual(expect.arrayContaining(["tcp/22 0.0.0.0/0"]));
    expect(built.out.warnings.find((w) => w.part === "edge.open")?.instead).toContain("add { port: 22, from: <your address>/32 }");
  });
});

describe("the machine's options", () => {
  it("Mangetamain: the dashboard's own port 8501 to anyone, SSH from the admin address, no agent", async () => {
    const built = build(await exampleStack("mangetamain", "production"));
    // The file writes `from: 0.0.0.0/0`: IPv4 only.
    expect(ingress(built.json)).toEqual(["tcp/22 198.51.100.7/32", "tcp/8501 0.0.0.0/0"]);
    expect(userDataOf(built.json)).not.toContain("amazon-cloudwatch-agent");
    built.template.resourceCountIs("AWS::IAM::Policy", 0);
  });

  it("two Graviton machines: arm64 image, one address each, numbered outputs", () => {
    const built = build(
      stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 } }
routes: [{ path: /, to: web }]
edge:
  open: [{ port: 22, from: 203.0.113.9, description: "admin's SSH (office) é" }]
environments:
  prod: { target: vm, region: eu-west-1, instance: t4g.small, instances: 2, disk: 30GB }
`),
    );
    built.template.resourceCountIs("AWS::EC2::Instance", 2);
    built.template.resourceCountIs("AWS::EC2::EIP", 2);
    built.template.hasParameter("ImageParameter", { Default: "/aws/service/debian/release/12/latest/arm64" });
    built.template.hasResourceProperties("AWS::EC2::Instance", { InstanceType: "t4g.small", BlockDeviceMappings: [{ Ebs: { VolumeSize: 30 } }] });
    built.template.hasOutput("Host1", {});
    built.template.hasOutput("Host2", {});
    // A bare address is that address alone; a description keeps only what a security group accepts.
    built.template.hasResourceProperties("AWS::EC2::SecurityGroup", {
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: "203.0.113.9/32", FromPort: 22, Description: "admin s SSH (office)  " })]),
    });
  });

  it("a log group name CloudWatch would refuse is an error, and nothing is written", () => {
    const out = awsTarget.generate(
      stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 } }
logs: { group: "/shop logs", destination: cloudwatch }
environments: { prod: { target: vm, instance: t3.small } }
`),
      { outDir: "out/aws" },
    );
    expect(out.files).toEqual([]);
    expect(out.errors).toEqual([
      { part: "logs.group", message: '"/shop logs" is not a CloudWatch log group name', instead: "use letters, digits and . - _ / #" },
    ]);
  });
});
