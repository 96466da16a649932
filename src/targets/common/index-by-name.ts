/** Lookups by name over a stack's parts, built once per stack (generators look names up for every reference). */
import type { Resource, Service, Stack } from "../../model/types.js";

interface Index {
  readonly services: ReadonlyMap<string, Service>;
  readonly resources: ReadonlyMap<string, Resource>;
}

const cache = new WeakMap<Stack, Index>();

function index(stack: Stack): Index {
  let found = cache.get(stack);
  if (!found) {
    found = { services: new Map(stack.services.map((s) => [s.name, s])), resources: new Map(stack.resources.map((r) => [r.name, r])) };
    cache.set(stack, found);
  }
  return found;
}

/** The service of that name, if any. */
export function serviceNamed(stack: Stack, name: string): Service | undefined {
  return index(stack).services.get(name);
}

/** The resource of that name, if any. */
export function resourceNamed(stack: Stack, name: string): Resource | undefined {
  return index(stack).resources.get(name);
}
