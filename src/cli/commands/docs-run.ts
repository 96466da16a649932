/**
 * What `cairn docs` does (docs.ts registers the verb and loads this file when it runs): builds the
 * guide of one environment or of every phase and writes it as Markdown with SVG files, or as HTML.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { freshness } from "../../cost/catalog.js";
import { buildGuide } from "../../guide/guide.js";
import { isLang, LANGUAGES, wordsFor } from "../../guide/i18n/words.js";
import { renderHtml } from "../../guide/render-html.js";
import { renderMarkdown } from "../../guide/render-markdown.js";
import { type Context, paint, UserError } from "../context.js";
import { loadStacksOrFail } from "../load-or-fail.js";
import { loadPriceBook } from "./cost.js";
import { type DocsOptions, FORMATS } from "./docs.js";

/** Runs the command; returns the exit code. */
export async function docsCommand(path: string, options: DocsOptions, context: Context): Promise<number> {
  const lang = options.lang ?? "en";
  if (!isLang(lang)) throw new UserError(`language "${lang}" is not supported`, `Languages: ${LANGUAGES.join(", ")}.`, 2);
  const format = options.format ?? "md";
  if (!(FORMATS as readonly string[]).includes(format)) throw new UserError(`unknown format "${format}"`, `Formats: ${FORMATS.join(", ")}.`, 2);
  if (options.env !== undefined && options.all)
    throw new UserError("--env and --all cannot go together", "Give --env NAME for one environment, or --all for every phase.", 2);
  const book = await loadPriceBook({ prices: options.prices, catalog: options.catalog }, context);
  const stacks = await loadStacksOrFail(path, context, options.env);
  const first = stacks[0];
  if (!first) throw new UserError(`${path}: no environment to document`);
  const all = options.env === undefined;
  const { warning } = freshness(book, context.now());
  const base = all ? first.name : `${first.name}-${first.environment.name}`;
  const guide = await buildGuide({
    stacks,
    all,
    lang,
    book,
    catalog: { date: book.date, oldest: book.oldest, stale: warning !== null },
    where: { path },
    fileBase: first.name,
  });
  const tocTitle = wordsFor(lang).t("guide.toc");
  const outDir = options.out ? resolve(context.cwd, options.out) : resolve(first.root, "out", "guide");
  await mkdir(outDir, { recursive: true });
  const files: { path: string; content: string }[] =
    format === "html"
      ? [{ path: `${base}.${lang === "en" ? "" : `${lang}.`}html`, content: renderHtml(guide.document, tocTitle) }]
      : [
          { path: `${base}.${lang === "en" ? "" : `${lang}.`}md`, content: renderMarkdown(guide.document, tocTitle) },
          ...guide.diagrams.map((d) => ({ path: d.file, content: d.svg })),
        ];
  for (const f of files) await writeFile(join(outDir, f.path), f.content);
  const near = relative(context.cwd, outDir);
  const shown = near && !near.startsWith("..") ? near : outDir;
  const environments = stacks.map((s) => s.environment.name);
  if (options.json) context.stdout.write(`${JSON.stringify({ outDir: shown, format, lang, environments, files: files.map((f) => f.path) }, null, 2)}\n`);
  else {
    context.stdout.write(`${paint(context).green("✓")} ${first.name}: deployment guide (${environments.join(", ")}, ${lang}) written to ${shown}\n`);
    for (const f of files) context.stdout.write(`  ${f.path}\n`);
  }
  return 0;
}
