/**
 * What `cairn diagram` does (diagram.ts registers the verb and loads this file when it runs): picks
 * the environment and view, lays the picture out and writes it as SVG, PNG or Mermaid.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { findChromium } from "../../diagram/chromium.js";
import { renderMermaid } from "../../diagram/mermaid.js";
import { svgOf } from "../../diagram/render.js";
import { VIEWS, type ViewName } from "../../diagram/types.js";
import { viewsFor } from "../../diagram/views/available.js";
import { loadView } from "../../diagram/views/load-view.js";
import { isLang, LANGUAGES, wordsFor } from "../../guide/i18n/words.js";
import type { Stack } from "../../model/types.js";
import { type Context, paint, UserError } from "../context.js";
import { loadStacksOrFail } from "../load-or-fail.js";
import { type DiagramOptions, formatOf } from "./diagram.js";

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
  const diagram = (await loadView(view))(stack, words);
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
