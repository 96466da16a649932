/**
 * The guide's verification checklist is `cairn verify`'s own list of checks: every check verify
 * plans for an environment has its line, and a check added to the stack (hence to verify's plan)
 * shows up in the guide with no change to the guide.
 */
import { describe, expect, it } from "vitest";
import { exampleNames, loadExample, stackFrom } from "../test-support/index.js";
import { hostsOf } from "../verify/hosts.js";
import { plannedChecks, verificationChecklist } from "./facts/checks.js";
import { wordsFor } from "./i18n/words.js";

const w = wordsFor("en");

describe("the verification checklist", () => {
  it("has one line per check verify plans, naming what it probes, for every environment of the examples", async () => {
    let checked = 0;
    for (const name of exampleNames)
      for (const stack of (await loadExample(name)).values()) {
        const checks = plannedChecks(stack);
        const items = verificationChecklist(stack, w);
        expect(items[0]).toContain(`cairn verify --env ${stack.environment.name}`);
        const lines = items.slice(1, 1 + checks.length);
        checks.forEach((check, i) => {
          const target = check.probe.kind === "ports" ? check.probe.address : check.target;
          expect(lines[i], `${name}/${stack.environment.name} ${check.kind}`).toContain(`\`${target}\``);
        });
        checked += checks.length;
      }
    expect(checked).toBeGreaterThan(40);
  });

  it("a check added to verify's plan (a WebSocket, a rate limit, a host) shows up in the guide", () => {
    const text = (extra: { ws?: string; edge?: string; hosts?: string } = {}) =>
      stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000, health: /health${extra.ws ?? ""} } }
routes: [{ path: /, to: web }]
edge: { tls: false${extra.edge ?? ""} }
environments: { prod: { target: vm, domain: shop.example.org${extra.hosts ?? ""} } }
`);
    const kinds = (stack: ReturnType<typeof text>) => plannedChecks(stack).map((c) => c.kind);
    const base = text();
    expect(kinds(base)).toEqual(["route", "health", "ports", "unit"]);
    const richer = text({ ws: ", websockets: /live", edge: ", rate_limit: 50/min", hosts: ", hosts: [admin@203.0.113.10]" });
    expect(kinds(richer)).toEqual(["route", "health", "websocket", "ports", "unit", "rate-limit"]);
    const before = verificationChecklist(base, w);
    const after = verificationChecklist(richer, w);
    expect(after.length - before.length).toBe(2);
    expect(after.find((l) => l.includes("WebSocket"))).toContain("`ws://shop.example.org/live`");
    expect(after.find((l) => l.includes("429"))).toContain("50");
    // The host the file names replaces the placeholder, in the ports and SSH lines alike.
    expect(hostsOf(richer).map((h) => h.host)).toEqual(["203.0.113.10"]);
    expect(after.filter((l) => l.includes("203.0.113.10")).length).toBe(2);
    expect(before.filter((l) => l.includes("HOST")).length).toBe(2);
  });
});
