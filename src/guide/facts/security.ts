/**
 * The network table of an environment, as its target builds it: ufw rules for vm (read from the
 * generated firewall.sh), security groups for aws (from the plan), NetworkPolicies for k8s (from the
 * manifests), published ports for compose, the gateway for a local run.
 */
import { sourcesText } from "../../diagram/describe.js";
import { awsFacts, LOAD_BALANCER } from "../../diagram/sources/aws.js";
import { k8sFacts } from "../../diagram/sources/k8s.js";
import { vmFacts } from "../../diagram/sources/vm.js";
import type { Stack } from "../../model/types.js";
import { publicPorts } from "../../targets/common/public-ports.js";
import { code } from "../document.js";
import type { Words } from "../i18n/words.js";

/** One row: where the rule applies, port, protocol, source, purpose. */
export type SecurityRow = readonly [string, string, string, string, string];

function vmRows(stack: Stack, w: Words): SecurityRow[] {
  const facts = vmFacts(stack);
  const host = w.t("security.machine");
  const rows: SecurityRow[] = facts.firewall.map((r) => [
    host,
    String(r.port),
    r.protocol.toUpperCase(),
    sourcesText(w, [r.from]) + (r.action === "limit" ? ` (${w.t("security.rateLimited")})` : ""),
    r.purpose === "edge" ? w.t("security.purpose.edge") : r.comment,
  ]);
  rows.push([host, w.t("security.allOther"), "TCP/UDP", sourcesText(w, ["any"]), w.t("security.denied")]);
  const inner = [...new Set([...facts.units.flatMap((u) => [...u.ports, ...u.sparePorts]), ...facts.stores.map((s) => s.port)])]
    .filter((p) => !facts.firewall.some((r) => r.port === p))
    .sort((a, b) => a - b);
  if (inner.length) rows.push([host, inner.join(", "), "TCP", "127.0.0.1", w.t("security.loopback")]);
  return rows;
}

function awsRows(stack: Stack, w: Words): SecurityRow[] {
  const { rules } = awsFacts(stack);
  const group = (name: string) => (name === LOAD_BALANCER ? w.t("security.loadBalancer") : name);
  return rules.map((r) => [
    w.t("security.group", { name: group(r.group) }),
    String(r.port),
    "TCP",
    r.source.kind === "cidr" ? sourcesText(w, [r.source.cidr]) : w.t("security.group", { name: group(r.source.name) }),
    w.t(`security.purpose.${r.purpose}`),
  ]);
}

function k8sRows(stack: Stack, w: Words): SecurityRow[] {
  const { flows, namespace } = k8sFacts(stack);
  const rows: SecurityRow[] = [[`namespace ${namespace}`, w.t("security.all"), "TCP", w.t("security.anyPod"), w.t("security.defaultDeny")]];
  for (const f of flows) {
    const source =
      f.from.kind === "pods" ? w.t("security.pods", { name: f.from.name }) : f.from.kind === "ingress" ? "ingress-nginx" : sourcesText(w, [f.from.cidr]);
    rows.push([w.t("security.pods", { name: f.to }), String(f.port), "TCP", source, code(f.policy)]);
  }
  return rows;
}

/** The machine's port rules (`publicPorts`, as the vm firewall and the security group have them), SSH aside: compose and local runs do not manage it. */
function edgeRows(stack: Stack, w: Words, where: string, local: boolean): SecurityRow[] {
  return publicPorts(stack)
    .filter((r) => r.purpose !== "ssh")
    .map((r) => [
      where,
      String(r.port),
      r.protocol.toUpperCase(),
      local && r.purpose === "edge" ? "127.0.0.1" : sourcesText(w, r.sources),
      r.purpose === "edge" ? w.t("security.purpose.edge") : r.description,
    ]);
}

/** The rows of the network table for the environment's target. */
export function securityRows(stack: Stack, w: Words): SecurityRow[] {
  switch (stack.environment.target) {
    case "vm":
      return vmRows(stack, w);
    case "aws":
      return awsRows(stack, w);
    case "k8s":
      return k8sRows(stack, w);
    case "compose":
      return edgeRows(stack, w, w.t("security.machine"), false);
    case "local":
      return edgeRows(stack, w, w.t("security.thisMachine"), true);
  }
}
