/**
 * The resolved stack: plain, read-only, fully defaulted data, independent of YAML and of any
 * target. Every verb (check, up, cost, build, docs) is a function of a `Stack`.
 *
 * Durations are in milliseconds, sizes in bytes, percentages from 0 to 100.
 */

export type { TargetName } from "./targets.js";

import type { TargetName } from "./targets.js";

/** A piece of a value that may reference other parts; targets render references their own way. */
export type TemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "resource"; readonly name: string; readonly attr: string }
  | { readonly kind: "service"; readonly name: string; readonly attr: string }
  | { readonly kind: "secret"; readonly name: string }
  | { readonly kind: "var"; readonly name: "domain" | "stack" | "env" | "edge.url" | "run.date" };

/** A value made of literal text and references, such as `postgres://...${secret.PW}`. */
export type Template = readonly TemplatePart[];

export interface Command {
  /** The command as the user wrote it (a shell line), or the argument list. */
  readonly shell: string | null;
  readonly argv: readonly string[] | null;
}

export interface HealthCheck {
  /** HTTP path, or null for a TCP connect check. */
  readonly path: string | null;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly healthy: number;
  readonly unhealthy: number;
  readonly graceMs: number;
  /** Accepted status codes, inclusive. */
  readonly status: readonly [number, number];
}

export interface Size {
  readonly cpu: number;
  readonly memoryBytes: number;
  /** True when the file did not say and Cairn used its default. */
  readonly defaulted: boolean;
}

export interface Scale {
  readonly min: number;
  readonly max: number;
  readonly desired: number;
  readonly cpu: number | null;
  readonly memory: number | null;
  readonly requestsPerMinute: number | null;
  readonly cooldownOutMs: number;
  readonly cooldownInMs: number;
}

export interface Restart {
  readonly policy: "always" | "on-failure" | "never";
  readonly delayMs: number;
  readonly maxDelayMs: number;
  readonly maxRestarts: number;
  readonly windowMs: number;
}

export interface EnvVar {
  readonly name: string;
  readonly value: Template;
  /** Where it came from: written in the file, or given by Cairn for a resource the process uses. */
  readonly origin: "file" | "resource" | "cairn";
}

interface ProcessBase {
  readonly name: string;
  readonly description: string | null;
  readonly command: Command | null;
  readonly image: string | null;
  readonly build: { readonly context: string; readonly dockerfile: string | null } | null;
  /** Working directory relative to the stack file's folder ("." by default). */
  readonly cwd: string;
  /** Variables from the file plus those Cairn gives for used resources, sorted by name. */
  readonly env: readonly EnvVar[];
  readonly size: Size;
  /** Names of services and resources this one needs, declared or found in references. */
  readonly dependsOn: readonly string[];
  /** Resources this process reads or writes (from references and depends_on). */
  readonly uses: readonly string[];
  /** Secrets this process is given. */
  readonly secrets: readonly string[];
}

export interface Service extends ProcessBase {
  readonly kind: "service";
  readonly port: number | null;
  readonly health: HealthCheck | null;
  /** Replicas to run: the fixed count, or `scale.desired`. */
  readonly replicas: number;
  readonly scale: Scale | null;
  readonly websockets: boolean;
  /** Where it accepts WebSocket upgrades, when the file says (`websockets: /live`). */
  readonly websocketPath: string | null;
  readonly stickyMs: number | null;
  readonly basePath: { readonly path: string; readonly strip: boolean } | null;
  readonly restart: Restart;
  readonly stopTimeoutMs: number;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly errorLog: boolean;
  readonly framework: "streamlit" | "generic";
  /** True when a route reaches it from the edge. */
  readonly public: boolean;
}

export interface Schedule {
  /** The schedule as written. */
  readonly source: string;
  /** Five-field cron equivalent (minute hour day month weekday). */
  readonly cron: string;
  /** systemd OnCalendar equivalent. */
  readonly calendar: string;
  readonly timezone: string;
}

export interface Job extends ProcessBase {
  readonly kind: "job";
  readonly schedule: Schedule | null;
  /** IANA time zone of its schedule and of `${run.date}`, scheduled or run by hand (default UTC). */
  readonly timezone: string;
  readonly persistent: boolean;
  readonly timeoutMs: number | null;
  readonly retries: number;
  readonly concurrency: "forbid" | "allow" | "replace";
  readonly args: readonly Template[];
}

export type Process = Service | Job;

/** Where a resource lives in the current environment. */
export type Placement = "local" | "self" | "managed" | "external";

export type Weekday = "sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat";

/** A weekly window, UTC, minutes from midnight; `end` may pass midnight into the next day. */
export interface MaintenanceWindow {
  readonly day: Weekday;
  readonly startMinute: number;
  /** Null when the file gives the start only: each service then uses its shortest window. */
  readonly endMinute: number | null;
}

export interface Backups {
  readonly retentionMs: number;
  readonly schedule: Schedule;
}

interface ResourceBase {
  readonly name: string;
  readonly description: string | null;
  readonly placement: Placement;
  readonly instance: string | null;
  /** Processes that use it. */
  readonly usedBy: readonly string[];
}

export interface Postgres extends ResourceBase {
  readonly type: "postgres";
  readonly version: number;
  readonly extensions: readonly string[];
  readonly storageBytes: number;
  readonly backups: Backups | null;
  /** Weekly maintenance window of the managed service (`maintenance:`), UTC. */
  readonly maintenance: MaintenanceWindow | null;
  readonly ha: boolean;
  readonly replicas: number;
  readonly encrypted: boolean;
  readonly database: string;
}

export interface Redis extends ResourceBase {
  readonly type: "redis";
  readonly version: number;
  readonly memoryBytes: number | null;
  readonly eviction: string;
  readonly replicas: number;
  readonly persistence: boolean;
  readonly backups: Backups | null;
  /** Weekly maintenance window of the managed service (`maintenance:`), UTC. */
  readonly maintenance: MaintenanceWindow | null;
}

export interface LifecycleRule {
  readonly afterMs: number;
  readonly to: "infrequent" | "glacier" | "deep-archive" | "delete";
  readonly prefix: string | null;
}

export interface Bucket extends ResourceBase {
  readonly type: "bucket";
  /** The bucket's name in every target: `name:`, else `<stack>-<env>-<resource>`. */
  readonly physicalName: string;
  readonly versioning: boolean;
  readonly public: boolean;
  readonly lifecycle: readonly LifecycleRule[];
  readonly cdn: boolean;
  readonly seed: string | null;
  /** `outside_project: true`: the seed may be a folder outside the project. */
  readonly outsideProject: boolean;
}

/** A DynamoDB attribute type: S (string), N (number) or B (binary). */
export type KeyType = "S" | "N" | "B";

/** A secondary index of a table. */
export interface TableIndex {
  readonly name: string;
  readonly local: boolean;
  /** For a local index, the table's hash key. */
  readonly hashKey: string;
  readonly rangeKey: string | null;
  /** "all", "keys", or the attributes copied besides the keys. */
  readonly projection: "all" | "keys" | readonly string[];
}

export interface Table extends ResourceBase {
  readonly type: "table";
  /** The table's name in every target: `name:`, else `<stack>-<env>-<resource>`. */
  readonly physicalName: string;
  readonly hashKey: string;
  readonly rangeKey: string | null;
  /** Type of every key attribute of the table and its indexes (default S). */
  readonly keyTypes: Readonly<Record<string, KeyType>>;
  readonly indexes: readonly TableIndex[];
  readonly ttl: string | null;
  readonly backups: Backups | null;
}

export interface External extends ResourceBase {
  readonly type: "external";
  readonly url: Template;
  readonly externalKind: "postgres" | "redis" | "elasticsearch" | "http" | "other";
}

export interface StaticSite extends ResourceBase {
  readonly type: "static";
  readonly dir: string;
  readonly buildCommand: string | null;
  readonly buildEnv: readonly EnvVar[];
  readonly cdn: boolean;
  readonly path: string;
  readonly spa: boolean;
  /** `outside_project: true`: the folder may be outside the project. */
  readonly outsideProject: boolean;
}

export type Resource = Postgres | Redis | Bucket | Table | External | StaticSite;
export type ResourceType = Resource["type"];

export interface Route {
  readonly host: string | null;
  readonly path: string;
  readonly to: string;
  /** "service" or "static": what answers. */
  readonly toKind: "service" | "static";
  readonly strip: boolean;
}

export interface RateLimit {
  readonly requests: number;
  readonly perMs: number;
  readonly burst: number;
}

export interface OpenPort {
  readonly port: number;
  readonly protocol: "tcp" | "udp";
  /** CIDR blocks allowed; `0.0.0.0/0` and `::/0` mean anywhere. */
  readonly from: readonly string[];
  readonly description: string | null;
}

export interface Edge {
  readonly port: number;
  /** `certificate` is an ARN or a file; `key` is its private key file when the file gives one (`tls: { cert, key }`). */
  readonly tls:
    | { readonly mode: "off" }
    | { readonly mode: "auto" }
    | { readonly mode: "certificate"; readonly certificate: string; readonly key: string | null };
  readonly redirectHttp: boolean;
  readonly rateLimit: RateLimit | null;
  readonly waf: readonly string[];
  readonly geoBlock: readonly string[];
  readonly allow: readonly string[];
  readonly open: readonly OpenPort[];
  readonly maxBodyBytes: number;
  readonly timeoutMs: number;
  readonly cdn: boolean;
}

export interface Alarm {
  readonly source: string;
  readonly metric: string;
  readonly op: ">" | ">=" | "<" | "<=";
  /** Threshold in the metric's unit: percent for cpu/memory/error_rate, ms for latency. */
  readonly threshold: number;
  readonly forMs: number;
  readonly service: string | null;
}

export interface Secret {
  readonly name: string;
  readonly description: string | null;
  readonly optional: boolean;
  readonly generate: boolean;
  /** Processes given this secret. */
  readonly usedBy: readonly string[];
}

export interface Usage {
  readonly requests: number;
  readonly dataOutBytes: number;
  readonly storageBytes: number;
  readonly logBytes: number;
  readonly tableReads: number;
  readonly tableWrites: number;
  readonly tableStorageBytes: number;
  readonly cdnOutBytes: number;
  readonly hours: number;
  /** Names of the fields the file did not set (their defaults are stated in reports). */
  readonly defaulted: readonly string[];
}

export interface ExtraCost {
  readonly name: string;
  readonly monthly: number;
  readonly currency: "USD" | "EUR";
  readonly note: string | null;
}

export interface Environment {
  readonly name: string;
  /** False for the file as written, when it declares no environment of that name. */
  readonly declared: boolean;
  readonly description: string | null;
  readonly target: TargetName;
  readonly region: string;
  readonly domain: string | null;
  readonly instance: string | null;
  readonly instances: number;
  readonly diskBytes: number;
  readonly nat: boolean;
  readonly spot: boolean;
  /** Hosting options to price: the target first, then `compare`. */
  readonly compare: readonly TargetName[];
  readonly usage: Usage;
  readonly extraCosts: readonly ExtraCost[];
  /** Machines `cairn deploy` puts a vm environment on; empty when the file names none. */
  readonly hosts: readonly DeployHost[];
  readonly ssh: SshSettings;
  readonly deploy: DeploySettings;
}

/** A machine of a vm environment: `user@host[:port]` and what it runs. */
export interface DeployHost {
  /** As written, such as `deploy@203.0.113.10:2222`. */
  readonly source: string;
  readonly user: string;
  /** Host name or IP address (IPv6 without brackets). */
  readonly host: string;
  /** The host's own port, or null for `ssh.port`. */
  readonly port: number | null;
  /** Services it runs; every service when the file does not say. */
  readonly services: readonly string[];
  /** Jobs it runs; every job on the first host when no host says. */
  readonly jobs: readonly string[];
}

export interface SshSettings {
  /** Private key file as written (relative to the stack file's folder); null for ssh's own keys and agent. */
  readonly key: string | null;
  readonly port: number;
  readonly knownHosts: "strict" | "accept-new";
  readonly jump: string | null;
}

/** A command run once per deploy before traffic moves, with the variables of one process. */
export interface BeforeCommand {
  readonly command: Command;
  /** The service or job whose variables it gets. */
  readonly as: string | null;
}

export interface DeploySettings {
  readonly keep: number;
  readonly before: readonly BeforeCommand[];
  readonly healthTimeoutMs: number;
}

export interface LintIgnore {
  readonly rule: string;
  readonly at: string | null;
  readonly reason: string;
}

/** A stack resolved for one environment. */
export interface Stack {
  readonly name: string;
  readonly description: string | null;
  /** Absolute folder of the stack file; commands and cwd are relative to it. */
  readonly root: string;
  readonly file: string;
  readonly environment: Environment;
  /** Every environment the file declares, in file order. */
  readonly environments: readonly string[];
  readonly services: readonly Service[];
  readonly jobs: readonly Job[];
  readonly resources: readonly Resource[];
  readonly routes: readonly Route[];
  readonly edge: Edge;
  readonly secrets: readonly Secret[];
  readonly alarms: readonly Alarm[];
  readonly logs: { readonly retentionMs: number; readonly destination: "local" | "journal" | "cloudwatch"; readonly group: string };
  readonly lintIgnore: readonly LintIgnore[];
}
