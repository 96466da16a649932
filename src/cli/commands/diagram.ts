/**
 * `cairn diagram [file] [--env NAME] [--view logical|vm|aws|k8s] [--format svg|png|mermaid]
 * [--out FILE] [--lang en|fr] [--json]`: the architecture picture of one environment.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import type { Command } from "commander";
import { findChromium } from "../../diagram/chromium.js";
import { renderMermaid } from "../../diagram/mermaid.js";
import { svgOf } from "../../diagram/render.js";
import { VIEWS, type ViewName } from "../../diagram/types.js";
import { buildView, viewsFor } from "../../diagram/views/index.js";
import { isLang, LANGUAGES, wordsFor } from "../../guide/i18n/words.js";
import type { Stack } from "../../model/types.js";
import { type Context, paint, UserError } from "../context.js";
import { loadStacksOrFail } from "../load-or-fail.js";

export interface DiagramOptions {
  readonly env?: string;
  readonly view?: string;
  readonly format?: string;
  readonly out?: string;
  readonly lang?: string;
  readonly json?: boolean;
}

const FORMATS = ["svg", "png", "mermaid"] as const;
type Format = (typeof FORMATS)[number];

/** The format asked, else the one the output file's extension names, else SVG. */
export function formatOf(options: DiagramOptions): Format {
  if (options.format !== undefined) {
    if ((FORMATS as readonly string[]).includes(options.format)) return options.format as Format;
    throw new UserError(`unknown format "${options.format}"`, `Formats: ${FORMATS.join(", ")}.`, 2);
  }
  const ext = options.out?.toLowerCase().split(".").pop();
  return ext === "png" ? "png" : ext === "mmd" || ext === "mermaid" || ext === "md" ? "mermaid" : "svg";
}

/** The environment to draw: the one named; for a target view, the first with that target; else the first not local. */
export function pickStack(stacks: readonly Stack[], view: ViewName, env: string | undefined): Stack {
  const names = stacks.map((s) => `${s.environment.name} (${s.environment.target})`).join(", ");
  if (env !== undefined) {
    const stack = stacks.find((s) => s.environment.name === env);
    if (!stack) throw new UserError(`no environment "${env}" in the stack file`, `Environments: ${names}.`);
    return stack;
  }
  const stack = view === "logical" ? (stacks.find((s) => s.environment.target !== "local") ?? stacks[0]) : stacks.find((s) => s.environment.target === view);
  if (!stack) throw new UserError(`no environment has target ${view}, so there is no ${view} view`, `Environments: ${names}. Pick one with --env.`);
  return stack;
}

function checkView(stack: Stack, view: string): ViewName {
  const supported = viewsFor(stack);
  if (!(VIEWS as readonly string[]).includes(view)) throw new UserError(`unknown view "${view}"`, `Views: ${VIEWS.join(", ")}.`, 2);
  if (!supported.includes(view as ViewName)) {
    const env = stack.environment;
    throw new UserError(
      `environment ${env.name} (target ${env.target}) has no ${view} view`,
      `Views for ${env.name}: ${supported.join(", ")}; or pick an environment whose target is ${view} with --env.`,
    );
  }
  return view as ViewName;
}

/** Runs the command; returns the exit code. */
export async function diagramCommand(path: string, options: DiagramOptions, context: Context): Promise<number> {
  const lang = options.lang ?? "en";
  if (!isLang(lang)) throw new UserError(`language "${lang}" is not supported`, `Languages: ${LANGUAGES.join(", ")}.`, 2);
  const format = formatOf(options);
  const requested = options.view ?? "logical";
  if (!(VIEWS as readonly string[]).includes(requested)) throw new UserError(`unknown view "${requested}"`, `Views: ${VIEWS.join(", ")}.`, 2);
  if (format === "png" && !options.out)
    throw new UserError("a PNG is written to a file: --out is required", "For example: cairn diagram --format png --out architecture.png");
  const chromium = format === "png" ? findChromium(context.env) : null;
  if (format === "png" && !chromium)
    throw new UserError(
      "no Chromium to render the PNG",
      "Install Debian's chromium (apt-get install chromium), set CAIRN_CHROMIUM to a Chrome or Chromium, or use --format svg.",
    );
  const stacks = await loadStacksOrFail(path, context, options.env);
  const stack = pickStack(stacks, requested as ViewName, options.env);
  const view = checkView(stack, requested);
  const words = wordsFor(lang);
  const diagram = buildView(stack, view, words);
  const text = format === "mermaid" ? renderMermaid(diagram) : await svgOf(diagram, words);
  if (!options.out) {
    context.stdout.write(text);
    return 0;
  }
  const file = resolve(context.cwd, options.out);
  await mkdir(dirname(file), { recursive: true });
  if (format === "png" && chromium) {
    const { pngOf } = await import("../../diagram/png.js");
    await writeFile(file, await pngOf(text, chromium));
  } else await writeFile(file, text);
  const near = relative(context.cwd, file);
  const shown = near && !near.startsWith("..") ? near : file;
  const summary = { file: shown, environment: stack.environment.name, view, format, boxes: diagram.nodes.length, arrows: diagram.edges.length };
  if (options.json) context.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else
    context.stdout.write(
      `${paint(context).green("✓")} ${stack.name} · ${stack.environment.name} · ${view} view: wrote ${shown} (${format}, ${summary.boxes} boxes, ${summary.arrows} arrows)\n`,
    );
  return 0;
}

/** Adds `cairn diagram` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("diagram")
    .description("the architecture picture of one environment: logical, or as its target builds it (vm, aws, k8s)")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the first whose target is the view's, else the first not local)")
    .option("--view <view>", `what to draw: ${VIEWS.join(", ")}`, "logical")
    .option("-f, --format <format>", `${FORMATS.join(", ")} (default: from --out's extension, else svg)`)
    .option("-o, --out <file>", "write to this file (default: standard output; required for png)")
    .option("--lang <lang>", `language of the labels: ${LANGUAGES.join(", ")}`, "en")
    .option("--json", "with --out, print what was written as JSON")
    .action(async (file: string, options: DiagramOptions) => {
      result.code = await diagramCommand(file, options, context);
    });
}
