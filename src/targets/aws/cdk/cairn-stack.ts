/**
 * The CloudFormation stack of a Cairn plan. Cairn synthesizes it in-process to write the template,
 * and ships this same file in the generated CDK app, so `cdk deploy` builds exactly what Cairn wrote.
 */
import { CfnOutput, DefaultStackSynthesizer, aws_ecs as ecs, Stack, aws_secretsmanager as secretsmanager } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { buildAlarms } from "./alarms.js";
import type { Built } from "./built.js";
import { buildBucket, buildCache, buildDatabase, buildTable } from "./data.js";
import { buildLoadBalancer, buildWaf } from "./edge.js";
import { buildVpc } from "./network.js";
import type { Plan } from "./plan-types.js";
import { buildJob, buildScaling, buildService, connectCallers } from "./tasks.js";

/** A construct id from a name: `report-index` -> `ReportIndex`. */
const idOf = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .map((w) => (w[0] ?? "").toUpperCase() + w.slice(1))
    .join("");

export class CairnStack extends Stack {
  constructor(scope: Construct, plan: Plan) {
    super(scope, plan.stackName, {
      description: plan.description,
      env: { region: plan.region },
      analyticsReporting: false,
      // No bootstrap-version rule and no assets: the template is the same on every machine.
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    });
    const vpc = buildVpc(this, plan);
    const cluster = new ecs.Cluster(this, "Cluster", { vpc, clusterName: plan.stackName, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    if (plan.namespace) cluster.addDefaultCloudMapNamespace({ name: plan.namespace });
    const built: Built = {
      vpc,
      cluster,
      databases: new Map(),
      caches: new Map(),
      buckets: new Map(),
      tables: new Map(),
      secrets: new Map(plan.secrets.map((name) => [name, secretsmanager.Secret.fromSecretNameV2(this, `Secret${idOf(name)}`, name)])),
      services: new Map(),
      jobGroups: new Map(),
      targetGroups: new Map(),
      loadBalancer: null,
    };
    for (const db of plan.databases) built.databases.set(db.name, buildDatabase(this, plan, db, vpc));
    for (const cache of plan.caches) built.caches.set(cache.name, buildCache(this, plan, cache, vpc));
    for (const bucket of plan.buckets) built.buckets.set(bucket.name, buildBucket(this, bucket));
    for (const table of plan.tables) built.tables.set(table.name, buildTable(this, table));
    // The load balancer's DNS name may appear in variables (`${edge.url}`): build it before the tasks read it.
    const services = plan.services.map((spec) => ({ spec, service: buildService(this, plan, spec, built) }));
    const alb = plan.services.some((s) => s.public && s.port) ? buildLoadBalancer(this, plan, built) : null;
    for (const { spec, service } of services) buildScaling(spec, service, built);
    for (const job of plan.jobs) buildJob(this, plan, job, built);
    connectCallers(plan, built);
    if (alb && plan.waf) buildWaf(this, plan, plan.waf, alb);
    buildAlarms(this, plan, built);

    if (alb) new CfnOutput(this, "Url", { description: "public URL", value: plan.url ?? `http://${alb.loadBalancerDnsName}` });
    if (alb) new CfnOutput(this, "LoadBalancerDns", { description: "point the domain's DNS record (CNAME or alias) here", value: alb.loadBalancerDnsName });
    for (const [name, db] of built.databases) {
      new CfnOutput(this, `${idOf(name)}Endpoint`, { description: `${name}: database endpoint`, value: db.instance.dbInstanceEndpointAddress });
      db.replicas.forEach((replica, i) => {
        new CfnOutput(this, `${idOf(name)}Replica${i + 1}Endpoint`, {
          description: `${name}: read replica ${i + 1}`,
          value: replica.dbInstanceEndpointAddress,
        });
      });
    }
    for (const [name, cache] of built.caches)
      new CfnOutput(this, `${idOf(name)}Endpoint`, { description: `${name}: cache endpoint`, value: cache.group.attrPrimaryEndPointAddress });
    for (const [name, bucket] of built.buckets)
      new CfnOutput(this, `${idOf(name)}BucketName`, { description: `${name}: bucket name`, value: bucket.bucketName });
  }
}
