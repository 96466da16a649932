/** Each non-default option reaches the AWS plan and template; what AWS cannot express is a warning naming the part. */
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { fargateSize } from "../../model/fargate.js";
import { stackFrom } from "../../test-support/index.js";
import { awsTarget } from "./index.js";
import { planOf } from "./plan.js";
import { schedulerExpression } from "./plan-tasks.js";

const STACK = `
name: shop
domain: shop.example.com
secrets: { API_KEY: key of the payment provider, DB_PASS: password }
services:
  web:
    image: shop/web:2
    port: 3000
    health: { path: /ready, interval: 2s, timeout: 2s, healthy: 1, unhealthy: 4 }
    size: { cpu: 0.5, memory: 768Mi }
    scale: { min: 1, max: 4, requests: 600 }
    stop_timeout: 200s
    env: { PAY_KEY: "\${secret.API_KEY}", MIXED: "user:\${secret.DB_PASS}", REDIS: "\${cache.url}", API: "\${api.url}" }
    depends_on: [db, cache, api, events]
  api:
    build: ./api
    port: 4000
    base_path: /v1
    health: /health
    replicas: 2
    depends_on: [db]
jobs:
  nightly:
    image: shop/jobs:2
    run: node nightly.mjs
    args: ["\${run.date}", "two words"]
    schedule: "30 1 * * 1-5"
    timezone: Europe/Paris
    persistent: true
    timeout: 45m
    retries: 4
    concurrency: forbid
    depends_on: [db]
resources:
  db: { type: postgres, version: 16, storage: 30GB, backups: { retention: 14d, schedule: daily at 03:00 }, maintenance: sun 04:00 }
  cache: { type: redis, version: 7, memory: 1GB, backups: { retention: 3d, schedule: "every 6h" }, maintenance: sat 23:30 }
  events:
    type: table
    key: { hash: id, range: at }
    ttl: expires
    attributes: { at: number, score: number }
    indexes:
      by-score: { hash: kind, range: score, projection: keys }
      recent: { local: true, range: seen, projection: [title] }
routes:
  - { path: /, to: web }
  - { host: "api.{domain}", to: api }
  - { path: /v1, to: api, strip: true }
edge: { tls: { certificate: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" }, rate_limit: 1000/h, waf: [sqli] }
alarms: [ "p99 > 1500ms for 3m", "db_cpu >= 90% for 10m", "cache_hit_rate < 80% for 15m", "healthy_hosts < 1 for 1m" ]
logs: { retention: 10d }
environments:
  cloud: { target: aws, region: eu-west-1, nat: false }
`;

const stack = stackFrom(STACK, "cloud");
const { plan, warnings } = planOf(stack);
const out = awsTarget.generate(stack, { outDir: "out/aws" });
const template = Template.fromJSON(JSON.parse(out.files.find((f) => f.path === "cloudformation/shop-cloud.template.json")?.content ?? "{}"));
const warned = (part: string) => warnings.find((w) => w.part === part);

describe("aws options", () => {
  it("a service is told its PORT, HOST and BASE_PATH, as locally", () => {
    const tasks = Object.fromEntries(plan.services.map((t) => [t.name, t]));
    expect(tasks.api?.environment.BASE_PATH).toEqual({ kind: "text", parts: ["/v1"] });
    expect(tasks.api?.environment.PORT).toEqual({ kind: "text", parts: ["4000"] });
    expect(tasks.web?.environment.HOST).toEqual({ kind: "text", parts: ["0.0.0.0"] });
    expect(tasks.web?.environment.BASE_PATH).toBeUndefined();
  });
  it("a table's key types and secondary indexes reach the DynamoDB table", () => {
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      AttributeDefinitions: [
        { AttributeName: "id", AttributeType: "S" },
        { AttributeName: "at", AttributeType: "N" },
        { AttributeName: "kind", AttributeType: "S" },
        { AttributeName: "score", AttributeType: "N" },
        { AttributeName: "seen", AttributeType: "S" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "by-score",
          KeySchema: [
            { AttributeName: "kind", KeyType: "HASH" },
            { AttributeName: "score", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "KEYS_ONLY" },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: "recent",
          KeySchema: [
            { AttributeName: "id", KeyType: "HASH" },
            { AttributeName: "seen", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["title"] },
        },
      ],
    });
  });

  it("no NAT: no NAT gateway, tasks in public subnets with a public IP", () => {
    template.resourceCountIs("AWS::EC2::NatGateway", 0);
    template.hasResourceProperties("AWS::ECS::Service", { NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: "ENABLED" } } });
  });

  it("a certificate ARN is used as is", () => {
    template.resourceCountIs("AWS::CertificateManager::Certificate", 0);
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      Port: 443,
      Certificates: [{ CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" }],
    });
  });

  it("host and path routes become listener rules in priority order; strip is a warning", () => {
    expect(plan.routes).toEqual([
      { service: "api", host: "api.shop.example.com", paths: [], priority: 10 },
      { service: "api", host: null, paths: ["/v1", "/v1/*"], priority: 20 },
      { service: "web", host: null, paths: [], priority: 30 },
    ]);
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", {
      Priority: 10,
      Conditions: [{ Field: "host-header", HostHeaderConfig: { Values: ["api.shop.example.com"] } }],
    });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", {
      Priority: 20,
      Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: ["/v1", "/v1/*"] } }],
    });
    expect(warned("routes./v1.strip")?.message).toMatch(/cannot rewrite paths/);
  });

  it("health check values outside the ALB's range are clamped, with a warning", () => {
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", {
      Port: 3000,
      HealthCheckPath: "/ready",
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 2,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 4,
    });
    expect(warned("services.web.health")?.instead).toBe("every 5 s, timeout 2 s, healthy after 2, unhealthy after 4");
  });

  it("size is rounded up to a Fargate size, with a warning; stop timeout is capped at 120 s", () => {
    expect(plan.services.find((s) => s.name === "web")).toMatchObject({ cpu: 512, memoryMiB: 1024, stopTimeoutSeconds: 120 });
    expect(warned("services.web.size")?.instead).toBe("rounded up to 0.5 vCPU and 1024 MiB");
    expect(warned("services.web.stop_timeout")).toBeDefined();
  });

  it("scaling on requests tracks ALB requests per target; a fixed count has no scaling", () => {
    template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", {
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: "ALBRequestCountPerTarget" }),
        TargetValue: 600,
      },
    });
    template.resourceCountIs("AWS::ApplicationAutoScaling::ScalableTarget", 1);
    template.hasResourceProperties("AWS::ECS::Service", { ServiceName: "api", DesiredCount: 2 });
  });

  it("an image built from source gets an ECR repository and a warning", () => {
    template.hasResourceProperties("AWS::ECR::Repository", { RepositoryName: "shop/api" });
    expect(warned("services.api.image")?.instead).toMatch(/ECR repository shop\/api/);
  });

  it("secrets are read by name; a value mixing text and a secret becomes its own secret, with a warning", () => {
    expect(plan.secrets).toEqual(["shop/cloud/API_KEY", "shop/cloud/MIXED"]);
    const web = plan.services.find((s) => s.name === "web");
    expect(web?.environment.PAY_KEY).toEqual({ kind: "secret", name: "shop/cloud/API_KEY" });
    expect(web?.environment.API).toEqual({ kind: "text", parts: ["http://api.shop.internal:4000"] });
    expect(warned("services.web.env.MIXED")?.instead).toMatch(/shop\/cloud\/MIXED/);
    expect(plan.namespace).toBe("shop.internal");
  });

  it("the job runs from EventBridge Scheduler in its time zone, weekdays, with launch retries", () => {
    template.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: "cron(30 1 ? * MON-FRI *)",
      ScheduleExpressionTimezone: "Europe/Paris",
      Target: Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 86400 } }),
    });
    expect(plan.jobs[0]?.command).toEqual([`exec node nightly.mjs "$(TZ=Europe/Paris date +%Y-%m-%d)" 'two words'`]);
    for (const part of ["jobs.nightly.timeout", "jobs.nightly.concurrency", "jobs.nightly.retries"]) expect(warned(part), part).toBeDefined();
  });

  it("database, cache, table and log settings reach the template", () => {
    template.hasResourceProperties("AWS::RDS::DBInstance", {
      EngineVersion: "16",
      AllocatedStorage: "30",
      BackupRetentionPeriod: 14,
      PreferredBackupWindow: "03:00-04:00",
      // RDS's shortest window is 30 minutes.
      PreferredMaintenanceWindow: "sun:04:00-sun:04:30",
      MultiAZ: false,
      DBInstanceClass: "db.t3.micro",
    });
    template.resourceCountIs("AWS::RDS::DBParameterGroup", 0);
    template.hasResourceProperties("AWS::ElastiCache::ReplicationGroup", {
      CacheNodeType: "cache.t3.small",
      NumCacheClusters: 1,
      AutomaticFailoverEnabled: false,
      SnapshotRetentionLimit: 3,
      // ElastiCache's shortest window is an hour, past midnight into Sunday.
      PreferredMaintenanceWindow: "sat:23:30-sun:00:30",
    });
    // Backups every 6 hours cannot be a daily snapshot window: ElastiCache chooses one, and says so.
    template.hasResourceProperties("AWS::ElastiCache::ReplicationGroup", { SnapshotWindow: Match.absent() });
    expect(warned("resources.cache.backups.schedule")?.message).toBe(
      'ElastiCache takes one automated backup a day, in a window: "every 6h" is not a daily time',
    );
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      TableName: "shop-cloud-events",
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [
        { AttributeName: "id", KeyType: "HASH" },
        { AttributeName: "at", KeyType: "RANGE" },
      ],
      TimeToLiveSpecification: { AttributeName: "expires", Enabled: true },
    });
    template.hasResourceProperties("AWS::Logs::LogGroup", { LogGroupName: "/shop/web", RetentionInDays: 14 });
  });

  it("a maintenance window that overlaps the backup window is refused before synthesis", () => {
    const clash = STACK.replace("maintenance: sun 04:00 }", "maintenance: sun 03:30 }");
    const refused = awsTarget.generate(stackFrom(clash, "cloud"), { outDir: "out/aws" });
    expect(refused.files).toEqual([]);
    expect(refused.errors).toEqual([
      expect.objectContaining({
        part: "resources.db.maintenance",
        message: "the maintenance window sun:03:30-sun:04:00 overlaps the backup window 03:00-04:00, which RDS refuses",
      }),
    ]);
  });

  it("the rate limit is converted to a WAF window, with a warning; only the asked rule groups", () => {
    expect(plan.waf).toEqual({ sqli: true, xss: false, geoBlock: [], rateLimit: { limit: 83, windowSeconds: 300 } });
    expect(warned("edge.rate_limit")?.instead).toBe("83 requests per 300 s per client address");
  });

  it("alarms on latency percentiles (seconds), the database, the cache and healthy hosts", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", { ExtendedStatistic: "p99", Threshold: 1.5, EvaluationPeriods: 3 });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/RDS",
      MetricName: "CPUUtilization",
      Threshold: 90,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      EvaluationPeriods: 10,
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/ElastiCache",
      MetricName: "CacheHitRate",
      ComparisonOperator: "LessThanThreshold",
      Threshold: 80,
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", { MetricName: "HealthyHostCount", Threshold: 1 });
  });

  it("callers reach a service only on its port", () => {
    const groups = template.findResources("AWS::EC2::SecurityGroup");
    const id = (prefix: string) => Object.keys(groups).find((k) => groups[k]?.Properties.GroupDescription.startsWith(prefix)) as string;
    template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", {
      FromPort: 4000,
      GroupId: { "Fn::GetAtt": [id("api:"), "GroupId"] },
      SourceSecurityGroupId: { "Fn::GetAtt": [id("web:"), "GroupId"] },
    });
  });
});

describe("aws plan helpers", () => {
  it("maps sizes to valid Fargate pairs", () => {
    expect(fargateSize(1, 2 * 1024 ** 3)).toEqual({ cpu: 1024, memoryMiB: 2048, roundedUp: false });
    expect(fargateSize(0.25, 512 * 1024 ** 2)).toEqual({ cpu: 256, memoryMiB: 512, roundedUp: false });
    expect(fargateSize(0.25, 3 * 1024 ** 3)).toEqual({ cpu: 512, memoryMiB: 3072, roundedUp: true });
    expect(fargateSize(2, 4 * 1024 ** 3)).toEqual({ cpu: 2048, memoryMiB: 4096, roundedUp: false });
    expect(fargateSize(3, 1024 ** 3)).toEqual({ cpu: 4096, memoryMiB: 8192, roundedUp: true });
  });

  it("converts cron to EventBridge Scheduler's six fields", () => {
    expect(schedulerExpression("0 2 * * *")).toEqual({ expression: "cron(0 2 * * ? *)", both: false });
    expect(schedulerExpression("0 3 * * 0,6")).toEqual({ expression: "cron(0 3 ? * SUN,SAT *)", both: false });
    expect(schedulerExpression("0 4 1 * 1")).toEqual({ expression: "cron(0 4 1 * ? *)", both: true });
  });
});
