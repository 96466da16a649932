/**
 * The verification checklist of an environment: what to probe from outside once it is deployed
 * (routes answer, health checks pass, TLS is valid, closed ports are closed, timers are there). This
 * is what `cairn verify` will check; until it lands, each item says how to check it by hand. The one
 * function to change when it lands: the guide reads only `verificationChecklist`.
 */
import { vmFacts } from "../../diagram/sources/vm.js";
import type { Stack } from "../../model/types.js";
import { needsProxy, routeHost, tlsOn } from "../../targets/common/edge.js";
import { proxyPorts } from "../../targets/common/nginx.js";
import { PORTS } from "../../targets/k8s/env.js";
import { namespaceOf } from "../../targets/k8s/names.js";
import { code } from "../document.js";
import type { Words } from "../i18n/words.js";

/** The public URL of every route and of every service whose port is opened directly. */
export function entryUrls(stack: Stack): string[] {
  const urls: string[] = [];
  const tls = tlsOn(stack);
  if (needsProxy(stack)) {
    const { main } = proxyPorts(stack);
    const port = main === (tls ? 443 : 80) ? "" : `:${main}`;
    for (const r of stack.routes) urls.push(`${tls ? "https" : "http"}://${routeHost(r, stack) ?? stack.environment.domain ?? "HOST"}${port}${r.path}`);
  }
  for (const o of stack.edge.open) if (stack.services.some((s) => s.port === o.port)) urls.push(`http://${stack.environment.domain ?? "HOST"}:${o.port}/`);
  return [...new Set(urls)];
}

/** Ports the stack uses inside that must not answer from outside. */
function closedPorts(stack: Stack): number[] {
  const open = new Set([
    ...stack.edge.open.map((o) => o.port),
    ...(needsProxy(stack) ? Object.values(proxyPorts(stack)).filter((p): p is number => p !== null) : []),
  ]);
  const inner =
    stack.environment.target === "vm" ? vmFacts(stack).units.flatMap((u) => u.ports) : stack.services.flatMap((s) => (s.port === null ? [] : [s.port]));
  const data = stack.resources.flatMap((r) =>
    r.placement === "external" ? [] : r.type === "postgres" ? [PORTS.postgres] : r.type === "redis" ? [PORTS.redis] : [],
  );
  return [...new Set([...inner, ...data])].filter((p) => !open.has(p)).sort((a, b) => a - b);
}

/** The checklist, each item with the command that checks it by hand. */
export function verificationChecklist(stack: Stack, w: Words): string[] {
  const items: string[] = [];
  for (const url of entryUrls(stack)) items.push(w.t("check.route", { url: code(url), command: code(`curl -fsS -o /dev/null -w '%{http_code}' ${url}`) }));
  for (const s of stack.services)
    if (s.health?.path && s.port !== null) items.push(w.t("check.health", { service: code(s.name), path: code(s.health.path), count: s.health.healthy }));
  if (tlsOn(stack) && needsProxy(stack)) {
    const hosts = [...new Set(stack.routes.map((r) => routeHost(r, stack) ?? stack.environment.domain).filter((h): h is string => !!h))];
    for (const host of hosts)
      items.push(
        w.t("check.tls", {
          host: code(host),
          command: code(`openssl s_client -connect ${host}:443 -servername ${host} </dev/null | openssl x509 -noout -dates`),
        }),
      );
  }
  const closed = closedPorts(stack);
  if (closed.length) items.push(w.t("check.closed", { ports: closed.join(", "), command: code(`nc -zv -w 3 HOST ${closed[0]}`) }));
  if (stack.jobs.some((j) => j.schedule)) {
    const target = stack.environment.target;
    const command =
      target === "vm"
        ? "systemctl list-timers"
        : target === "k8s"
          ? `kubectl -n ${namespaceOf(stack)} get cronjobs`
          : target === "aws"
            ? "aws scheduler list-schedules"
            : "cairn ps";
    items.push(
      w.t("check.timers", {
        jobs: stack.jobs
          .filter((j) => j.schedule)
          .map((j) => code(j.name))
          .join(", "),
        command: code(command),
      }),
    );
  }
  if (stack.alarms.length && stack.environment.target === "aws") items.push(w.t("check.alarms", { count: stack.alarms.length }));
  for (const r of stack.resources)
    if ("backups" in r && r.backups) items.push(w.t("check.backups", { resource: code(r.name), retention: w.duration(r.backups.retentionMs) }));
  return items;
}
