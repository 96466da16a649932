/** Fargate tasks: a service per stack service (with autoscaling), and scheduled tasks for jobs (EventBridge Scheduler). */
import {
  Duration,
  aws_ec2 as ec2,
  aws_ecr as ecr,
  aws_ecs as ecs,
  Fn,
  aws_iam as iam,
  aws_logs as logs,
  RemovalPolicy,
  aws_scheduler as scheduler,
} from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { Built } from "./built.js";
import { securityGroup, taskSubnets } from "./network.js";
import type { Plan, PlanJob, PlanRef, PlanService, PlanTask, PlanValue } from "./plan-types.js";

/** The token for a reference to something built earlier. */
function resolveRef(built: Built, ref: PlanRef): string {
  const db = built.databases.get(ref.ref);
  if (db) return ref.attr === "port" ? db.instance.dbInstanceEndpointPort : db.instance.dbInstanceEndpointAddress;
  const cache = built.caches.get(ref.ref);
  if (cache) return ref.attr === "port" ? cache.group.attrPrimaryEndPointPort : cache.group.attrPrimaryEndPointAddress;
  if (ref.ref === "edge" && built.loadBalancer) return built.loadBalancer.loadBalancerDnsName;
  return "";
}

function secretOf(built: Built, value: Exclude<PlanValue, { kind: "text" }>): ecs.Secret {
  if (value.kind === "database-secret") {
    const db = built.databases.get(value.database);
    if (!db) throw new Error(`no database ${value.database}`);
    return value.field === "url" ? ecs.Secret.fromSecretsManager(db.url) : ecs.Secret.fromSecretsManager(db.credentials, "password");
  }
  const secret = built.secrets.get(value.name);
  if (!secret) throw new Error(`secret ${value.name} was not declared in the plan`);
  return ecs.Secret.fromSecretsManager(secret);
}

function image(scope: Construct, task: PlanTask): ecs.ContainerImage {
  if (task.image.kind === "registry") return ecs.ContainerImage.fromRegistry(task.image.name);
  const repository = new ecr.Repository(scope, `${task.id}Repository`, { repositoryName: task.image.repository, removalPolicy: RemovalPolicy.RETAIN });
  return ecs.ContainerImage.fromEcrRepository(repository, task.image.tag);
}

/** A task definition with its one container, log group, variables, secrets and grants. */
export function buildTaskDefinition(scope: Construct, plan: Plan, task: PlanTask, built: Built, port: number | null, stopTimeoutSeconds: number | null) {
  const taskDefinition = new ecs.FargateTaskDefinition(scope, `${task.id}Task`, {
    family: `${plan.stackName}-${task.name}`,
    cpu: task.cpu,
    memoryLimitMiB: task.memoryMiB,
  });
  const logGroup = new logs.LogGroup(scope, `${task.id}Logs`, {
    logGroupName: task.logGroup,
    retention: plan.logRetentionDays as logs.RetentionDays,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const environment: Record<string, string> = {};
  const secrets: Record<string, ecs.Secret> = {};
  for (const [name, value] of Object.entries(task.environment)) {
    if (value.kind !== "text") secrets[name] = secretOf(built, value);
    else if (value.parts.every((p) => typeof p === "string")) environment[name] = value.parts.join("");
    else
      environment[name] = Fn.join(
        "",
        value.parts.map((p) => (typeof p === "string" ? p : resolveRef(built, p))),
      );
  }
  taskDefinition.addContainer(task.id, {
    containerName: task.name,
    image: image(scope, task),
    ...(task.entryPoint ? { entryPoint: [...task.entryPoint] } : {}),
    ...(task.command ? { command: [...task.command] } : {}),
    environment,
    secrets,
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: task.name }),
    ...(port ? { portMappings: [{ containerPort: port, name: "http" }] } : {}),
    ...(stopTimeoutSeconds ? { stopTimeout: Duration.seconds(stopTimeoutSeconds) } : {}),
  });
  for (const name of task.grants) {
    built.buckets.get(name)?.grantReadWrite(taskDefinition.taskRole);
    built.tables.get(name)?.grantReadWriteData(taskDefinition.taskRole);
  }
  return taskDefinition;
}

/** Opens each data store the task uses to the task's security group, on the store's port only. */
function connectToData(built: Built, task: PlanTask, sg: ec2.SecurityGroup): void {
  for (const name of task.uses) {
    const db = built.databases.get(name);
    if (db) db.securityGroup.addIngressRule(sg, ec2.Port.tcp(5432), `${task.name} to ${name}`);
    const cache = built.caches.get(name);
    if (cache) cache.securityGroup.addIngressRule(sg, ec2.Port.tcp(6379), `${task.name} to ${name}`);
  }
}

export function buildService(scope: Construct, plan: Plan, spec: PlanService, built: Built): ecs.FargateService {
  const taskDefinition = buildTaskDefinition(scope, plan, spec, built, spec.port, spec.stopTimeoutSeconds);
  const sg = securityGroup(scope, `${spec.id}SecurityGroup`, built.vpc, `${spec.name}: reached from the load balancer and its callers only`, true);
  const service = new ecs.FargateService(scope, spec.id, {
    serviceName: spec.name,
    cluster: built.cluster,
    taskDefinition,
    desiredCount: spec.desiredCount,
    securityGroups: [sg],
    vpcSubnets: taskSubnets(plan),
    assignPublicIp: !plan.nat,
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    circuitBreaker: { rollback: true },
    ...(spec.public && spec.healthCheck ? { healthCheckGracePeriod: Duration.seconds(spec.graceSeconds) } : {}),
    ...(spec.discoverable && spec.port ? { cloudMapOptions: { name: spec.name, containerPort: spec.port } } : {}),
  });
  connectToData(built, spec, sg);
  built.services.set(spec.name, { service, securityGroup: sg });
  return service;
}

/** Target tracking on CPU, memory and (once the target group exists) requests. */
export function buildScaling(spec: PlanService, service: ecs.FargateService, built: Built): void {
  const scaling = spec.scaling;
  if (!scaling) return;
  const cooldowns = { scaleOutCooldown: Duration.seconds(scaling.scaleOutCooldownSeconds), scaleInCooldown: Duration.seconds(scaling.scaleInCooldownSeconds) };
  const target = service.autoScaleTaskCount({ minCapacity: scaling.min, maxCapacity: scaling.max });
  if (scaling.cpu !== null) target.scaleOnCpuUtilization("CpuScaling", { targetUtilizationPercent: scaling.cpu, ...cooldowns });
  if (scaling.memory !== null) target.scaleOnMemoryUtilization("MemoryScaling", { targetUtilizationPercent: scaling.memory, ...cooldowns });
  const group = built.targetGroups.get(spec.name);
  if (scaling.requestsPerTarget !== null && group)
    target.scaleOnRequestCount("RequestScaling", { requestsPerTarget: scaling.requestsPerTarget, targetGroup: group, ...cooldowns });
}

/** Service-to-service rules: a caller reaches a service on its port only. */
export function connectCallers(plan: Plan, built: Built): void {
  for (const task of [...plan.services, ...plan.jobs]) {
    const from = built.services.get(task.name)?.securityGroup ?? built.jobGroups.get(task.name);
    for (const callee of task.calls) {
      const target = built.services.get(callee);
      const port = plan.services.find((s) => s.name === callee)?.port;
      if (from && target && port) target.securityGroup.addIngressRule(from, ec2.Port.tcp(port), `${task.name} to ${callee}`);
    }
  }
}

/** A job: its task, and an EventBridge Scheduler schedule (with its time zone) that runs it on the cluster. */
export function buildJob(scope: Construct, plan: Plan, spec: PlanJob, built: Built): void {
  const taskDefinition = buildTaskDefinition(scope, plan, spec, built, null, null);
  const sg = securityGroup(scope, `${spec.id}SecurityGroup`, built.vpc, `${spec.name}: scheduled task, no inbound traffic`, true);
  built.jobGroups.set(spec.name, sg);
  connectToData(built, spec, sg);
  if (!spec.schedule) return;
  const role = new iam.Role(scope, `${spec.id}SchedulerRole`, { assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com") });
  taskDefinition.grantRun(role);
  new scheduler.CfnSchedule(scope, `${spec.id}Schedule`, {
    name: `${plan.stackName}-${spec.name}`,
    scheduleExpression: spec.schedule,
    scheduleExpressionTimezone: spec.timezone,
    flexibleTimeWindow: { mode: "OFF" },
    target: {
      arn: built.cluster.clusterArn,
      roleArn: role.roleArn,
      ecsParameters: {
        taskDefinitionArn: taskDefinition.taskDefinitionArn,
        launchType: "FARGATE",
        taskCount: 1,
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: built.vpc.selectSubnets(taskSubnets(plan)).subnetIds,
            securityGroups: [sg.securityGroupId],
            assignPublicIp: plan.nat ? "DISABLED" : "ENABLED",
          },
        },
      },
      retryPolicy: { maximumRetryAttempts: spec.retries, maximumEventAgeInSeconds: spec.maxEventAgeSeconds },
    },
  });
}
