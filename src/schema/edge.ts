/** Schema of `routes`, `edge`, `alarms`, `logs` and `secrets`: how the stack meets the world and is watched. */
import { z } from "zod";
import { DEFAULTS, durationText, sizeText } from "../model/defaults.js";
import { cidr, duration, port, size } from "./fields.js";

export const route = z.strictObject({
  host: z.string().optional().meta({ description: "Host name; `{domain}` is the environment's domain." }),
  path: z.string().startsWith("/").optional().meta({ description: "Path prefix (longest wins)." }),
  to: z.string().meta({ description: "Service (or static resource) that answers." }),
  strip: z.boolean().optional().meta({ description: "Remove the path prefix before forwarding (default false)." }),
});

export const rateLimit = z
  .union([
    z.string().regex(/^\d+\s*\/\s*(s|sec|second|m|min|minute|h|hour)$/, "must look like 100/min, 10/s or 1000/hour"),
    z.strictObject({ requests: z.number().int().positive(), per: duration, burst: z.number().int().min(0).optional() }),
  ])
  .meta({ description: "Requests allowed per client IP: `100/min` or {requests, per, burst}." });

export const openPort = z.strictObject({
  port,
  protocol: z.enum(["tcp", "udp"]).optional(),
  from: z
    .union([cidr, z.array(cidr)])
    .optional()
    .meta({ description: "Who may connect (default anywhere)." }),
  description: z.string().optional(),
});

export const edge = z.strictObject({
  port: port.optional().meta({ description: "Public port (default 80, or 443 with TLS)." }),
  tls: z
    .union([
      z.literal("auto"),
      z.literal(false),
      z.strictObject({ certificate: z.string() }),
      z.strictObject({
        cert: z.string().meta({ description: "Certificate chain (PEM), relative to the stack file." }),
        key: z.string().meta({ description: "Its private key (PEM), relative to the stack file." }),
      }),
    ])
    .optional()
    .meta({ description: "auto (Let's Encrypt / ACM by domain), false, a certificate ARN, or your own {cert, key} files." }),
  redirect_http: z.boolean().optional().meta({ description: "Answer HTTP with a redirect to HTTPS (default true with TLS)." }),
  rate_limit: rateLimit.optional(),
  waf: z
    .array(z.enum(["sqli", "xss", "bad-inputs", "ip-reputation", "geo"]))
    .optional()
    .meta({ description: "Managed firewall rule sets (AWS WAF on aws, ModSecurity hints on k8s; not applied by `cairn up`)." }),
  geo_block: z.array(z.string().length(2)).optional().meta({ description: "ISO country codes refused at the edge (not applied by `cairn up`)." }),
  allow: z.array(cidr).optional().meta({ description: "Only these addresses may reach the edge (`cairn up` also lets this machine in)." }),
  open: z.array(openPort).optional().meta({ description: "Extra ports open on the machine, such as SSH from one address." }),
  max_body: size.optional().meta({ description: `Largest request body, for services that set none (default ${sizeText(DEFAULTS.maxBodyBytes)}).` }),
  timeout: duration.optional().meta({ description: `Request timeout, for services that set none (default ${durationText(DEFAULTS.requestTimeoutMs)}).` }),
  cdn: z.boolean().optional().meta({ description: "Put a CDN in front of the edge (CloudFront on aws)." }),
});

export const alarm = z.union([
  z.string().meta({ description: "`metric > threshold for duration`, such as `cpu > 80% for 5m`." }),
  z.strictObject({
    metric: z.enum(["cpu", "memory", "error_rate", "p50", "p95", "p99", "requests", "healthy_hosts", "db_cpu", "db_connections", "cache_hit_rate"]),
    op: z.enum([">", ">=", "<", "<="]).optional(),
    threshold: z.union([z.number(), z.string()]),
    for: duration.optional(),
    service: z.string().optional(),
    notify: z.string().optional(),
  }),
]);

export const logs = z.strictObject({
  retention: duration.optional().meta({ description: "How long logs are kept (default 30d)." }),
  destination: z.enum(["local", "journal", "cloudwatch"]).optional(),
  group: z.string().optional().meta({ description: "Log group prefix (default /<stack name>)." }),
});

export const secret = z.strictObject({
  description: z.string().optional(),
  optional: z.boolean().optional(),
  generate: z.boolean().optional().meta({ description: "Generate a random value locally when none is given." }),
});

export const secrets = z
  .union([z.array(z.string()), z.record(z.string(), z.union([secret, z.string(), z.null()]))])
  .meta({ description: "Secrets by name (values never in the file): a list, or a map of name to description." });
