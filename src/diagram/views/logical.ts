/**
 * The logical view, from the model alone: the internet, the edge, the routes, the services, the jobs,
 * the resources and external systems, and the secrets by name. Every service, job, resource and route
 * is one box; every dependency is one arrow.
 */

import type { Words } from "../../guide/i18n/words.js";
import type { Stack } from "../../model/types.js";
import { needsProxy, portIsOpen, routeHost } from "../../targets/common/edge.js";
import { edgeLines, healthText, replicasText, resourceLines, scheduleText, sizeText, sourcesText } from "../describe.js";
import { type Diagram, DiagramBuilder } from "../types.js";

/** Id of a model part's box in every view: `service:api`, `resource:db`. */
export const partId = (kind: "service" | "job" | "resource", name: string): string => `${kind}:${name}`;

function addProcesses(d: DiagramBuilder, stack: Stack, w: Words): void {
  for (const s of stack.services) {
    const lines = [
      s.port !== null ? w.t("service.port", { port: String(s.port) }) + (s.websockets ? " · WebSocket" : "") : w.t("service.noPort"),
      replicasText(w, s),
      sizeText(w, s.size),
      healthText(w, s.health),
    ];
    if (s.stickyMs !== null) lines.push(w.t("service.sticky", { duration: w.duration(s.stickyMs) }));
    d.node({ id: partId("service", s.name), kind: "service", title: s.name, lines, ref: `service:${s.name}` });
  }
  for (const j of stack.jobs) {
    const lines = [scheduleText(w, j), sizeText(w, j.size)];
    if (j.timeoutMs !== null) lines.push(w.t("job.timeout", { duration: w.duration(j.timeoutMs), count: j.retries }));
    d.node({ id: partId("job", j.name), kind: "job", title: j.name, lines, ref: `job:${j.name}` });
  }
}

function addResources(d: DiagramBuilder, stack: Stack, w: Words): void {
  for (const r of stack.resources) {
    const kind = r.type === "external" ? "external" : r.type;
    d.node({ id: partId("resource", r.name), kind, title: r.name, lines: resourceLines(w, r), ref: `resource:${r.name}`, layer: "last" });
  }
}

function addEdge(d: DiagramBuilder, stack: Stack, w: Words): void {
  const internet = d.node({ id: "internet", kind: "internet", title: w.t("diagram.internet"), lines: [], layer: "first" });
  const proxy = needsProxy(stack);
  const openLines = stack.edge.open.map((o) =>
    w.t("edge.open", { port: String(o.port), protocol: o.protocol, from: sourcesText(w, o.from), what: o.description ?? "" }).trim(),
  );
  const edge = d.node({
    id: "edge",
    kind: proxy ? "edge" : "firewall",
    title: proxy ? w.t("diagram.edge") : w.t("diagram.openPorts"),
    lines: proxy ? [...edgeLines(w, stack.edge, stack.environment.domain), ...openLines] : openLines,
    ref: "edge",
  });
  d.edge(internet, edge, "traffic");
  stack.routes.forEach((route, i) => {
    const host = routeHost(route, stack);
    const title = `${host ?? ""}${route.path}`;
    const lines = route.strip ? [w.t("route.strip")] : [];
    const id = d.node({ id: `route:${i}`, kind: "route", title, lines, ref: `route:${i}` });
    d.edge(edge, id, "traffic");
    d.edge(id, route.toKind === "service" ? partId("service", route.to) : partId("resource", route.to), "traffic");
  });
  for (const open of stack.edge.open) {
    const service = stack.services.find((s) => s.port === open.port);
    if (service && portIsOpen(stack, service.port)) d.edge(edge, partId("service", service.name), "traffic", `${open.port}/${open.protocol}`);
  }
  // A stack without routes whose one service answers `/` (as `cairn up` serves it) still gets its arrow.
  if (stack.routes.length === 0 && proxy) for (const s of stack.services) if (s.port !== null) d.edge(edge, partId("service", s.name), "traffic");
}

function addDependencies(d: DiagramBuilder, stack: Stack, w: Words): void {
  const services = new Set(stack.services.map((s) => s.name));
  for (const p of [...stack.services, ...stack.jobs]) {
    const from = partId(p.kind, p.name);
    for (const dep of p.dependsOn) {
      if (services.has(dep)) d.edge(from, partId("service", dep), "call");
      else d.edge(from, partId("resource", dep), "data");
    }
    for (const r of p.uses) d.edge(from, partId("resource", r), "data");
  }
  if (stack.secrets.length) {
    const id = d.node({ id: "secrets", kind: "secret", title: w.t("diagram.secrets"), lines: stack.secrets.map((s) => s.name), ref: "secrets" });
    for (const p of [...stack.services, ...stack.jobs]) if (p.secrets.length) d.edge(id, partId(p.kind, p.name), "secret");
  }
}

/** The logical view of one environment. */
export function logicalView(stack: Stack, w: Words): Diagram {
  const d = new DiagramBuilder();
  addProcesses(d, stack, w);
  addResources(d, stack, w);
  addEdge(d, stack, w);
  addDependencies(d, stack, w);
  return d.build("logical", w.t("diagram.title.logical", { stack: stack.name, env: stack.environment.name }));
}
