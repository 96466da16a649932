/** Walks every value of a stack file that may hold `${...}` references, with its path. */
import type { Path } from "../diagnostics/types.js";
import type { StackFile } from "../schema/stack.js";

export interface TemplateSite {
  readonly path: Path;
  readonly value: string | number | boolean;
  /** Job args may use ${run.date}. */
  readonly inJobArgs: boolean;
  /** The process the value belongs to, if any. */
  readonly owner: string | null;
}

export function* eachTemplate(file: StackFile): Generator<TemplateSite> {
  for (const section of ["services", "jobs"] as const) {
    for (const [name, proc] of Object.entries(file[section] ?? {})) {
      for (const [key, value] of Object.entries((proc.env ?? {}) as Record<string, string | number | boolean>))
        yield { path: [section, name, "env", key], value, inJobArgs: false, owner: name };
    }
  }
  for (const [name, job] of Object.entries(file.jobs ?? {})) {
    for (const [i, arg] of (job.args ?? []).entries()) yield { path: ["jobs", name, "args", i], value: arg, inJobArgs: true, owner: name };
  }
  for (const [name, resource] of Object.entries(file.resources ?? {})) {
    if (resource.type === "external") yield { path: ["resources", name, "url"], value: resource.url, inJobArgs: false, owner: null };
    if (resource.type === "static")
      for (const [key, value] of Object.entries(resource.env ?? {})) yield { path: ["resources", name, "env", key], value, inJobArgs: false, owner: null };
  }
}
