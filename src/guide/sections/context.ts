/** What every section of one environment's guide reads: the stack, the words, the prices and the pictures. */
import type { OptionCost } from "../../cost/types.js";
import type { Stack } from "../../model/types.js";
import type { StackPath } from "../facts/deploy-steps.js";
import type { Words } from "../i18n/words.js";

/** A diagram of the guide: the SVG, and the file name it is written under beside a Markdown guide. */
export interface GuideDiagram {
  readonly file: string;
  readonly svg: string;
  readonly alt: string;
}

/** The price catalog's dates and whether it is old, from `cairn cost`'s freshness check. */
export interface CatalogDates {
  readonly date: string;
  readonly oldest: string;
  readonly stale: boolean;
}

export interface EnvironmentGuide {
  readonly stack: Stack;
  readonly w: Words;
  /** The environment priced on its target and on the options the file compares it with. */
  readonly costs: readonly OptionCost[];
  readonly catalog: CatalogDates;
  readonly diagrams: readonly GuideDiagram[];
  readonly where: StackPath;
}
