/** ForestGuard production on AWS: the acceptance values, checked on the synthesized template with aws-cdk-lib/assertions. */
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleStack } from "../../test-support/index.js";
import type { TargetOutput } from "../types.js";
import { awsTarget } from "./index.js";

let out: TargetOutput;
let template: Template;
const ref = (id: string) => ({ "Fn::GetAtt": [id, "GroupId"] });
const logicalId = (type: string, props: Record<string, unknown> = {}) => {
  const found = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  expect(found, `${type} ${JSON.stringify(props)}`).toHaveLength(1);
  return found[0] as string;
};

beforeAll(async () => {
  out = awsTarget.generate(await exampleStack("forestguard", "production"), { outDir: "out/aws" });
  const file = out.files.find((f) => f.path === "cloudformation/forestguard-production.template.json");
  template = Template.fromJSON(JSON.parse(file?.content ?? "{}"));
});

describe("ForestGuard production on AWS", () => {
  it("writes the CDK app, its plan and the template", () => {
    expect(out.errors).toEqual([]);
    const paths = out.files.map((f) => f.path);
    for (const p of ["bin/app.ts", "lib/cairn-stack.ts", "cairn-plan.json", "package.json", "cdk.json", "tsconfig.json", "README.md"])
      expect(paths).toContain(p);
  });

  it("runs the dashboard on Fargate: 1 vCPU / 2 GB, 3 tasks, behind an ALB with the file's health check and a 1 h sticky cookie", () => {
    template.hasResourceProperties("AWS::ECS::TaskDefinition", { Cpu: "1024", Memory: "2048", RequiresCompatibilities: ["FARGATE"] });
    template.hasResourceProperties("AWS::ECS::Service", { DesiredCount: 3, LaunchType: "FARGATE", HealthCheckGracePeriodSeconds: 60 });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", {
      Port: 8501,
      HealthCheckPath: "/healthz",
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      TargetGroupAttributes: Match.arrayWith([
        { Key: "stickiness.enabled", Value: "true" },
        { Key: "stickiness.type", Value: "lb_cookie" },
        { Key: "stickiness.lb_cookie.duration_seconds", Value: "3600" },
      ]),
    });
  });

  it("serves HTTPS on 443 with a DNS-validated certificate and redirects HTTP to HTTPS", () => {
    template.hasResourceProperties("AWS::CertificateManager::Certificate", { DomainName: "forestguard.example.org", ValidationMethod: "DNS" });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      Port: 443,
      Protocol: "HTTPS",
      DefaultActions: [{ Type: "forward", TargetGroupArn: { Ref: logicalId("AWS::ElasticLoadBalancingV2::TargetGroup") } }],
    });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      Port: 80,
      DefaultActions: [{ Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } }],
    });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", { Scheme: "internet-facing" });
  });

  it("scales 2..10 on cpu 70% and memory 80%, out after 60 s, in after 300 s", () => {
    template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", { MinCapacity: 2, MaxCapacity: 10 });
    for (const [type, target] of [
      ["ECSServiceAverageCPUUtilization", 70],
      ["ECSServiceAverageMemoryUtilization", 80],
    ] as const)
      template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", {
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: type },
          TargetValue: target,
          ScaleOutCooldown: 60,
          ScaleInCooldown: 300,
        },
      });
  });

  it("keeps Postgres 15 + PostGIS Multi-AZ with one read replica, 100 GB gp3, 7 days of backups, encrypted", () => {
    template.hasResourceProperties("AWS::RDS::DBInstance", {
      Engine: "postgres",
      EngineVersion: "15",
      DBInstanceClass: "db.t3.medium",
      AllocatedStorage: "100",
      StorageType: "gp3",
      MultiAZ: true,
      BackupRetentionPeriod: 7,
      StorageEncrypted: true,
    });
    expect(Object.keys(template.findResources("AWS::RDS::DBInstance", { Properties: { SourceDBInstanceIdentifier: Match.anyValue() } }))).toHaveLength(1);
    template.hasResourceProperties("AWS::RDS::DBParameterGroup", { Family: "postgres15", Parameters: { "rds.allowed_extensions": "postgis" } });
  });

  it("keeps Redis 7 on cache.t3.medium, primary and replica, allkeys-lru", () => {
    template.hasResourceProperties("AWS::ElastiCache::ReplicationGroup", {
      CacheNodeType: "cache.t3.medium",
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      EngineVersion: "7.1",
    });
    template.hasResourceProperties("AWS::ElastiCache::ParameterGroup", {
      CacheParameterGroupFamily: "redis7",
      Properties: { "maxmemory-policy": "allkeys-lru" },
    });
  });

  it("creates the buckets: geojson versioned to IA at 30 d and Glacier at 90 d, backups deleted at 30 d, only assets public", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      BucketName: "forestguard-production-geojson",
      VersioningConfiguration: { Status: "Enabled" },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            Transitions: [
              { StorageClass: "STANDARD_IA", TransitionInDays: 30 },
              { StorageClass: "GLACIER", TransitionInDays: 90 },
            ],
          }),
        ],
      },
    });
    template.hasResourceProperties("AWS::S3::Bucket", {
      BucketName: "forestguard-production-backups",
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30 })] },
    });
    const publicPolicies = template.findResources("AWS::S3::BucketPolicy", {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { AWS: "*" }, Action: "s3:GetObject", Effect: "Allow" })]) } },
    });
    expect(Object.values(publicPolicies).map((p) => p.Properties.Bucket.Ref)).toEqual([
      logicalId("AWS::S3::Bucket", { BucketName: "forestguard-production-assets" }),
    ]);
  });

  it("raises the four alarms with the file's thresholds and durations", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "CPUUtilization",
      Namespace: "AWS/ECS",
      Threshold: 80,
      EvaluationPeriods: 5,
      Period: 60,
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", { MetricName: "MemoryUtilization", Threshold: 90, EvaluationPeriods: 5 });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Threshold: 5,
      EvaluationPeriods: 2,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: "IF(requests > 0, 100 * errors / requests, 0)" })]),
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "TargetResponseTime",
      ExtendedStatistic: "p95",
      Threshold: 3,
      EvaluationPeriods: 5,
    });
    template.resourceCountIs("AWS::CloudWatch::Alarm", 4);
  });

  it("protects the ALB with a WAF: geo block, SQL injection and XSS rule groups, 100 requests per 60 s per address", () => {
    template.hasResourceProperties("AWS::WAFv2::WebACL", {
      Scope: "REGIONAL",
      Rules: [
        Match.objectLike({ Name: "GeoBlock", Statement: { GeoMatchStatement: { CountryCodes: ["KP"] } }, Action: { Block: {} } }),
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: "AWSManagedRulesSQLiRuleSet" } } }),
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: "AWSManagedRulesCommonRuleSet" } } }),
        Match.objectLike({ Name: "RateLimit", Statement: { RateBasedStatement: { Limit: 100, AggregateKeyType: "IP", EvaluationWindowSec: 60 } } }),
      ],
    });
    template.hasResourceProperties("AWS::WAFv2::WebACLAssociation", { ResourceArn: { Ref: logicalId("AWS::ElasticLoadBalancingV2::LoadBalancer") } });
  });

  it("chains security groups exactly: internet -> ALB 80/443 -> app 8501 -> database 5432 and cache 6379", () => {
    const alb = logicalId("AWS::EC2::SecurityGroup", { GroupDescription: Match.stringLikeRegexp("^load balancer") });
    const app = logicalId("AWS::EC2::SecurityGroup", { GroupDescription: Match.stringLikeRegexp("^dashboard") });
    const db = logicalId("AWS::EC2::SecurityGroup", { GroupDescription: Match.stringLikeRegexp("^db:") });
    const cache = logicalId("AWS::EC2::SecurityGroup", { GroupDescription: Match.stringLikeRegexp("^cache:") });
    const groups = template.findResources("AWS::EC2::SecurityGroup");
    expect(groups[alb]?.Properties.SecurityGroupIngress.map((r: { CidrIp: string; FromPort: number }) => `${r.CidrIp}:${r.FromPort}`).sort()).toEqual([
      "0.0.0.0/0:443",
      "0.0.0.0/0:80",
    ]);
    for (const id of [app, db, cache]) expect(groups[id]?.Properties.SecurityGroupIngress, id).toBeUndefined();
    // Every rule between groups, as "from -> to:port".
    const edges = Object.values(template.findResources("AWS::EC2::SecurityGroupIngress")).map(
      (r) =>
        `${r.Properties.SourceSecurityGroupId["Fn::GetAtt"][0]} -> ${r.Properties.GroupId["Fn::GetAtt"][0]}:${r.Properties.FromPort}-${r.Properties.ToPort}`,
    );
    expect(edges.sort()).toEqual([`${alb} -> ${app}:8501-8501`, `${app} -> ${cache}:6379-6379`, `${app} -> ${db}:5432-5432`].sort());
    template.hasResourceProperties("AWS::EC2::SecurityGroupEgress", { GroupId: ref(alb), DestinationSecurityGroupId: ref(app), FromPort: 8501, ToPort: 8501 });
    for (const id of [alb, db, cache]) expect(JSON.stringify(groups[id]?.Properties.SecurityGroupEgress ?? [])).not.toContain("0.0.0.0/0");
  });

  it("outputs the public URL, the database endpoint and the bucket names", () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.Url.Value).toBe("https://forestguard.example.org");
    expect(outputs.DbEndpoint.Value).toEqual({ "Fn::GetAtt": [logicalId("AWS::RDS::DBInstance", { MultiAZ: true }), "Endpoint.Address"] });
    expect(
      Object.keys(outputs)
        .filter((k) => k.endsWith("BucketName"))
        .sort(),
    ).toEqual(["AssetsBucketName", "BackupsBucketName", "GeojsonBucketName"]);
  });

  it("gives the dashboard its URLs from secrets and variables, never a password", () => {
    const container = template.findResources("AWS::ECS::TaskDefinition");
    const definition = Object.values(container)[0]?.Properties.ContainerDefinitions[0];
    const secrets = definition.Secrets.map((s: { Name: string }) => s.Name).sort();
    expect(secrets).toEqual(["DATABASE_URL", "DB_URL"]);
    const env = Object.fromEntries(definition.Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
    expect(env.GEOJSON_BUCKET).toBe("forestguard-production-geojson");
    expect(JSON.stringify(env.REDIS_URL)).toContain("PrimaryEndPoint.Address");
    expect(JSON.stringify(template.toJSON())).not.toMatch(/MasterUserPassword":"[^{]/);
  });

  it("needs no asset (no Lambda code, no image built by the CDK), so the template is stable", () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/cdk-assets|AssetParameters|"Code":/);
  });
});
