/** The edge in the plan: listener, certificate, listener rules in priority order, WAF and its rate limit. */
import type { Route, Stack } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import type { Plan, PlanRoute, PlanWaf } from "./cdk/plan-types.js";

/** Host of a route in this environment: `{domain}` replaced; null when it cannot be known. */
export function hostOf(stack: Stack, route: Route): string | null {
  if (route.host === null) return null;
  const domain = stack.environment.domain;
  if (route.host.includes("{domain}")) return domain ? route.host.replaceAll("{domain}", domain) : null;
  return route.host;
}

/** Rules in the order the load balancer should try them: host rules first, then the longest path. */
export function planRoutes(stack: Stack, routable: ReadonlySet<string>, warnings: TargetNote[]): PlanRoute[] {
  const out: Omit<PlanRoute, "priority">[] = [];
  for (const route of stack.routes) {
    const part = `routes.${route.host ?? ""}${route.path}`;
    if (route.toKind === "static") {
      warnings.push({
        part,
        message: `the load balancer cannot serve the static site "${route.to}"`,
        instead: "no rule: publish the site from its bucket or a CDN",
      });
      continue;
    }
    if (!routable.has(route.to)) continue;
    if (route.strip)
      warnings.push({
        part: `${part}.strip`,
        message: "an Application Load Balancer cannot rewrite paths",
        instead: `requests reach ${route.to} with the ${route.path} prefix`,
      });
    if (route.host?.includes("{domain}") && !stack.environment.domain)
      warnings.push({ part, message: "the host needs a domain and the environment has none", instead: "a rule on the path only" });
    const path = route.path.replace(/\/+$/, "");
    out.push({ service: route.to, host: hostOf(stack, route), paths: path ? [path, `${path}/*`] : [] });
  }
  const rank = (r: Omit<PlanRoute, "priority">) => (r.host ? 0 : 1);
  const length = (r: Omit<PlanRoute, "priority">) => r.paths[0]?.length ?? 0;
  out.sort((a, b) => rank(a) - rank(b) || length(b) - length(a));
  return out.map((r, i) => ({ ...r, priority: (i + 1) * 10 }));
}

export function planListener(stack: Stack, warnings: TargetNote[]): Pick<Plan, "listener" | "certificate" | "url"> {
  const { edge } = stack;
  const domain = stack.environment.domain;
  let https = edge.tls.mode !== "off";
  let certificate: Plan["certificate"] = null;
  if (https && edge.tls.mode === "certificate" && edge.tls.certificate.startsWith("arn:")) certificate = { kind: "arn", arn: edge.tls.certificate };
  else if (https && domain) {
    if (edge.tls.mode === "certificate")
      warnings.push({
        part: "edge.tls.certificate",
        message: "a load balancer uses certificates from ACM, not files",
        instead: `an ACM certificate for ${domain}, validated by DNS`,
      });
    const hosts = stack.routes.map((r) => hostOf(stack, r)).filter((h): h is string => h !== null && h !== domain);
    certificate = { kind: "domain", domain, alternativeNames: [...new Set(hosts)].sort() };
  } else if (https) {
    https = false;
    warnings.push({ part: "edge.tls", message: "an HTTPS certificate needs a domain and the environment has none", instead: "HTTP only on port 80" });
  }
  const port = https ? (edge.port === 80 ? 443 : edge.port) : edge.port === 443 ? 80 : edge.port;
  const websockets = stack.services.some((s) => s.websockets && s.public);
  const timeout = Math.max(edge.timeoutMs, ...stack.services.filter((s) => s.public).map((s) => s.timeoutMs)) / 1000;
  return {
    listener: {
      port,
      https,
      redirectHttp: https && edge.redirectHttp,
      allow: edge.allow,
      // WebSocket sessions stay open through the idle timeout; an hour keeps quiet sessions alive.
      idleTimeoutSeconds: Math.min(4000, Math.max(1, Math.round(websockets ? Math.max(3600, timeout) : timeout))),
    },
    certificate,
    url: domain ? `${https ? "https" : "http"}://${domain}${(https && port !== 443) || (!https && port !== 80) ? `:${port}` : ""}` : null,
  };
}

/** WAF rate-based rules count over 1, 2, 5 or 10 minutes; other windows are converted to 5 minutes. */
const WINDOWS = [60, 120, 300, 600];

export function planWaf(stack: Stack, warnings: TargetNote[]): PlanWaf | null {
  const { edge } = stack;
  const geo = edge.waf.includes("geo") || edge.geoBlock.length > 0;
  if (edge.waf.includes("geo") && !edge.geoBlock.length)
    warnings.push({ part: "edge.waf", message: "geo blocking without `geo_block` countries", instead: "no geo rule" });
  let rateLimit: PlanWaf["rateLimit"] = null;
  if (edge.rateLimit) {
    const per = edge.rateLimit.perMs / 1000;
    const windowSeconds = WINDOWS.includes(per) ? per : 300;
    const wanted = Math.round((edge.rateLimit.requests * windowSeconds) / per);
    const limit = Math.max(10, wanted);
    if (windowSeconds !== per || limit !== wanted)
      warnings.push({
        part: "edge.rate_limit",
        message: `WAF counts requests over 1, 2, 5 or 10 minutes, at least 10 per window (${edge.rateLimit.requests} per ${per} s asked)`,
        instead: `${limit} requests per ${windowSeconds} s per client address`,
      });
    if (edge.rateLimit.burst > 0) warnings.push({ part: "edge.rate_limit.burst", message: "WAF has no burst allowance", instead: "the plain rate" });
    rateLimit = { limit, windowSeconds };
  }
  const waf = { sqli: edge.waf.includes("sqli"), xss: edge.waf.includes("xss"), geoBlock: geo ? edge.geoBlock : [], rateLimit };
  return waf.sqli || waf.xss || waf.geoBlock.length || waf.rateLimit ? waf : null;
}
