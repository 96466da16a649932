/** Lines of the public side every cloud option shares: data out, public IPv4, DNS, CDN, WAF. Pure. */
import { type PricingContext, resourceId } from "./context.js";
import { gb } from "./lines.js";

const IPV4_NOTE = "every public IPv4 is billed hourly since Feb 2024, attached or not (an Elastic IP is not free)";

/** Internet egress from the region, first tier; AWS's 100 GB/month free allowance is not in the catalog, so not applied. */
export function dataOut(ctx: PricingContext): void {
  const quantity = gb(ctx.stack.environment.usage.dataOutBytes);
  ctx.bill.add({
    components: ["data-out"],
    service: "Data transfer",
    item: "out to the internet",
    price: { service: "data-transfer", sku: "out to internet, first tier (0-10 TB/month)", region: ctx.region },
    quantity,
    note: "first tier ($/GB up to 10 TB); the 100 GB/month free allowance is not applied",
  });
}

/** Public IPv4 addresses, hourly. */
export function publicIpv4(ctx: PricingContext, count: number, what: string, elastic = false): void {
  if (count <= 0) return;
  // An Elastic IP stays allocated, and billed, while its instance is stopped.
  const hours = elastic ? Math.max(ctx.hours, 730) : ctx.hours;
  ctx.bill.add({
    components: ["edge"],
    service: "Public IPv4",
    item: `${count} address${count === 1 ? "" : "es"} (${what})`,
    price: { service: "vpc-public-ipv4", sku: "in-use-public-ipv4 (attached Elastic IP / public IP)", region: ctx.region },
    quantity: count * hours,
    unit: "address-hours",
    note: elastic && hours !== ctx.hours ? `${IPV4_NOTE}; billed while the instance is stopped` : IPV4_NOTE,
  });
}

/** One Route 53 hosted zone for the domain; queries depend on resolvers' caching and are listed, not priced. */
export function dns(ctx: PricingContext): void {
  const domain = ctx.stack.environment.domain;
  if (!domain || ctx.option === "local") return;
  ctx.bill.add({
    components: ["domain"],
    service: "Route 53",
    item: `hosted zone ${domain}`,
    price: { service: "route53", sku: "hosted zone (first 25 per account)", region: "global" },
    quantity: 1,
    unit: "zone-month",
    note: "queries not included: $0.40 per million, cached by resolvers",
  });
  ctx.bill.assume(`Route 53: one hosted zone for ${domain}; DNS queries are not priced ($0.40 per million in the catalog).`);
}

const edgeRegion = (region: string) => (region.startsWith("us-") ? "edge:united-states" : "edge:europe");

/** CloudFront when the edge uses a CDN or a managed bucket or site asks for one. */
export function cdn(ctx: PricingContext): void {
  const { stack } = ctx;
  const cdnResources = stack.resources.filter((r) => (r.type === "bucket" || r.type === "static") && r.cdn);
  const managedCdn = cdnResources.filter((r) => ctx.placements.get(r.name) === "managed");
  for (const r of cdnResources.filter((x) => !managedCdn.includes(x))) {
    if (!stack.edge.cdn) ctx.bill.skip(resourceId(r.name), "cdn: served by the gateway on the machine (a CDN needs a managed bucket or edge.cdn)");
  }
  if (!stack.edge.cdn && managedCdn.length === 0) return;
  const components = [...(stack.edge.cdn ? ["edge"] : []), ...managedCdn.map((r) => resourceId(r.name))];
  const usage = stack.environment.usage;
  const total = gb(usage.cdnOutBytes);
  const free = Math.min(total, 1024);
  const region = edgeRegion(ctx.region);
  ctx.bill.add({
    components,
    service: "CloudFront",
    item: "data out, always-free first 1,024 GB",
    price: { service: "cloudfront", sku: "always-free data transfer out (first 1,024 GB/month)", region: "edge:any" },
    quantity: free,
    note: "CloudFront's always-free tier (in the catalog), once per account",
  });
  if (total > 1024) {
    ctx.bill.add({
      components,
      service: "CloudFront",
      item: "data out beyond 1,024 GB",
      price: { service: "cloudfront", sku: "data transfer out to internet, first 10 TB", region },
      quantity: total - 1024,
    });
  }
  const https = stack.edge.tls.mode !== "off";
  ctx.bill.add({
    components,
    service: "CloudFront",
    item: `${https ? "HTTPS" : "HTTP"} requests`,
    price: { service: "cloudfront", sku: `${https ? "HTTPS" : "HTTP"} request`, region },
    quantity: usage.requests,
    note: "every request counted at the CDN; its free request allowance is not in the catalog",
  });
}

/** AWS WAF (web ACL, one rule per protection, requests) in front of an ALB or CloudFront. */
export function waf(ctx: PricingContext, hasAwsEdge: boolean): void {
  const { edge } = ctx.stack;
  if (edge.waf.length === 0) return;
  if (!hasAwsEdge) {
    ctx.bill.skip("edge", `WAF rules (${edge.waf.join(", ")}) are enforced by the gateway on the machine: no AWS WAF on ${ctx.option}`);
    return;
  }
  const rules = edge.waf.length + (edge.rateLimit ? 1 : 0) + (edge.geoBlock.length && !edge.waf.includes("geo") ? 1 : 0);
  const c = ["edge"];
  ctx.bill.add({
    components: c,
    service: "WAF",
    item: "web ACL",
    price: { service: "waf", sku: "web ACL", region: ctx.region },
    quantity: 1,
    unit: "ACL-month",
  });
  ctx.bill.add({
    components: c,
    service: "WAF",
    item: `${rules} rules`,
    price: { service: "waf", sku: "rule", region: ctx.region },
    quantity: rules,
    unit: "rule-month",
    note: `${edge.waf.join(", ")}${edge.rateLimit ? ", rate limit" : ""}: one rule each`,
  });
  ctx.bill.add({
    components: c,
    service: "WAF",
    item: "requests inspected",
    price: { service: "waf", sku: "request (base, up to default WCU/body)", region: ctx.region },
    quantity: ctx.stack.environment.usage.requests,
  });
}
