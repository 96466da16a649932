/**
 * The DynamoDB engine: dynalite (Apache-2.0), embedded as a library rather than run as its server. Its
 * request validation (the messages DynamoDB sends, word for word) and its operations run here on an
 * in-memory level store; Cairn adds the HTTP front, persistence (journal.ts), transactions and the limits.
 * Why dynalite and not our own engine: docs/resources.md ("Tables: the engine").
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** A dynalite error: an HTTP status and a JSON body (`__type`, `message`). */
export interface EngineError {
  readonly statusCode: number;
  readonly body: { readonly __type: string; readonly message?: string } & Record<string, unknown>;
}

export type Callback = (error: unknown, value?: unknown) => void;

/** A level operation as dynalite writes it: keys are strings, values JSON-able. */
export type LevelOp = { readonly type: "put"; readonly key: string; readonly value: unknown } | { readonly type: "del"; readonly key: string };

/** The parts of the level database (memory-level, json values) Cairn touches. */
export interface LevelDb {
  put(key: string, value: unknown, callback?: (error: unknown) => void): unknown;
  del(key: string, callback?: (error: unknown) => void): unknown;
  batch(ops: LevelOp[], callback?: (error: unknown) => void): unknown;
  iterator(options: { gte: string; lt: string }): AsyncIterable<[string, unknown]>;
  close(callback?: (error: unknown) => void): unknown;
}

interface SubDb {
  lock(keys: string | string[], run: (release: (done: Callback) => Callback) => void): void;
  get(key: string, callback: Callback): void;
}

/** A dynalite store: tables, items and indexes in one level database. */
export interface Store {
  readonly options: Record<string, unknown> & { maxItemSize: number };
  readonly db: LevelDb;
  readonly tableDb: SubDb & { awsRegion: string; awsAccountId: string };
  getItemDb(table: string): SubDb;
  getTable(name: string, checkStatus: boolean, callback: Callback): void;
}

interface Validation {
  readonly types: Record<string, unknown>;
  readonly custom?: unknown;
}

interface Validations {
  checkTypes(data: unknown, types: Record<string, unknown>): Record<string, unknown>;
  checkValidations(data: unknown, types: Record<string, unknown>, custom: unknown, store: Store): void;
}

/** dynalite's `db` module: keys, conditions and errors. */
export interface DynaliteDb {
  create(options: Record<string, unknown>): Store;
  createKey(item: unknown, table: unknown): string;
  checkConditional(data: unknown, existing: unknown): EngineError | null | undefined;
  validateKey(key: unknown, table: unknown): EngineError | null | undefined;
  validateItem(item: unknown, table: unknown): EngineError | null | undefined;
  validationError(message: string): EngineError;
}

export const dynaliteDb = require("dynalite/db/index.js") as DynaliteDb;
const validations = require("dynalite/validations/index.js") as Validations;

/** The operations dynalite implements, by their DynamoDB name. */
export const OPERATIONS = [
  "BatchGetItem",
  "BatchWriteItem",
  "CreateTable",
  "DeleteItem",
  "DeleteTable",
  "DescribeTable",
  "DescribeTimeToLive",
  "GetItem",
  "ListTables",
  "PutItem",
  "Query",
  "Scan",
  "TagResource",
  "UntagResource",
  "ListTagsOfResource",
  "UpdateItem",
  "UpdateTable",
] as const;
export type Operation = (typeof OPERATIONS)[number];

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const actions = new Map<string, (store: Store, data: unknown, callback: Callback) => void>();
const checks = new Map<string, Validation>();
for (const name of OPERATIONS) {
  actions.set(name, require(`dynalite/actions/${lowerFirst(name)}.js`));
  checks.set(name, require(`dynalite/validations/${lowerFirst(name)}.js`));
}

export function isEngineError(error: unknown): error is EngineError {
  return typeof error === "object" && error !== null && typeof (error as EngineError).statusCode === "number" && "body" in error;
}

/** A new in-memory store; tables become ACTIVE at once (a local table has nothing to wait for). */
export function createStore(region: string): Store {
  const store = dynaliteDb.create({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  store.tableDb.awsRegion = region;
  return store;
}

/** Checks a request as DynamoDB does (types, then constraints): the converted request, or an EngineError thrown. */
export function validate(operation: string, data: unknown, store: Store): Record<string, unknown> {
  const check = checks.get(operation);
  if (!check) throw dynaliteDb.validationError(`Unknown operation ${operation}`);
  const converted = validations.checkTypes(data, check.types);
  validations.checkValidations(converted, check.types, check.custom, store);
  return converted;
}

/** Runs a validated request. */
export function perform(operation: string, store: Store, data: Record<string, unknown>): Promise<unknown> {
  const action = actions.get(operation);
  if (!action) return Promise.reject(dynaliteDb.validationError(`Unknown operation ${operation}`));
  return new Promise((resolve, reject) => {
    try {
      action(store, data, (error, value) => (error ? reject(error) : resolve(value)));
    } catch (error) {
      reject(error);
    }
  });
}

/** The table's description, or null when it does not exist. */
export function tableOf(store: Store, name: string): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => store.getTable(name, false, (error, table) => resolve(error ? null : (table as Record<string, unknown>))));
}
