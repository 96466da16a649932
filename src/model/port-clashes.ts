/** Which listeners clash on one machine: the edge first, then services in file order. Pure. */

export interface Listener {
  readonly name: string;
  readonly port: number;
}

export interface Clash {
  /** The later listener, which must move. */
  readonly name: string;
  readonly port: number;
  /** Who had the port first: `the edge` or `service "api"`. */
  readonly owner: string;
}

/** Clashes between the edge (when it listens) and the services, each reported at the later one. */
export function portClashes(edge: { readonly port: number; readonly label: string } | null, services: readonly Listener[]): Clash[] {
  const owners = new Map<number, string>();
  if (edge) owners.set(edge.port, edge.label);
  const clashes: Clash[] = [];
  for (const s of services) {
    const owner = owners.get(s.port);
    if (owner) clashes.push({ name: s.name, port: s.port, owner });
    else owners.set(s.port, `service "${s.name}"`);
  }
  return clashes;
}
