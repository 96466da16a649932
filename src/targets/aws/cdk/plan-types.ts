/**
 * The deployment plan: everything the CDK app builds, decided by Cairn from the stack file and
 * stored as JSON beside the app (`cairn-plan.json`). The construct code reads only this, so the
 * app the user deploys and the template Cairn synthesizes come from the same code and data.
 */

/** A reference to an attribute of something the app creates (a database's host, the load balancer's URL). */
export interface PlanRef {
  readonly ref: string;
  readonly attr: "host" | "port" | "url";
}

/** A variable's value: text with references, or a secret injected by ECS. */
export type PlanValue =
  | { readonly kind: "text"; readonly parts: readonly (string | PlanRef)[] }
  /** A Secrets Manager secret the user creates, by name. */
  | { readonly kind: "secret"; readonly name: string }
  /** A field of the secret the app generates for a database (`url`, `password`). */
  | { readonly kind: "database-secret"; readonly database: string; readonly field: "url" | "password" };

export interface PlanHealthCheck {
  readonly path: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly codes: string;
}

export interface PlanScaling {
  readonly min: number;
  readonly max: number;
  readonly cpu: number | null;
  readonly memory: number | null;
  readonly requestsPerTarget: number | null;
  readonly scaleOutCooldownSeconds: number;
  readonly scaleInCooldownSeconds: number;
}

/** What a service or job runs: a Fargate task. */
export interface PlanTask {
  readonly name: string;
  /** Construct id: the name in PascalCase. */
  readonly id: string;
  /** A registry image, or the ECR repository the app creates for an image built from source. */
  readonly image: { readonly kind: "registry"; readonly name: string } | { readonly kind: "ecr"; readonly repository: string; readonly tag: string };
  readonly entryPoint: readonly string[] | null;
  readonly command: readonly string[] | null;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly environment: Readonly<Record<string, PlanValue>>;
  /** Databases and caches it connects to (security-group rules). */
  readonly uses: readonly string[];
  /** Buckets and tables it reads and writes (IAM grants). */
  readonly grants: readonly string[];
  /** Services it calls (security-group rules). */
  readonly calls: readonly string[];
  readonly logGroup: string;
}

export interface PlanService extends PlanTask {
  readonly port: number | null;
  readonly desiredCount: number;
  readonly healthCheck: PlanHealthCheck | null;
  readonly graceSeconds: number;
  readonly stickinessSeconds: number | null;
  readonly stopTimeoutSeconds: number;
  readonly scaling: PlanScaling | null;
  /** Reached by the load balancer. */
  readonly public: boolean;
  /** Registered in the private DNS namespace because another process calls it. */
  readonly discoverable: boolean;
}

export interface PlanJob extends PlanTask {
  /** EventBridge Scheduler expression, such as `cron(0 2 * * ? *)`; null: run on demand only. */
  readonly schedule: string | null;
  readonly timezone: string;
  readonly retries: number;
  readonly maxEventAgeSeconds: number;
}

/** A listener rule, in priority order; a rule with no condition is the default action. */
export interface PlanRoute {
  readonly service: string;
  readonly priority: number;
  readonly host: string | null;
  readonly paths: readonly string[];
}

export interface PlanDatabase {
  readonly name: string;
  readonly id: string;
  readonly version: string;
  readonly instanceType: string;
  readonly storageGb: number;
  readonly multiAz: boolean;
  readonly readReplicas: number;
  readonly backupRetentionDays: number;
  readonly encrypted: boolean;
  readonly databaseName: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** `03:00-04:00` UTC, or null for RDS's choice. */
  readonly backupWindow: string | null;
  /** `sun:04:00-sun:04:30` UTC, or null for RDS's choice. */
  readonly maintenanceWindow: string | null;
}

export interface PlanCache {
  readonly name: string;
  readonly id: string;
  readonly engineVersion: string;
  readonly parameterFamily: string;
  readonly nodeType: string;
  readonly replicas: number;
  readonly evictionPolicy: string;
  readonly snapshotRetentionDays: number;
  /** `03:00-04:00` UTC, or null for ElastiCache's choice. */
  readonly snapshotWindow: string | null;
  /** `sun:04:00-sun:05:00` UTC, or null for ElastiCache's choice. */
  readonly maintenanceWindow: string | null;
}

export interface PlanBucket {
  readonly name: string;
  readonly id: string;
  readonly bucketName: string;
  readonly versioned: boolean;
  readonly publicRead: boolean;
  readonly transitions: readonly { readonly days: number; readonly storageClass: "STANDARD_IA" | "GLACIER" | "DEEP_ARCHIVE"; readonly prefix: string | null }[];
  readonly expirations: readonly { readonly days: number; readonly prefix: string | null }[];
}

/** A secondary index in the CDK plan; key types are DynamoDB's S, N or B. */
export interface PlanTableIndex {
  readonly name: string;
  readonly local: boolean;
  readonly hashKey: { readonly name: string; readonly type: "S" | "N" | "B" };
  readonly rangeKey: { readonly name: string; readonly type: "S" | "N" | "B" } | null;
  readonly projection: "all" | "keys" | readonly string[];
}

export interface PlanTable {
  readonly name: string;
  readonly id: string;
  readonly tableName: string;
  readonly hashKey: string;
  readonly rangeKey: string | null;
  /** Type of each key attribute (S when the file says nothing). */
  readonly keyTypes: Readonly<Record<string, "S" | "N" | "B">>;
  readonly indexes: readonly PlanTableIndex[];
  readonly ttlAttribute: string | null;
  readonly pointInTimeRecovery: boolean;
}

export interface PlanAlarm {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly metric: string;
  /** The service, database or cache it watches; null for the load balancer. */
  readonly target: string | null;
  readonly comparison: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
  /** In CloudWatch's unit: percent, seconds or a count. */
  readonly threshold: number;
  readonly periods: number;
}

export interface PlanWaf {
  readonly sqli: boolean;
  readonly xss: boolean;
  readonly geoBlock: readonly string[];
  readonly rateLimit: { readonly limit: number; readonly windowSeconds: number } | null;
}

export interface Plan {
  readonly stackName: string;
  readonly description: string;
  readonly region: string;
  readonly nat: boolean;
  readonly url: string | null;
  readonly listener: {
    readonly port: number;
    readonly https: boolean;
    readonly redirectHttp: boolean;
    readonly allow: readonly string[];
    readonly idleTimeoutSeconds: number;
  };
  readonly certificate:
    | { readonly kind: "arn"; readonly arn: string }
    | { readonly kind: "domain"; readonly domain: string; readonly alternativeNames: readonly string[] }
    | null;
  readonly namespace: string | null;
  readonly logRetentionDays: number;
  readonly services: readonly PlanService[];
  readonly jobs: readonly PlanJob[];
  readonly routes: readonly PlanRoute[];
  readonly databases: readonly PlanDatabase[];
  readonly caches: readonly PlanCache[];
  readonly buckets: readonly PlanBucket[];
  readonly tables: readonly PlanTable[];
  /** Secrets Manager secrets the user creates, by full name. */
  readonly secrets: readonly string[];
  readonly alarms: readonly PlanAlarm[];
  readonly waf: PlanWaf | null;
}
