/**
 * The vm view, from what the vm target puts on the machine: the instance with ufw's open ports,
 * nginx, each process as its systemd units (one per replica, by port) or timer, and the local data
 * stores inside; managed services and external systems outside.
 */

import type { Words } from "../../guide/i18n/words.js";
import type { Stack } from "../../model/types.js";
import { resourceLines, sizeText, sourcesText } from "../describe.js";
import { vmFacts } from "../sources/vm.js";
import { type Diagram, DiagramBuilder } from "../types.js";

/** The vm view of one environment. */
export function vmView(stack: Stack, w: Words): Diagram {
  const facts = vmFacts(stack);
  const env = stack.environment;
  const d = new DiagramBuilder();
  const internet = d.node({ id: "internet", kind: "internet", title: w.t("diagram.internet"), lines: [] });
  const machine = d.node({
    id: "machine",
    kind: "machine",
    title: env.instance ? `EC2 ${env.instance}` : w.t("vm.machine"),
    lines: [w.t("vm.disk", { size: w.bytes(env.diskBytes) }), env.region],
  });
  const rules = facts.firewall.map((r) => `${r.port}/${r.protocol} ${w.t("vm.from", { from: sourcesText(w, [r.from]) })}${r.comment ? ` (${r.comment})` : ""}`);
  const ufw = d.node({ id: "ufw", kind: "firewall", title: "ufw", lines: [w.t("vm.denyIncoming"), ...rules], parent: machine });
  d.edge(internet, ufw, "traffic");
  const nginx = facts.nginxPorts
    ? d.node({ id: "nginx", kind: "proxy", title: "nginx", lines: [w.t("vm.listens", { ports: facts.nginxPorts.join(", ") })], parent: machine })
    : null;
  if (nginx) d.edge(ufw, nginx, "traffic", facts.nginxPorts?.join(", ") ?? null);
  for (const u of facts.units) {
    const process = [...stack.services, ...stack.jobs].find((p) => p.name === u.process);
    const lines =
      u.kind === "service"
        ? [...u.units, sizeText(w, process?.size ?? { cpu: 0, memoryBytes: 0 })]
        : [u.units[0] ?? "", u.calendar ? `OnCalendar=${u.calendar}` : w.t("schedule.none")];
    const id = d.node({ id: `${u.kind}:${u.process}`, kind: u.kind, title: u.process, lines, parent: machine, ref: `${u.kind}:${u.process}` });
    if (nginx && u.ports.length && stack.services.find((s) => s.name === u.process)?.public) d.edge(nginx, id, "traffic", u.ports.join(", "));
    const direct = facts.firewall.find((r) => u.ports.includes(r.port));
    if (direct) d.edge(ufw, id, "traffic", `${direct.port}/${direct.protocol}`);
  }
  for (const s of facts.stores) {
    const r = stack.resources.find((x) => x.name === s.resource);
    d.node({
      id: `resource:${s.resource}`,
      kind: s.engine,
      title: s.resource,
      lines: [...(r ? resourceLines(w, r).slice(0, 1) : []), `${s.unit} :${s.port}`],
      parent: machine,
      ref: `resource:${s.resource}`,
    });
  }
  for (const r of facts.outside)
    d.node({
      id: `resource:${r.name}`,
      kind: r.type === "external" ? "external" : r.type,
      title: r.name,
      lines: resourceLines(w, r),
      ref: `resource:${r.name}`,
    });
  for (const site of stack.resources.filter((r) => r.type === "static"))
    d.node({
      id: `resource:${site.name}`,
      kind: "static",
      title: site.name,
      lines: [w.t("vm.servedByNginx"), site.dir],
      parent: machine,
      ref: `resource:${site.name}`,
    });
  for (const route of stack.routes) if (route.toKind === "static" && nginx) d.edge(nginx, `resource:${route.to}`, "traffic", route.path);
  for (const p of [...stack.services, ...stack.jobs]) {
    for (const r of p.uses) d.edge(`${p.kind}:${p.name}`, `resource:${r}`, "data");
    for (const dep of p.dependsOn) if (stack.services.some((s) => s.name === dep)) d.edge(`${p.kind}:${p.name}`, `service:${dep}`, "call");
  }
  d.notes.push(...facts.warnings.map((n) => w.t("diagram.note", { part: n.part, message: n.message, instead: n.instead })));
  return d.build("vm", w.t("diagram.title.vm", { stack: stack.name, env: env.name }));
}
