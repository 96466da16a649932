/** Sections: overview with the diagrams, components, routes and domains. */
import { healthText, rateText, replicasText, scheduleText, sizeText } from "../../diagram/describe.js";
import type { Stack } from "../../model/types.js";
import { edgeUrl, needsProxy, routeHost } from "../../targets/common/edge.js";
import { type Blocks, code } from "../document.js";
import type { Words } from "../i18n/words.js";
import type { GuideDiagram } from "./context.js";

/** The command a process runs, as written. */
export function commandText(p: { readonly command: { shell: string | null; argv: readonly string[] | null } | null; readonly image: string | null }): string {
  if (p.command?.shell) return code(p.command.shell);
  if (p.command?.argv) return code(p.command.argv.join(" "));
  return p.image ? code(p.image) : "—";
}

export function overview(b: Blocks, stack: Stack, w: Words, diagrams: readonly GuideDiagram[]): void {
  const env = stack.environment;
  b.h(2, w.t("guide.overview"));
  if (stack.description) b.p(stack.description);
  if (env.description) b.p(env.description);
  const facts = [
    w.t("guide.fact.target", { target: code(env.target) }),
    w.t("guide.fact.region", { region: code(env.region) }),
    ...(env.domain ? [w.t("guide.fact.domain", { domain: code(env.domain) })] : []),
    ...(env.instance ? [w.t("guide.fact.instance", { instance: code(env.instance), count: env.instances })] : []),
    w.t("guide.fact.parts", {
      services: w.t("count.services", { count: stack.services.length }),
      jobs: w.t("count.jobs", { count: stack.jobs.length }),
      resources: w.t("count.resources", { count: stack.resources.length }),
    }),
  ];
  if (needsProxy(stack)) facts.push(w.t("guide.fact.url", { url: code(edgeUrl(stack)) }));
  b.items(facts);
  for (const d of diagrams) b.push({ kind: "diagram", name: d.file, svg: d.svg, alt: d.alt });
}

export function components(b: Blocks, stack: Stack, w: Words): void {
  b.h(2, w.t("guide.components"));
  b.p(w.t("guide.components.intro"));
  b.table(
    [w.t("col.process"), w.t("col.kind"), w.t("col.command"), w.t("col.port"), w.t("col.size"), w.t("col.replicas"), w.t("col.health")],
    [
      ...stack.services.map((s) => [
        code(s.name),
        w.t("kind.service"),
        commandText(s),
        s.port === null ? "—" : code(s.port),
        sizeText(w, s.size),
        replicasText(w, s),
        s.health
          ? `${healthText(w, s.health)}${w.t("sep")}${w.t("guide.healthDetail", { timeout: w.duration(s.health.timeoutMs), healthy: s.health.healthy, unhealthy: s.health.unhealthy, grace: w.duration(s.health.graceMs) })}`
          : w.t("health.none"),
      ]),
      ...stack.jobs.map((j) => [code(j.name), w.t("kind.job"), commandText(j), "—", sizeText(w, j.size), scheduleText(w, j), "—"]),
    ],
  );
  // What each process is for, in the file's own words.
  b.items([...stack.services, ...stack.jobs].flatMap((p) => (p.description ? [w.t("guide.costs.noteLine", { what: code(p.name), note: p.description })] : [])));
  const restarts = stack.services.map((s) =>
    w.t("guide.restart", { service: code(s.name), policy: s.restart.policy, delay: w.duration(s.restart.delayMs), stop: w.duration(s.stopTimeoutMs) }),
  );
  b.items(restarts);
  const scaled = stack.services.filter((s) => s.scale);
  for (const s of scaled) {
    const scale = s.scale;
    if (scale)
      b.p(w.t("guide.scaling", { service: code(s.name), out: w.duration(scale.cooldownOutMs), in: w.duration(scale.cooldownInMs), range: replicasText(w, s) }));
  }
}

export function routes(b: Blocks, stack: Stack, w: Words): void {
  b.h(2, w.t("guide.routes"));
  if (!stack.routes.length) {
    const open = stack.edge.open.filter((o) => stack.services.some((s) => s.port === o.port));
    b.p(open.length ? w.t("guide.routes.direct", { ports: open.map((o) => code(o.port)).join(", ") }) : w.t("guide.routes.none"));
    return;
  }
  b.p(needsProxy(stack) ? w.t("guide.routes.intro", { url: code(edgeUrl(stack)) }) : w.t("guide.routes.none"));
  b.table(
    [w.t("col.host"), w.t("col.path"), w.t("col.to"), w.t("col.notes")],
    stack.routes.map((r) => {
      const service = stack.services.find((s) => s.name === r.to);
      const notes = [
        r.strip ? w.t("route.strip") : null,
        service?.websockets ? "WebSocket" : null,
        service?.stickyMs ? w.t("service.sticky", { duration: w.duration(service.stickyMs) }) : null,
        r.toKind === "static" ? w.t("resource.static") : null,
      ].filter((x): x is string => x !== null);
      return [routeHost(r, stack) ?? w.t("guide.anyHost"), code(r.path), code(r.to), notes.join(", ")];
    }),
  );
  const e = stack.edge;
  b.items([
    w.t("guide.edge.timeouts", { timeout: w.duration(e.timeoutMs), body: w.bytes(e.maxBodyBytes) }),
    ...(e.rateLimit ? [w.t("edge.rateLimit", { rate: rateText(w, e.rateLimit) })] : []),
  ]);
}
