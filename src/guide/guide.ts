/**
 * The deployment guide of a stack: one environment, or every phase together. Builds the document
 * (pure sections over the model, the targets' outputs and the cost estimate) and the diagrams it
 * shows; rendering to Markdown or HTML and writing files are separate steps.
 */

import type { PriceBook } from "../cost/catalog.js";
import { estimate } from "../cost/estimate.js";
import type { OptionCost } from "../cost/types.js";
import { svgOf } from "../diagram/render.js";
import { buildView, viewsFor } from "../diagram/views/index.js";
import type { Stack } from "../model/types.js";
import { Blocks, type GuideDocument } from "./document.js";
import type { StackPath } from "./facts/deploy-steps.js";
import { type Lang, type Words, wordsFor } from "./i18n/words.js";
import { components, overview, routes } from "./sections/components.js";
import type { CatalogDates, GuideDiagram } from "./sections/context.js";
import { catalogParagraph, costs, phaseTable } from "./sections/costs.js";
import { dataStores, network, schedules, variables } from "./sections/data.js";
import { deployment, operations, security, troubleshooting, verification } from "./sections/operations.js";

export interface GuideRequest {
  /** The environments to cover: one, or every one for all phases together. */
  readonly stacks: readonly Stack[];
  readonly all: boolean;
  readonly lang: Lang;
  readonly book: PriceBook;
  readonly catalog: CatalogDates;
  readonly where: StackPath;
  /** Base of the diagram files written beside a Markdown guide. */
  readonly fileBase: string;
}

export interface Guide {
  readonly document: GuideDocument;
  readonly diagrams: readonly GuideDiagram[];
}

/** Every option an environment is priced on: its target, then the ones it is compared with. */
export function costsOf(stack: Stack, book: PriceBook): OptionCost[] {
  return stack.environment.compare.map((option) => estimate(stack, option, book));
}

async function diagramsOf(stack: Stack, w: Words, base: string): Promise<GuideDiagram[]> {
  const out: GuideDiagram[] = [];
  for (const view of viewsFor(stack)) {
    const diagram = buildView(stack, view, w);
    out.push({ file: `${base}-${stack.environment.name}-${view}.svg`, svg: await svgOf(diagram, w), alt: diagram.title });
  }
  return out;
}

function environment(b: Blocks, stack: Stack, w: Words, list: readonly OptionCost[], request: GuideRequest, diagrams: readonly GuideDiagram[]): void {
  overview(b, stack, w, diagrams);
  components(b, stack, w);
  routes(b, stack, w);
  network(b, stack, w);
  dataStores(b, stack, w);
  schedules(b, stack, w);
  variables(b, stack, w);
  costs(b, stack, w, list, request.catalog);
  deployment(b, stack, w, request.where);
  operations(b, stack, w);
  verification(b, stack, w);
  troubleshooting(b, stack, w);
  security(b, stack, w);
}

/** Builds the guide. */
export async function buildGuide(request: GuideRequest): Promise<Guide> {
  const w = wordsFor(request.lang);
  const first = request.stacks[0];
  if (!first) throw new Error("a guide needs at least one environment");
  const b = new Blocks();
  const diagrams: GuideDiagram[] = [];
  const title = request.all ? w.t("guide.title.all", { stack: first.name }) : w.t("guide.title.one", { stack: first.name, env: first.environment.name });
  b.h(1, title);
  b.p(
    w.t("guide.generated", {
      file: `\`${first.file.split("/").pop() ?? "cairn.yaml"}\``,
      command: `\`cairn docs${request.where.path === "." ? "" : ` ${request.where.path}`}\``,
    }),
  );
  b.push({ kind: "toc" });
  const priced = request.stacks.map((stack) => ({ stack, list: costsOf(stack, request.book) }));
  if (request.all) {
    b.h(2, w.t("guide.phases"));
    b.p(w.t("guide.phases.intro"));
    catalogParagraph(b, w, request.catalog);
    phaseTable(
      b,
      w,
      priced.flatMap((p) => p.list),
    );
  }
  for (const { stack, list } of priced) {
    const own = await diagramsOf(stack, w, request.fileBase);
    diagrams.push(...own);
    if (request.all) {
      b.offset = 0;
      b.h(2, w.t("guide.phase", { env: stack.environment.name, target: stack.environment.target }));
      b.offset = 1;
    }
    environment(b, stack, w, list, request, own);
  }
  return { document: { title, lang: request.lang, blocks: b.list }, diagrams };
}
