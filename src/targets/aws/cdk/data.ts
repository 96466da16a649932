/** Data stores: RDS Postgres (with replicas and a URL secret), ElastiCache Redis, S3 buckets and DynamoDB tables. */
import {
  Duration,
  aws_dynamodb as dynamodb,
  aws_ec2 as ec2,
  aws_elasticache as elasticache,
  Fn,
  aws_iam as iam,
  RemovalPolicy,
  aws_rds as rds,
  SecretValue,
  aws_s3 as s3,
  aws_secretsmanager as secretsmanager,
} from "aws-cdk-lib";
import type { Construct } from "constructs";
import { PRIVATE, securityGroup } from "./network.js";
import type { Plan, PlanBucket, PlanCache, PlanDatabase, PlanTable, PlanTableIndex } from "./plan-types.js";

export interface BuiltDatabase {
  readonly instance: rds.DatabaseInstance;
  readonly replicas: readonly rds.DatabaseInstanceReadReplica[];
  readonly credentials: secretsmanager.ISecret;
  /** `postgres://postgres:<password>@host:port/database`, assembled by CloudFormation. */
  readonly url: secretsmanager.Secret;
  readonly securityGroup: ec2.SecurityGroup;
}

// Alphanumeric passwords only, so the URL needs no escaping.
const EXCLUDE = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

export function buildDatabase(scope: Construct, plan: Plan, db: PlanDatabase, vpc: ec2.IVpc): BuiltDatabase {
  const sg = securityGroup(scope, `${db.id}SecurityGroup`, vpc, `${db.name}: reached only by the processes that use it`, false);
  const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.of(db.version, db.version.split(".")[0] ?? db.version) });
  const parameterGroup = Object.keys(db.parameters).length
    ? new rds.ParameterGroup(scope, `${db.id}Parameters`, { engine, description: `${db.name}: extensions`, parameters: { ...db.parameters } })
    : undefined;
  const instanceType = new ec2.InstanceType(db.instanceType.replace(/^db\./, ""));
  const instance = new rds.DatabaseInstance(scope, db.id, {
    engine,
    instanceType,
    vpc,
    vpcSubnets: { subnetGroupName: PRIVATE },
    securityGroups: [sg],
    allocatedStorage: db.storageGb,
    storageType: rds.StorageType.GP3,
    multiAz: db.multiAz,
    backupRetention: Duration.days(db.backupRetentionDays),
    ...(db.backupWindow ? { preferredBackupWindow: db.backupWindow } : {}),
    ...(db.maintenanceWindow ? { preferredMaintenanceWindow: db.maintenanceWindow } : {}),
    storageEncrypted: db.encrypted,
    databaseName: db.databaseName,
    credentials: rds.Credentials.fromGeneratedSecret("postgres", { secretName: `${plan.stackName}/${db.name}/credentials`, excludeCharacters: EXCLUDE }),
    parameterGroup,
    publiclyAccessible: false,
    removalPolicy: RemovalPolicy.SNAPSHOT,
  });
  const replicas = Array.from(
    { length: db.readReplicas },
    (_, i) =>
      new rds.DatabaseInstanceReadReplica(scope, `${db.id}Replica${i + 1}`, {
        sourceDatabaseInstance: instance,
        instanceType,
        vpc,
        vpcSubnets: { subnetGroupName: PRIVATE },
        securityGroups: [sg],
        storageType: rds.StorageType.GP3,
        // A replica inherits the source's encryption; CloudFormation rejects the property here.
        publiclyAccessible: false,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
  );
  const credentials = instance.secret as secretsmanager.ISecret;
  const url = new secretsmanager.Secret(scope, `${db.id}Url`, {
    secretName: `${plan.stackName}/${db.name}/url`,
    description: `${db.name}: connection URL for the processes (DB_URL)`,
    secretStringValue: SecretValue.unsafePlainText(
      Fn.join("", [
        "postgres://postgres:",
        credentials.secretValueFromJson("password").unsafeUnwrap(),
        "@",
        instance.dbInstanceEndpointAddress,
        ":",
        instance.dbInstanceEndpointPort,
        `/${db.databaseName}`,
      ]),
    ),
  });
  return { instance, replicas, credentials, url, securityGroup: sg };
}

export interface BuiltCache {
  readonly group: elasticache.CfnReplicationGroup;
  readonly securityGroup: ec2.SecurityGroup;
}

export function buildCache(scope: Construct, plan: Plan, cache: PlanCache, vpc: ec2.IVpc): BuiltCache {
  const sg = securityGroup(scope, `${cache.id}SecurityGroup`, vpc, `${cache.name}: reached only by the processes that use it`, false);
  const subnets = new elasticache.CfnSubnetGroup(scope, `${cache.id}Subnets`, {
    description: `${cache.name}: private subnets`,
    cacheSubnetGroupName: `${plan.stackName}-${cache.name}`.toLowerCase(),
    subnetIds: vpc.selectSubnets({ subnetGroupName: PRIVATE }).subnetIds,
  });
  const parameters = new elasticache.CfnParameterGroup(scope, `${cache.id}Parameters`, {
    cacheParameterGroupFamily: cache.parameterFamily,
    description: `${cache.name}: eviction policy`,
    properties: { "maxmemory-policy": cache.evictionPolicy },
  });
  const group = new elasticache.CfnReplicationGroup(scope, cache.id, {
    replicationGroupDescription: `${plan.stackName} ${cache.name}`,
    engine: "redis",
    engineVersion: cache.engineVersion,
    cacheNodeType: cache.nodeType,
    numCacheClusters: 1 + cache.replicas,
    automaticFailoverEnabled: cache.replicas > 0,
    multiAzEnabled: cache.replicas > 0,
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: false,
    cacheSubnetGroupName: subnets.ref,
    cacheParameterGroupName: parameters.ref,
    securityGroupIds: [sg.securityGroupId],
    snapshotRetentionLimit: cache.snapshotRetentionDays,
    ...(cache.snapshotWindow && cache.snapshotRetentionDays > 0 ? { snapshotWindow: cache.snapshotWindow } : {}),
    ...(cache.maintenanceWindow ? { preferredMaintenanceWindow: cache.maintenanceWindow } : {}),
  });
  return { group, securityGroup: sg };
}

const STORAGE: Record<PlanBucket["transitions"][number]["storageClass"], s3.StorageClass> = {
  STANDARD_IA: s3.StorageClass.INFREQUENT_ACCESS,
  GLACIER: s3.StorageClass.GLACIER,
  DEEP_ARCHIVE: s3.StorageClass.DEEP_ARCHIVE,
};

export function buildBucket(scope: Construct, bucket: PlanBucket): s3.Bucket {
  const prefixes = [...new Set([...bucket.transitions.map((t) => t.prefix), ...bucket.expirations.map((e) => e.prefix)])];
  const lifecycleRules = prefixes.map((prefix, i) => {
    const expiration = bucket.expirations.find((e) => e.prefix === prefix);
    return {
      id: `rule-${i + 1}`,
      ...(prefix ? { prefix } : {}),
      transitions: bucket.transitions
        .filter((t) => t.prefix === prefix)
        .map((t) => ({ storageClass: STORAGE[t.storageClass], transitionAfter: Duration.days(t.days) })),
      ...(expiration ? { expiration: Duration.days(expiration.days) } : {}),
    };
  });
  const built = new s3.Bucket(scope, bucket.id, {
    bucketName: bucket.bucketName,
    versioned: bucket.versioned,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: bucket.publicRead
      ? new s3.BlockPublicAccess({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false })
      : s3.BlockPublicAccess.BLOCK_ALL,
    lifecycleRules,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  if (bucket.publicRead)
    built.addToResourcePolicy(
      new iam.PolicyStatement({ actions: ["s3:GetObject"], resources: [built.arnForObjects("*")], principals: [new iam.AnyPrincipal()] }),
    );
  return built;
}

const ATTRIBUTE_TYPES = { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER, B: dynamodb.AttributeType.BINARY } as const;
const attribute = (key: { readonly name: string; readonly type: "S" | "N" | "B" }) => ({ name: key.name, type: ATTRIBUTE_TYPES[key.type] });

function projectionOf(index: PlanTableIndex): { projectionType: dynamodb.ProjectionType; nonKeyAttributes?: string[] } {
  if (index.projection === "all") return { projectionType: dynamodb.ProjectionType.ALL };
  if (index.projection === "keys") return { projectionType: dynamodb.ProjectionType.KEYS_ONLY };
  return { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection] };
}

export function buildTable(scope: Construct, table: PlanTable): dynamodb.Table {
  const built = new dynamodb.Table(scope, table.id, {
    tableName: table.tableName,
    partitionKey: attribute({ name: table.hashKey, type: table.keyTypes[table.hashKey] ?? "S" }),
    ...(table.rangeKey ? { sortKey: attribute({ name: table.rangeKey, type: table.keyTypes[table.rangeKey] ?? "S" }) } : {}),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    ...(table.ttlAttribute ? { timeToLiveAttribute: table.ttlAttribute } : {}),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: table.pointInTimeRecovery },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of table.indexes) {
    if (index.local) built.addLocalSecondaryIndex({ indexName: index.name, sortKey: attribute(index.rangeKey ?? index.hashKey), ...projectionOf(index) });
    else {
      built.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.hashKey),
        ...(index.rangeKey ? { sortKey: attribute(index.rangeKey) } : {}),
        ...projectionOf(index),
      });
    }
  }
  return built;
}
