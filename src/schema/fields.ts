/**
 * Field types shared by every part of the stack schema: names, durations, sizes, percentages,
 * and the `${...}` template strings. Validation of units happens here, once, so that resolution
 * can trust what it reads.
 */
import { z } from "zod";
import { parseDuration, parsePercent, parseSize } from "./units.js";

/** A name used as a key (service, job, resource, environment): lower-case DNS label. */
export const nameKey = /^[a-z][a-z0-9-]{0,62}$/;

export const duration = z
  .union([z.string(), z.number()])
  .superRefine((value, ctx) => {
    const parsed = parseDuration(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error, params: { cairn: "unit" } });
  })
  .meta({ title: "duration", description: "A duration: a number and a unit (500ms, 30s, 5m, 1h, 7d) or a number of seconds." });

export const size = z
  .union([z.string(), z.number()])
  .superRefine((value, ctx) => {
    const parsed = parseSize(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error, params: { cairn: "unit" } });
  })
  .meta({ title: "size", description: "A size: a number and a unit (512Mi, 2Gi, 4GB, 200MB) or a number of bytes." });

export const percent = z
  .union([z.string(), z.number()])
  .superRefine((value, ctx) => {
    const parsed = parsePercent(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error, params: { cairn: "unit" } });
  })
  .meta({ title: "percentage", description: "A percentage from 0% to 100%." });

export const port = z.number().int().min(1).max(65535).meta({ description: "A TCP port from 1 to 65535." });

/** A string that may hold references such as `${db.url}` or `${secret.API_KEY}`. */
export const template = z
  .union([z.string(), z.number(), z.boolean()])
  .meta({ title: "value", description: "A value; `${resource.attr}`, `${service.url}`, `${secret.NAME}` and `${domain}` are replaced." });

export const command = z
  .union([z.string().min(1), z.array(z.string()).min(1)])
  .meta({ title: "command", description: "A command line, as a string run by a shell or as a list of arguments." });

export const envMap = z.record(z.string(), template).meta({ description: "Environment variables for the process." });

export const cidr = z
  .string()
  .regex(/^(\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?|[0-9a-fA-F:]+(\/\d{1,3})?)$/, "must be an IP address or CIDR block such as 203.0.113.7/32")
  .meta({ description: "An IPv4/IPv6 address or CIDR block." });
