/** What the app has built so far, so later parts can refer to earlier ones by the stack file's names. */
import type {
  aws_dynamodb as dynamodb,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  aws_elasticloadbalancingv2 as elbv2,
  aws_s3 as s3,
  aws_secretsmanager as secretsmanager,
} from "aws-cdk-lib";
import type { BuiltCache, BuiltDatabase } from "./data.js";

export interface Built {
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly databases: Map<string, BuiltDatabase>;
  readonly caches: Map<string, BuiltCache>;
  readonly buckets: Map<string, s3.Bucket>;
  readonly tables: Map<string, dynamodb.Table>;
  /** User secrets, by full name. */
  readonly secrets: Map<string, secretsmanager.ISecret>;
  readonly services: Map<string, { service: ecs.FargateService; securityGroup: ec2.SecurityGroup }>;
  readonly jobGroups: Map<string, ec2.SecurityGroup>;
  readonly targetGroups: Map<string, elbv2.ApplicationTargetGroup>;
  loadBalancer: elbv2.ApplicationLoadBalancer | null;
}
