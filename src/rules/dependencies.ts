/** depends_on names declared parts, and the dependency graph (declared and referenced) has no cycle. */
import type { Finding } from "../diagnostics/types.js";
import { type Names, parseTemplate, referencedNames } from "../model/references.js";
import { didYouMean } from "../schema/did-you-mean.js";
import type { StackFile } from "../schema/stack.js";
import { removedFinding } from "./references.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

/** Edges between processes: process -> services it waits for (declared or referenced). */
export function processGraph(file: StackFile, names: Names): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const section of ["services", "jobs"] as const) {
    for (const [name, proc] of Object.entries(file[section] ?? {})) {
      const refs = Object.values((proc.env ?? {}) as Record<string, string | number | boolean>).flatMap(
        (v) => referencedNames(parseTemplate(v, names).template).parts,
      );
      // A process may name itself (`PUBLIC_URL: ${web.url}`) without waiting for itself.
      const others = refs.filter((n) => n !== name);
      graph.set(
        name,
        [...new Set([...(proc.depends_on ?? []), ...others])].filter((n) => names.services.has(n)),
      );
    }
  }
  return graph;
}

/** Finds cycles with an iterative depth-first search; linear in nodes and edges. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 1 | 2>();
  const cycles: string[][] = [];
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const stack: { node: string; next: number }[] = [{ node: start, next: 0 }];
    const onPath: string[] = [start];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1] as { node: string; next: number };
      const edges = graph.get(top.node) ?? [];
      if (top.next >= edges.length) {
        state.set(top.node, 2);
        stack.pop();
        onPath.pop();
        continue;
      }
      const child = edges[top.next++] as string;
      const seen = state.get(child);
      if (seen === 1) cycles.push([...onPath.slice(onPath.indexOf(child)), child]);
      else if (seen === undefined) {
        state.set(child, 1);
        stack.push({ node: child, next: 0 });
        onPath.push(child);
      }
    }
  }
  return cycles;
}

export const dependenciesRule: FileRule = {
  name: "dependencies",
  check: ({ file, environments, names }) => {
    const findings: Finding[] = [];
    const known = [...names.services, ...names.resources.keys()];
    const jobs = new Set(Object.keys(file.jobs ?? {}));
    // Each environment's view: an override may change depends_on or the references in env.
    for (const env of environments) {
      for (const section of ["services", "jobs"] as const) {
        for (const [name, proc] of Object.entries(env.file[section] ?? {})) {
          for (const [i, dep] of (proc.depends_on ?? []).entries()) {
            if (env.names.services.has(dep) || env.names.resources.has(dep)) continue;
            if (names.services.has(dep) || names.resources.has(dep)) {
              findings.push(removedFinding(dep, env.name, where(file, env.name, [section, name, "depends_on", i])));
              continue;
            }
            const suggestion = didYouMean(dep, known);
            findings.push({
              code: "deps/unknown",
              message: jobs.has(dep)
                ? `"${dep}" is a job: depends_on names services and resources, which run before`
                : `"${dep}" is not a declared service or resource${suggestion ? `: did you mean "${suggestion}"?` : ""}`,
              path: where(file, env.name, [section, name, "depends_on", i]),
            });
          }
        }
      }
      for (const cycle of findCycles(processGraph(env.file, env.names))) {
        const first = cycle[0] as string;
        const section = env.file.services?.[first] ? "services" : "jobs";
        findings.push({ code: "deps/cycle", message: `dependency cycle: ${cycle.join(" -> ")}`, path: where(file, env.name, [section, first, "depends_on"]) });
      }
    }
    return findings;
  },
};
