/**
 * The one message catalog: English keys and texts in `en.ts`, French in `fr.ts` (the type makes
 * every key present in both). A test fails when a French text equals its English one, unless the
 * key is listed in SAME_IN_BOTH (a port, a product name, a command).
 */
import { EN } from "./en.js";
import { FR } from "./fr.js";

/** A text, or its singular and plural forms. */
export type Message = string | { readonly one: string; readonly other: string };
export type MessageKey = keyof typeof EN;
export type Catalog = { readonly [K in MessageKey]: Message };

export const MESSAGES: { readonly en: Catalog; readonly fr: Catalog } = { en: EN, fr: FR };

/** Keys whose text is the same in English and French on purpose. */
export const SAME_IN_BOTH: ReadonlySet<MessageKey> = new Set<MessageKey>([
  "size",
  "schedule.short",
  "service.port",
  "resource.postgres",
  "resource.redis",
  "edge.port",
  "diagram.internet",
  "aws.fargate",
  // Words spelled alike in both languages, names and notations.
  "kind.service",
  "count.services",
  "group.route",
  "group.service",
  "guide.phases",
  "guide.var.secret",
  "guide.var.service",
  "guide.var.resource",
  "guide.origin.cairn",
  "guide.secrets",
  "col.port",
  "col.variable",
  "col.secret",
  "col.description",
  "col.service",
]);
