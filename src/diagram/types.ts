/**
 * A diagram as data: boxes (some holding others), arrows between them, and notes. Each view builds
 * one from what its source produces (the model, or a target's plan or manifests); layout and
 * rendering never look at the stack.
 */

/** What a box stands for; it picks the icon and the colours. */
export type NodeKind =
  | "internet"
  | "edge"
  | "route"
  | "service"
  | "job"
  | "postgres"
  | "redis"
  | "bucket"
  | "table"
  | "external"
  | "static"
  | "secret"
  | "alarm"
  | "proxy"
  | "firewall"
  | "balancer"
  | "waf"
  | "nat"
  | "cdn"
  | "scheduler"
  | "registry"
  /** Containers: a cloud region, a network, a subnet, a machine, a cluster namespace. */
  | "cloud"
  | "network"
  | "subnet"
  | "machine"
  | "cluster";

/** A box. A box that other boxes name as `parent` is drawn as a container around them. */
export interface DiagramNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly title: string;
  /** Smaller lines under the title. */
  readonly lines: readonly string[];
  readonly parent: string | null;
  /** The model part it shows (`service:api`, `resource:db`, `route:0`, `job:processor`), or null. */
  readonly ref: string | null;
  /** Where the layout puts it: the first column (where traffic enters) or the last (data). */
  readonly layer?: "first" | "last";
}

/** What an arrow means; it picks the line style. */
export type EdgeKind = "traffic" | "data" | "call" | "secret";

export interface DiagramEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly label: string | null;
  readonly kind: EdgeKind;
}

export const VIEWS = ["logical", "vm", "aws", "k8s"] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Diagram {
  readonly view: ViewName;
  readonly title: string;
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  /** Sentences under the picture: what the target does differently, what it leaves out. */
  readonly notes: readonly string[];
}

/** A diagram under construction: ids are made unique and stable from names. */
export class DiagramBuilder {
  readonly nodes: DiagramNode[] = [];
  readonly edges: DiagramEdge[] = [];
  readonly notes: string[] = [];
  private readonly ids = new Set<string>();

  /** Adds a box; returns its id (`prefix:name`, with a number added when taken). */
  node(spec: Omit<DiagramNode, "id" | "parent" | "ref"> & { readonly id: string; readonly parent?: string | null; readonly ref?: string | null }): string {
    let id = spec.id;
    for (let i = 2; this.ids.has(id); i++) id = `${spec.id}~${i}`;
    this.ids.add(id);
    this.nodes.push({ ...spec, id, parent: spec.parent ?? null, ref: spec.ref ?? null });
    return id;
  }

  /** Adds an arrow once: the same pair with the same label is not drawn twice. */
  edge(from: string, to: string, kind: EdgeKind, label: string | null = null): void {
    if (from === to || !this.ids.has(from) || !this.ids.has(to)) return;
    if (this.edges.some((e) => e.from === from && e.to === to && e.label === label)) return;
    this.edges.push({ id: `e${this.edges.length}`, from, to, kind, label });
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  build(view: ViewName, title: string): Diagram {
    return { view, title, nodes: this.nodes, edges: this.edges, notes: this.notes };
  }
}
