/**
 * Validates a parsed stack file against the schema and turns zod's issues into findings with
 * stable codes, a readable message, and "did you mean" for unknown keys. Pure.
 */
import { z } from "zod";
import type { Finding, Path } from "../diagnostics/types.js";
import { didYouMean } from "./did-you-mean.js";
import { alarm, edge, logs, route } from "./edge.js";
import { environment } from "./environment.js";
import { nameKey } from "./fields.js";
import { resource } from "./resource.js";
import { job, service } from "./service.js";
import { type StackFile, stackFile } from "./stack.js";

type Issue = z.core.$ZodIssue;

/** The object keys the schema accepts at a path (used for "did you mean"). */
function knownKeys(schema: z.core.$ZodType, path: Path, value: unknown): string[] {
  let current: z.core.$ZodType | undefined = schema;
  let data: unknown = value;
  for (const part of path) {
    current = step(current, part, data);
    data = data && typeof data === "object" ? (data as Record<string, unknown>)[part as string] : undefined;
    if (!current) return [];
  }
  const object = unwrap(current, data);
  return object && "shape" in object._zod.def ? Object.keys((object._zod.def as { shape: object }).shape) : [];
}

function unwrap(schema: z.core.$ZodType | undefined, data: unknown): z.core.$ZodType | undefined {
  let current = schema;
  for (let i = 0; i < 8 && current; i++) {
    const def = current._zod.def as { type: string; innerType?: z.core.$ZodType; options?: z.core.$ZodType[] };
    if (def.type === "optional" || def.type === "nullable" || def.type === "default") current = def.innerType;
    else if (def.type === "union" && def.options) {
      const isObject = data !== null && typeof data === "object" && !Array.isArray(data);
      const objects = def.options.filter((option) => unwrap(option, data)?._zod.def.type === "object");
      if (!isObject || objects.length === 0) return current;
      const type = (data as { type?: unknown }).type;
      current =
        objects.find((option) => {
          const shape = (unwrap(option, data)?._zod.def as { shape?: Record<string, z.core.$ZodType> } | undefined)?.shape;
          const literal = shape?.type?._zod.def as { values?: unknown[] } | undefined;
          return literal?.values ? literal.values.includes(type) : true;
        }) ?? objects[0];
    } else return current;
  }
  return current;
}

function step(schema: z.core.$ZodType, part: string | number, data: unknown): z.core.$ZodType | undefined {
  const inner = unwrap(schema, data);
  if (!inner) return undefined;
  const def = inner._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; valueType?: z.core.$ZodType; element?: z.core.$ZodType };
  if (def.type === "object") return def.shape?.[part as string];
  if (def.type === "record") return def.valueType;
  if (def.type === "array") return def.element;
  return undefined;
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a map" : `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, path: Path): unknown {
  let data = root;
  for (const part of path) data = data && typeof data === "object" ? (data as Record<string, unknown>)[part as string] : undefined;
  return data;
}

/** Picks the union branch that best fits the value: one whose issues are not a type mismatch at its root. */
function unionIssues(issue: Extract<Issue, { code: "invalid_union" }>, base: Path): Issue[] | null {
  const rootMismatch = (i: Issue) => (i.code === "invalid_type" || i.code === "invalid_value") && i.path.length === 0;
  const branches = issue.errors.filter((branch) => !branch.some(rootMismatch));
  const chosen = branches.find((branch) => branch.length > 0);
  if (!chosen) return null;
  return chosen.map((i) => ({ ...i, path: [...base, ...i.path] }) as Issue);
}

/** "must be at most 65535" rather than zod's "Too big: expected number to be <=65535". */
function bounds(issue: Extract<Issue, { code: "too_small" | "too_big" }>, value: unknown): string {
  const limit = Number(issue.code === "too_big" ? issue.maximum : issue.minimum);
  const word = issue.code === "too_big" ? (issue.inclusive ? "at most" : "less than") : issue.inclusive ? "at least" : "more than";
  const got = value === undefined ? "" : `, got ${describeType(value)}`;
  if (issue.origin === "string") return `must be ${word} ${limit} characters long${got}`;
  if (issue.origin === "array" || issue.origin === "set") return `must have ${word} ${limit} items`;
  return `must be ${word} ${limit}${got}`;
}

/** `root` is the value validated (the value at `prefix` in the file). */
function toFindings(issue: Issue, root: unknown, schema: z.core.$ZodType, prefix: Path): Finding[] {
  const path = [...prefix, ...(issue.path as (string | number)[])];
  const local = issue.path as (string | number)[];
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const suggestion = didYouMean(key, knownKeys(schema, local, root));
        return {
          code: "schema/unknown-key",
          message: `unknown key "${key}"${suggestion ? `: did you mean "${suggestion}"?` : ""}`,
          path: [...path, key],
          onKey: true,
          ...(suggestion ? { hint: `Rename it to "${suggestion}".` } : {}),
        };
      });
    case "invalid_union": {
      const chosen = unionIssues(issue, issue.path as (string | number)[]);
      if (chosen) return chosen.flatMap((i) => toFindings(i, root, schema, prefix));
      const value = valueAt(root, local);
      const options = (issue as { options?: unknown[] }).options;
      if (options) {
        const suggestion = typeof value === "string" ? didYouMean(value, options.map(String)) : null;
        const mean = suggestion ? `: did you mean "${suggestion}"?` : "";
        return [{ code: "schema/value", message: `unknown type ${JSON.stringify(value)}${mean} (expected ${options.join(", ")})`, path }];
      }
      const expected = issue.errors.flatMap((branch) =>
        branch.map((i) => (i.code === "invalid_type" ? i.expected : i.code === "invalid_value" ? i.values.map((v) => JSON.stringify(v)).join(" or ") : "")),
      );
      return [{ code: "schema/one-of", message: `expected ${[...new Set(expected.filter(Boolean))].join(" or ")}, got ${describeType(value)}`, path }];
    }
    case "invalid_type": {
      const value = valueAt(root, local);
      if (value === undefined)
        return [
          {
            code: "schema/missing",
            message: `"${String(path.at(-1))}" is required (${issue.expected})`,
            path: path.slice(0, -1),
            hint: `Add \`${String(path.at(-1))}:\`.`,
          },
        ];
      return [{ code: "schema/type", message: `expected ${issue.expected}, got ${describeType(value)}`, path }];
    }
    case "invalid_value":
      return [{ code: "schema/value", message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, path }];
    case "custom":
      return [{ code: (issue.params as { cairn?: string } | undefined)?.cairn === "unit" ? "schema/unit" : "schema/value", message: issue.message, path }];
    case "too_small":
    case "too_big":
      return [{ code: "schema/value", message: bounds(issue, valueAt(root, local)), path }];
    case "invalid_format":
    case "not_multiple_of":
      return [{ code: "schema/value", message: issue.message.replace(/^Invalid string: /, ""), path }];
    default:
      return [{ code: "schema/value", message: issue.message, path }];
  }
}

/** Validates `value` against `schema`, each finding's path prefixed by `prefix`. */
export function validateAgainst<T>(schema: z.ZodType<T>, value: unknown, prefix: Path = []): { data: T | null; findings: Finding[] } {
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data, findings: [] };
  const findings = result.error.issues.flatMap((issue) => toFindings(issue as Issue, value, schema, prefix));
  const seen = new Set<string>();
  return {
    data: null,
    findings: findings.filter((f) => !seen.has(`${f.code}:${f.path.join(".")}:${f.message}`) && seen.add(`${f.code}:${f.path.join(".")}:${f.message}`)),
  };
}

const partials = {
  services: service.partial(),
  jobs: job.partial(),
};

function checkNames(file: StackFile): Finding[] {
  const findings: Finding[] = [];
  const owner = new Map<string, string>();
  for (const section of ["services", "jobs", "resources", "environments"] as const) {
    for (const name of Object.keys(file[section] ?? {})) {
      if (!nameKey.test(name)) {
        findings.push({ code: "schema/name", message: `"${name}" is not a valid ${section.slice(0, -1)} name`, path: [section, name], onKey: true });
      }
      if (section === "environments") continue;
      const previous = owner.get(name);
      if (previous)
        findings.push({
          code: "schema/name",
          message: `"${name}" is already the name of one of the ${previous}`,
          path: [section, name],
          onKey: true,
          hint: "Services, jobs and resources share one namespace so that ${name.attr} is unambiguous.",
        });
      else owner.set(name, section);
    }
  }
  return findings;
}

/** `null` in an override removes a key, at any depth (`env: { REDIS_URL: null }`); it is not a value to validate. */
function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  const plain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === null ? [] : [[k, plain(v) ? withoutNulls(v) : v]])));
}

const envLists = { routes: z.array(route), alarms: z.array(alarm), edge: edge.partial(), logs: logs.partial() };

/** Environment overrides are checked against the same schemas, with every field optional. */
function checkOverrides(file: StackFile): Finding[] {
  const findings: Finding[] = [];
  for (const [envName, env] of Object.entries(file.environments ?? {})) {
    for (const section of ["services", "jobs"] as const) {
      for (const [name, override] of Object.entries(env[section] ?? {})) {
        if (override === null) continue;
        findings.push(...validateAgainst(partials[section], withoutNulls(override), ["environments", envName, section, name]).findings);
      }
    }
    for (const key of ["routes", "alarms", "edge", "logs"] as const) {
      if (env[key] !== undefined) findings.push(...validateAgainst(envLists[key] as z.ZodType, env[key], ["environments", envName, key]).findings);
    }
    for (const [name, override] of Object.entries(env.resources ?? {})) {
      const base = file.resources?.[name];
      if (!base || override === null) continue;
      if ("type" in override && override.type !== base.type) {
        findings.push({
          code: "schema/value",
          message: `an environment cannot change the type of resource "${name}" (${base.type})`,
          path: ["environments", envName, "resources", name, "type"],
          hint: "Declare another resource instead, and point the environment's services at it.",
        });
        continue;
      }
      const merged = { ...base, ...withoutNulls(override), type: base.type };
      const { findings: found } = validateAgainst(resource, merged, []);
      for (const f of found) {
        const key = f.path[0];
        if (key !== undefined && key in override) findings.push({ ...f, path: ["environments", envName, "resources", name, ...f.path] });
      }
    }
  }
  return findings;
}

/** Validates the whole file: shape, names, overrides. Returns typed data only when all passed. */
export function validateStackFile(value: unknown): { data: StackFile | null; findings: Finding[] } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { data: null, findings: [{ code: "yaml/not-a-map", message: `the file holds ${describeType(value)}, not a map of keys`, path: [] }] };
  }
  const { data, findings } = validateAgainst(stackFile, value);
  if (!data) return { data, findings };
  const more = [...checkNames(data), ...checkOverrides(data)];
  return more.length ? { data: null, findings: more } : { data, findings: [] };
}

export { environment };
