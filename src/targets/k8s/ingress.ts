/**
 * Routing through ingress-nginx: one Ingress per service (its annotations, such as the sticky
 * cookie, apply to a whole Ingress), and one more for its routes that strip their prefix.
 */
import type { Route, Service, Stack } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import { k8sName, metadata, seconds } from "./names.js";

const NGINX = "nginx.ingress.kubernetes.io";

/** What each annotation does, for the README. */
export const ANNOTATION_DOCS: Record<string, string> = {
  "cert-manager.io/cluster-issuer": "cert-manager obtains and renews the TLS certificate from this ClusterIssuer (create `letsencrypt` once per cluster).",
  [`${NGINX}/ssl-redirect`]: "redirects plain HTTP to HTTPS (the file's `redirect_http`).",
  [`${NGINX}/proxy-read-timeout`]: "seconds nginx waits for the service to answer; long for WebSocket services so an idle session stays open.",
  [`${NGINX}/proxy-send-timeout`]: "seconds nginx waits to send to the service; long for WebSocket services.",
  [`${NGINX}/proxy-body-size`]: "largest request body accepted (the service's `max_body`, else the edge's).",
  [`${NGINX}/affinity`]: "sticky sessions: a cookie pins a client to one pod (the service's `sticky`).",
  [`${NGINX}/affinity-mode`]: "`persistent`: a client stays on its pod even when pods are added.",
  [`${NGINX}/session-cookie-name`]: "name of the sticky-session cookie.",
  [`${NGINX}/session-cookie-max-age`]: "lifetime of the sticky-session cookie in seconds (the `sticky` duration).",
  [`${NGINX}/limit-rpm`]: "requests per minute allowed per client address (the edge's `rate_limit`).",
  [`${NGINX}/limit-rps`]: "requests per second allowed per client address (the edge's `rate_limit`).",
  [`${NGINX}/limit-burst-multiplier`]: "burst allowed above the rate, as a multiple of it.",
  [`${NGINX}/whitelist-source-range`]: "only these client addresses are served (the edge's `allow`).",
  [`${NGINX}/enable-modsecurity`]: "turns on the ModSecurity web application firewall (the edge's `waf`).",
  [`${NGINX}/enable-owasp-core-rules`]: "loads the OWASP core rule set, which blocks SQL injection and cross-site scripting.",
  [`${NGINX}/use-regex`]: "the paths of this Ingress are regular expressions (needed to strip a prefix).",
  [`${NGINX}/rewrite-target`]: "strips the route's prefix before the request reaches the service (`strip: true`).",
};

/** Host of a route in this environment: `{domain}` replaced, the domain for host-less routes. */
export function hostOf(stack: Stack, route: Route): string | null {
  const domain = stack.environment.domain;
  if (route.host === null) return domain;
  if (route.host.includes("{domain}")) return domain ? route.host.replaceAll("{domain}", domain) : null;
  return route.host;
}

function mb(bytes: number): string {
  return `${Math.ceil(bytes / 1e6)}m`;
}

function annotations(stack: Stack, service: Service, strip: boolean): Record<string, string> {
  const edge = stack.edge;
  const a: Record<string, string> = {};
  if (edge.tls.mode === "auto") a["cert-manager.io/cluster-issuer"] = "letsencrypt";
  a[`${NGINX}/ssl-redirect`] = String(edge.tls.mode !== "off" && edge.redirectHttp);
  const timeout = service.websockets ? 3600 : seconds(Math.max(service.timeoutMs, edge.timeoutMs));
  a[`${NGINX}/proxy-read-timeout`] = String(timeout);
  a[`${NGINX}/proxy-send-timeout`] = String(timeout);
  a[`${NGINX}/proxy-body-size`] = mb(Math.max(service.maxBodyBytes, edge.maxBodyBytes));
  if (service.stickyMs !== null) {
    a[`${NGINX}/affinity`] = "cookie";
    a[`${NGINX}/affinity-mode`] = "persistent";
    a[`${NGINX}/session-cookie-name`] = `${k8sName(service.name)}-affinity`;
    a[`${NGINX}/session-cookie-max-age`] = String(seconds(service.stickyMs));
  }
  const limit = edge.rateLimit;
  if (limit) {
    if (limit.perMs === 1000) a[`${NGINX}/limit-rps`] = String(limit.requests);
    else a[`${NGINX}/limit-rpm`] = String(Math.max(1, Math.round((limit.requests * 60_000) / limit.perMs)));
    if (limit.burst > 0) a[`${NGINX}/limit-burst-multiplier`] = String(Math.max(1, Math.ceil(limit.burst / limit.requests)));
  }
  if (edge.allow.length) a[`${NGINX}/whitelist-source-range`] = edge.allow.join(",");
  if (edge.waf.some((w) => w === "sqli" || w === "xss")) {
    a[`${NGINX}/enable-modsecurity`] = "true";
    a[`${NGINX}/enable-owasp-core-rules`] = "true";
  }
  if (strip) {
    a[`${NGINX}/use-regex`] = "true";
    a[`${NGINX}/rewrite-target`] = "/$2";
  }
  return a;
}

function ingress(stack: Stack, service: Service, routes: readonly Route[], strip: boolean): object {
  const port = service.port ?? 80;
  const byHost = new Map<string | null, Route[]>();
  for (const route of routes) {
    const host = hostOf(stack, route);
    byHost.set(host, [...(byHost.get(host) ?? []), route]);
  }
  const rules = [...byHost].map(([host, hostRoutes]) => ({
    ...(host ? { host } : {}),
    http: {
      paths: hostRoutes.map((route) => ({
        path: strip ? `${route.path.replace(/\/$/, "")}(/|$)(.*)` : route.path,
        pathType: strip ? "ImplementationSpecific" : "Prefix",
        backend: { service: { name: k8sName(service.name), port: { number: port } } },
      })),
    },
  }));
  const hosts = [...byHost.keys()].filter((h): h is string => h !== null).sort();
  const name = strip ? `${service.name}-strip` : service.name;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: metadata(stack, name, "web", annotations(stack, service, strip)),
    spec: {
      ingressClassName: "nginx",
      ...(stack.edge.tls.mode !== "off" && hosts.length ? { tls: [{ hosts, secretName: `${k8sName(stack.name)}-tls` }] } : {}),
      rules,
    },
  };
}

/** The Ingresses of the stack, and the warnings for what ingress-nginx cannot do. */
export function ingressObjects(stack: Stack, warnings: TargetNote[]): object[] {
  const out: object[] = [];
  for (const route of stack.routes)
    if (route.toKind === "static")
      warnings.push({
        part: `routes.${route.path}`,
        message: `static site "${route.to}" is not served from the cluster`,
        instead: "no route: serve it from a bucket or CDN",
      });
  if (stack.edge.geoBlock.length || stack.edge.waf.includes("geo"))
    warnings.push({
      part: "edge.geo_block",
      message: "ingress-nginx blocks countries only with a GeoIP2 database",
      instead: "no geo blocking: do it at the CDN or load balancer",
    });
  if (stack.routes.length && stack.edge.port !== 80 && stack.edge.port !== 443)
    warnings.push({ part: "edge.port", message: `port ${stack.edge.port}: the ingress controller listens on 80 and 443`, instead: "routes on 80/443" });
  const hostless = stack.routes.some((r) => hostOf(stack, r) === null);
  if (stack.edge.tls.mode !== "off" && hostless)
    warnings.push({
      part: "edge.tls",
      message: "TLS needs a host name and the environment has no domain",
      instead: "routes without host are served over HTTP only",
    });
  for (const service of stack.services) {
    const routes = stack.routes.filter((r) => r.toKind === "service" && r.to === service.name);
    if (!routes.length || !service.port) continue;
    const plain = routes.filter((r) => !r.strip);
    const stripped = routes.filter((r) => r.strip);
    if (plain.length) out.push(ingress(stack, service, plain, false));
    if (stripped.length) out.push(ingress(stack, service, stripped, true));
  }
  return out;
}
