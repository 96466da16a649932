/** Sections: deployment steps, operations runbook and alarms, verification, troubleshooting, security. */
import { sourcesText } from "../../diagram/describe.js";
import type { Alarm, Stack } from "../../model/types.js";
import { needsProxy, tlsOn } from "../../targets/common/edge.js";
import { proxyPorts } from "../../targets/common/nginx.js";
import { type Blocks, code } from "../document.js";
import { verificationChecklist } from "../facts/checks.js";
import { deploymentSteps, type StackPath } from "../facts/deploy-steps.js";
import { portCommand, runbook } from "../facts/runbook.js";
import type { MessageKey } from "../i18n/catalog.js";
import type { Words } from "../i18n/words.js";

export function deployment(b: Blocks, stack: Stack, w: Words, where: StackPath): void {
  b.h(2, w.t("guide.deploy"));
  b.p(w.t(stack.environment.target === "local" ? "guide.deploy.local" : "guide.deploy.intro"));
  deploymentSteps(stack, w, where).forEach((step, i) => {
    b.p(w.t("guide.step", { n: String(i + 1), text: step.text }));
    if (step.commands) b.code(step.commands);
  });
}

function threshold(w: Words, a: Alarm): string {
  if (a.metric === "p50" || a.metric === "p95" || a.metric === "p99") return w.duration(a.threshold);
  if (a.metric === "cpu" || a.metric === "memory" || a.metric === "error_rate" || a.metric === "db_cpu" || a.metric === "cache_hit_rate")
    return `${w.number(a.threshold)} %`;
  return w.number(a.threshold);
}

const ACTIONS: Readonly<Record<string, MessageKey>> = {
  cpu: "alarm.do.cpu",
  memory: "alarm.do.memory",
  error_rate: "alarm.do.error_rate",
  p50: "alarm.do.latency",
  p95: "alarm.do.latency",
  p99: "alarm.do.latency",
  requests: "alarm.do.requests",
  healthy_hosts: "alarm.do.healthy_hosts",
  db_cpu: "alarm.do.db",
  db_connections: "alarm.do.db",
  cache_hit_rate: "alarm.do.cache",
};

export function operations(b: Blocks, stack: Stack, w: Words): void {
  b.h(2, w.t("guide.runbook"));
  for (const task of runbook(stack)) {
    b.p(w.t(task.what));
    b.code(task.commands);
  }
  b.h(3, w.t("guide.alarms"));
  if (!stack.alarms.length) {
    b.p(w.t("guide.alarms.none"));
    return;
  }
  const target = stack.environment.target;
  b.p(w.t(target === "aws" ? "guide.alarms.aws" : target === "k8s" ? "guide.alarms.k8s" : target === "vm" ? "guide.alarms.vm" : "guide.alarms.other"));
  b.table(
    [w.t("col.alarm"), w.t("col.when"), w.t("col.whatToDo")],
    stack.alarms.map((a) => [
      code(a.source),
      w.t("alarm.when", { metric: w.t(`metric.${a.metric}` as MessageKey), op: a.op, threshold: threshold(w, a), duration: w.duration(a.forMs) }),
      w.t(ACTIONS[a.metric] ?? "alarm.do.requests"),
    ]),
  );
}

export function verification(b: Blocks, stack: Stack, w: Words): void {
  b.h(2, w.t("guide.verify"));
  b.p(w.t("guide.verify.intro"));
  b.checks(verificationChecklist(stack, w));
}

export function troubleshooting(b: Blocks, stack: Stack, w: Words): void {
  b.h(2, w.t("guide.trouble"));
  const port = needsProxy(stack) ? proxyPorts(stack).main : (stack.services.find((s) => s.port !== null)?.port ?? 80);
  const health = stack.services.find((s) => s.health?.path && s.port !== null);
  const target = stack.environment.target;
  const items: [MessageKey, string | null][] = [
    ["trouble.port", portCommand(stack, port)],
    ["trouble.health", health ? `curl -v http://127.0.0.1:${health.port}${health.health?.path ?? "/"}` : null],
    [
      "trouble.gateway",
      target === "vm"
        ? `sudo tail -n 50 /var/log/nginx/${stack.name}-error.log`
        : target === "aws"
          ? "aws elbv2 describe-target-health --target-group-arn TARGET_GROUP_ARN"
          : null,
    ],
    [
      "trouble.certificate",
      tlsOn(stack)
        ? target === "vm"
          ? "sudo certbot certificates\nsudo certbot renew --dry-run"
          : target === "k8s"
            ? "kubectl get certificate -A"
            : target === "aws"
              ? "aws acm list-certificates"
              : null
        : null,
    ],
    ["trouble.disk", target === "vm" || target === "compose" ? "df -h\nsudo journalctl --disk-usage\nsudo journalctl --vacuum-time=7d" : null],
  ];
  for (const [key, command] of items) {
    b.p(w.t(key, { port: code(port), timeout: w.duration(stack.edge.timeoutMs) }));
    if (command) b.code(command);
  }
}

export function security(b: Blocks, stack: Stack, w: Words): void {
  b.h(2, w.t("guide.security"));
  const items: string[] = [];
  if (needsProxy(stack)) {
    const { main, redirect } = proxyPorts(stack);
    items.push(
      w.t("sec.edge", {
        ports: [main, redirect].filter((p) => p !== null).join(", "),
        from: sourcesText(w, stack.edge.allow.length ? stack.edge.allow : ["any"]),
      }),
    );
  }
  for (const o of stack.edge.open) items.push(w.t("sec.open", { port: `${o.port}/${o.protocol}`, from: sourcesText(w, o.from), what: o.description ?? "" }));
  if (!stack.edge.open.some((o) => o.port === 22) && (stack.environment.target === "vm" || stack.environment.target === "compose"))
    items.push(w.t("sec.sshAny"));
  items.push(w.t("sec.services"));
  const stores = stack.resources.filter((r) => (r.type === "postgres" || r.type === "redis") && r.placement !== "external");
  for (const r of stores) items.push(w.t("sec.store", { name: code(r.name), users: r.usedBy.map(code).join(", ") || "—" }));
  if (tlsOn(stack)) items.push(w.t(stack.edge.redirectHttp ? "sec.tlsRedirect" : "sec.tls"));
  else items.push(w.t("sec.noTls"));
  if (stack.edge.waf.length) items.push(w.t("edge.waf", { rules: stack.edge.waf.join(", ") }));
  if (stack.secrets.length) items.push(w.t("sec.secrets", { count: stack.secrets.length }));
  for (const r of stack.resources) if (r.type === "bucket" && r.public) items.push(w.t("sec.publicBucket", { name: code(r.name) }));
  b.items(items);
}
