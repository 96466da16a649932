/**
 * Start order from dependencies: groups of resources and services where each group only needs
 * earlier ones. Everything in a group starts in parallel; stopping walks the groups backwards. Pure.
 */
import type { Stack } from "../../model/types.js";

/** The groups, first to start first. A cycle (refused by `cairn check`) ends up in one last group. */
export function startOrder(stack: Stack): string[][] {
  const needs = new Map<string, Set<string>>();
  const known = new Set([...stack.resources.map((r) => r.name), ...stack.services.map((s) => s.name)]);
  for (const name of known) needs.set(name, new Set());
  for (const service of stack.services) for (const dep of service.dependsOn) if (known.has(dep) && dep !== service.name) needs.get(service.name)?.add(dep);
  const groups: string[][] = [];
  const done = new Set<string>();
  while (done.size < known.size) {
    const ready = [...known].filter((n) => !done.has(n) && [...(needs.get(n) ?? [])].every((d) => done.has(d)));
    const group = ready.length ? ready : [...known].filter((n) => !done.has(n));
    groups.push(group);
    for (const n of group) done.add(n);
  }
  return groups;
}

/** Everything that depends on `name`, directly or not. */
export function dependents(stack: Stack, name: string): string[] {
  const found = new Set<string>();
  const visit = (target: string) => {
    for (const s of stack.services) {
      if (s.dependsOn.includes(target) && !found.has(s.name)) {
        found.add(s.name);
        visit(s.name);
      }
    }
  };
  visit(name);
  return [...found];
}
