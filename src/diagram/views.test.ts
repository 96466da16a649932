/**
 * The views as data and as text, on every example and on generated stacks: every service, job,
 * resource and route is one box, every dependency one arrow (in the logical view), the target views
 * show what their generator builds, the SVG carries them, and the Mermaid text names them once.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wordsFor } from "../guide/i18n/words.js";
import type { Stack } from "../model/types.js";
import { planVm } from "../targets/vm/plan.js";
import { exampleNames, loadExample } from "../test-support/index.js";
import { renderMermaid } from "./mermaid.js";
import { svgOf } from "./render.js";
import { vmFacts } from "./sources/vm.js";
import { exampleCases, stackOf, stackText } from "./test-support.js";
import type { Diagram } from "./types.js";
import { buildView } from "./views/index.js";
import { loadView } from "./views/load-view.js";
import { logicalView } from "./views/logical.js";

const en = wordsFor("en");

function refsOf(diagram: Diagram): string[] {
  return diagram.nodes.flatMap((n) => (n.ref ? [n.ref] : [])).sort();
}

/** What the logical view must show once each, and the arrows it must draw. */
function expectedLogical(stack: Stack) {
  const refs = [
    ...stack.services.map((s) => `service:${s.name}`),
    ...stack.jobs.map((j) => `job:${j.name}`),
    ...stack.resources.map((r) => `resource:${r.name}`),
    ...stack.routes.map((_, i) => `route:${i}`),
  ];
  const services = new Set(stack.services.map((s) => s.name));
  const arrows = [...stack.services, ...stack.jobs].flatMap((p) => [
    ...p.dependsOn.map((d) => `${p.kind}:${p.name} -> ${services.has(d) ? "service" : "resource"}:${d}`),
    ...p.uses.map((r) => `${p.kind}:${p.name} -> resource:${r}`),
  ]);
  return { refs, arrows };
}

function checkLogical(stack: Stack): void {
  const diagram = logicalView(stack, en);
  const { refs, arrows } = expectedLogical(stack);
  expect(refsOf(diagram).filter((r) => r !== "edge" && r !== "secrets")).toEqual([...refs].sort());
  const drawn = new Set(diagram.edges.map((e) => `${e.from} -> ${e.to}`));
  expect(arrows.filter((a) => !drawn.has(a))).toEqual([]);
  stack.routes.forEach((r, i) => {
    expect(drawn.has(`route:${i} -> ${r.toKind === "service" ? "service" : "resource"}:${r.to}`)).toBe(true);
  });
  for (const s of stack.secrets) expect(diagram.nodes.find((n) => n.id === "secrets")?.lines).toContain(s.name);
}

describe("diagram views", async () => {
  const cases = await exampleCases();

  it("covers every example environment with its views", () => {
    expect(cases.filter((c) => c.view !== "logical").map((c) => c.name)).toEqual([
      "mangetamain-production-vm",
      "cityflow-mvp-vm",
      "cityflow-recommended-vm",
      "harena-fargate-aws",
      "forestguard-mvp-vm",
      "forestguard-production-aws",
      "forestguard-scale-up-aws",
    ]);
  });

  it("loads, view by view, the same builders as index.ts holds", async () => {
    for (const c of cases) expect([c.name, (await loadView(c.view))(c.stack, en)]).toEqual([c.name, buildView(c.stack, c.view, en)]);
    expect(await loadView("logical")).toBe(logicalView);
    expect(await loadView("k8s")).not.toBe(await loadView("vm"));
  });

  for (const c of cases.filter((x) => x.view === "logical")) it(`${c.name}: every part once, every dependency an arrow`, () => checkLogical(c.stack));

  it("holds on generated stacks too", () => {
    fc.assert(
      fc.property(stackText, (text) => checkLogical(stackOf(text))),
      { numRuns: 60 },
    );
  });

  for (const c of cases.filter((x) => x.view !== "logical"))
    it(`${c.name}: every process once, inside what the target builds`, () => {
      const diagram = buildView(c.stack, c.view, en);
      const processes = [...c.stack.services.map((s) => `service:${s.name}`), ...c.stack.jobs.map((j) => `job:${j.name}`)];
      const refs = refsOf(diagram);
      for (const p of processes)
        expect(
          refs.filter((r) => r === p),
          p,
        ).toHaveLength(1);
      const container = c.view === "vm" ? "machine" : c.view === "aws" ? "region" : "namespace";
      const inside = (id: string): boolean => {
        const node = diagram.nodes.find((n) => n.id === id);
        return !!node?.parent && (node.parent === container || inside(node.parent));
      };
      for (const p of processes) expect(inside(p), p).toBe(true);
      expect(new Set(diagram.nodes.map((n) => n.id)).size).toBe(diagram.nodes.length);
    });

  it("draws the aws view from the plan: the VPC, both subnet groups, the ALB, WAF, NAT, RDS Multi-AZ with its replica, ElastiCache", () => {
    const c = cases.find((x) => x.name === "forestguard-production-aws");
    if (!c) throw new Error("no case");
    const d = buildView(c.stack, "aws", en);
    const title = (id: string) => d.nodes.find((n) => n.id === id);
    expect(title("vpc")?.parent).toBe("region");
    expect(title("public")?.parent).toBe("vpc");
    expect(title("load-balancer")?.parent).toBe("public");
    expect(title("nat")?.parent).toBe("public");
    expect(title("service:dashboard")?.parent).toBe("private");
    expect(title("service:dashboard")?.lines).toContain("3 tasks (2 to 10, autoscaled)");
    expect(title("resource:db")?.lines).toEqual(expect.arrayContaining(["100 GB · Multi-AZ", "1 read replica"]));
    expect(title("resource:cache")?.lines[1]).toContain("primary + 1 replica");
    expect(title("waf")?.lines).toEqual(expect.arrayContaining(["SQLi", "XSS", "rate limit 100/min per client"]));
    // The target builds no CloudFront distribution: the picture says so instead of drawing one.
    expect(d.notes.some((n) => n.startsWith("edge.cdn: no CloudFront distribution"))).toBe(true);
    expect(d.edges.map((e) => `${e.from} -> ${e.to} ${e.label}`)).toEqual(
      expect.arrayContaining([
        "service:dashboard -> resource:db 5432/tcp",
        "service:dashboard -> resource:cache 6379/tcp",
        "load-balancer -> service:dashboard /",
      ]),
    );
  });

  it("draws the k8s view from the manifests: namespace, Ingress, Deployments with their HPA, CronJobs, StatefulSets", async () => {
    const { exampleStacks } = await import("../guide/test-support.js");
    const base = (await exampleStacks("forestguard")).find((s) => s.environment.name === "production");
    const cityflow = (await exampleStacks("cityflow")).find((s) => s.environment.name === "mvp");
    if (!base || !cityflow) throw new Error("no stack");
    // The same stacks on a cluster: data stores that run beside the app become StatefulSets.
    const asK8s = (s: Stack): Stack => ({
      ...s,
      environment: { ...s.environment, target: "k8s" },
      resources: s.resources.map((r) => (r.type === "postgres" || r.type === "redis" ? { ...r, placement: "self" as const } : r)),
    });
    const d = buildView(asK8s(base), "k8s", en);
    const node = (id: string) => d.nodes.find((n) => n.id === id);
    expect(node("service:dashboard")?.lines).toEqual(expect.arrayContaining(["Deployment · 3 replicas", "HPA 2 to 10 · cpu 70%, memory 80%"]));
    expect(node("resource:db")?.lines[0]).toMatch(/^StatefulSet · PVC \d+Gi$/);
    expect(d.nodes.some((n) => n.title.startsWith("Ingress ") && n.parent === "namespace")).toBe(true);
    const jobs = buildView(asK8s(cityflow), "k8s", en);
    expect(jobs.nodes.find((n) => n.id === "job:processor")?.lines[0]).toBe("CronJob 0 2 * * * (Europe/Paris)");
    expect(jobs.nodes.find((n) => n.id === "resource:metrics")?.parent).toBeNull();
  });

  it("draws the vm view from the vm plan of every vm environment: one line per firewall rule, one unit per replica, the plan's timers", async () => {
    for (const name of exampleNames)
      for (const stack of (await loadExample(name)).values()) {
        if (stack.environment.target !== "vm") continue;
        const plan = planVm(stack);
        const d = buildView(stack, "vm", en);
        const node = (id: string) => d.nodes.find((n) => n.id === id);
        expect(
          node("ufw")
            ?.lines.slice(1)
            .map((l) => l.split(" ")[0]),
          name,
        ).toEqual(plan.firewall.map((r) => `${r.port}/${r.protocol}`));
        for (const s of stack.services)
          expect(
            node(`service:${s.name}`)?.lines.filter((l) => l.endsWith(".service")),
            name,
          ).toEqual(plan.replicas.filter((r) => r.service === s.name).map((r) => r.unit));
        expect(vmFacts(stack).timers).toEqual(plan.timers);
      }
  });

  it("draws the vm view from the vm plan: units by port, the timer, nginx and ufw", () => {
    const c = cases.find((x) => x.name === "cityflow-mvp-vm");
    if (!c) throw new Error("no case");
    const d = buildView(c.stack, "vm", en);
    const node = (id: string) => d.nodes.find((n) => n.id === id);
    expect(node("machine")?.title).toBe("EC2 t3.medium");
    expect(node("service:api")?.lines[0]).toBe("cityflow-api@5001.service");
    expect(node("job:processor")?.lines).toContain("OnCalendar=*-*-* 02:00:00 Europe/Paris");
    expect(node("nginx")?.lines).toEqual(["listens on 80, 443"]);
    expect(node("ufw")?.lines).toEqual(expect.arrayContaining(["443/tcp from anywhere (edge)", "22/tcp from 198.51.100.7/32 (admin SSH)"]));
    expect(node("resource:metrics")?.parent).toBeNull();
  });

  for (const c of cases.slice(0, 6))
    it(`${c.name}: the SVG carries each box and arrow, and the Mermaid text names each box once`, async () => {
      const diagram = buildView(c.stack, c.view, en);
      const svg = await svgOf(diagram, en);
      for (const n of diagram.nodes) expect(svg).toContain(`data-id="${n.id}"`);
      for (const e of diagram.edges) expect(svg).toContain(`data-from="${e.from}" data-to="${e.to}"`);
      const mermaid = renderMermaid(diagram);
      expect(mermaid.split("\n").filter((l) => /^\s+n\d+\[/.test(l) || /^\s+subgraph n\d+\[/.test(l))).toHaveLength(diagram.nodes.length);
      expect(mermaid.split("\n").filter((l) => /^\s+n\d+ [=.-]+/.test(l))).toHaveLength(diagram.edges.length);
    });

  it("keeps hostile names as text in SVG and Mermaid", async () => {
    const d: Diagram = {
      view: "logical",
      title: `a <b> & "c" 'd'`,
      nodes: [{ id: "x", kind: "service", title: `</text><script>alert(1)</script>`, lines: ['"]:::x --> y|z|'], parent: null, ref: null }],
      edges: [],
      notes: ["<!-- -->"],
    };
    const svg = await svgOf(d, en);
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;/text&gt;&lt;script&gt;");
    const mermaid = renderMermaid(d);
    expect(mermaid).not.toMatch(/"\]:::x/);
    expect(mermaid).toContain("#34;]:::x --#62; y#124;z#124;");
  });
});
