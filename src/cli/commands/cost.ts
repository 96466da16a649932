/**
 * `cairn cost [file] [--env NAME] [--compare] [--json] [--currency EUR --rate R] [--prices FILE]
 * [--diff OTHER.yaml] [--diff-env NAME]`: the monthly price of each environment on each hosting
 * option, from the dated catalog in `catalog/aws-prices.json`.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { freshness, type PriceBook, priceBook, readCatalog } from "../../cost/catalog.js";
import { CATALOG_URL } from "../../cost/catalog-location.js";
import { currencyView } from "../../cost/currency.js";
import { type CostDiff, diffCosts } from "../../cost/diff.js";
import { CostInputError } from "../../cost/errors.js";
import { estimate, optionsFor } from "../../cost/estimate.js";
import { NARROW, renderDiff, renderOption, renderSummary, WIDE } from "../../cost/format.js";
import { parseRecords } from "../../cost/records.js";
import { costJson } from "../../cost/report.js";
import type { OptionCost } from "../../cost/types.js";
import type { Stack } from "../../model/types.js";
import { TERMINAL_WIDTH, wrap } from "../../text/table.js";
import { type Context, paint, UserError } from "../context.js";
import { loadStacksOrFail } from "../load-or-fail.js";

export interface CostOptions {
  readonly env?: string;
  readonly compare?: boolean;
  readonly json?: boolean;
  readonly currency?: string;
  readonly rate?: string;
  readonly prices?: string;
  readonly diff?: string;
  readonly diffEnv?: string;
  /** Keep every column (notes included) however wide the report gets; default: fit 100 columns. */
  readonly wide?: boolean;
  /** The catalog file (default: the one shipped in the package). */
  readonly catalog?: string;
}

export const CATALOG_PATH = CATALOG_URL;

async function readJson(path: string | URL, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UserError(`cannot read ${what} ${String(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, "Check the path.");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`${what} ${String(path)} is not valid JSON: ${(error as Error).message}`, "Fix the file: it must be a JSON array of price records.");
  }
}

/** Reads the catalog and the user's prices into one price book. */
export async function loadPriceBook(options: CostOptions, context: Context): Promise<PriceBook> {
  const catalog = readCatalog(await readJson(options.catalog ? resolve(context.cwd, options.catalog) : CATALOG_PATH, "price catalog"));
  if ("errors" in catalog) throw new UserError(`the price catalog is damaged: ${catalog.errors.slice(0, 3).join("; ")}`, "Rebuild it with `npm run catalog`.");
  if (!options.prices) return priceBook(catalog.catalog);
  const path = resolve(context.cwd, options.prices);
  const parsed = parseRecords(await readJson(path, "prices file"));
  if (parsed.errors.length) {
    const more = parsed.errors.length > 5 ? ` (and ${parsed.errors.length - 5} more)` : "";
    throw new UserError(
      `prices file ${options.prices}: ${parsed.errors.slice(0, 5).join("; ")}${more}`,
      'Each record is {"service", "sku", "region", "unit", "usd", "source", "source_date": "YYYY-MM-DD"}, as in catalog/records/.',
    );
  }
  return priceBook(catalog.catalog, parsed.records, options.prices);
}

function price(stacks: readonly Stack[], book: PriceBook, options: CostOptions, rate: number | null): OptionCost[] {
  try {
    return stacks.flatMap((s) => optionsFor(s, options.compare === true).map((o) => estimate(s, o, book, { rate })));
  } catch (error) {
    if (error instanceof CostInputError) throw new UserError(error.message, error.hint);
    throw error;
  }
}

function pairs(a: readonly OptionCost[], b: readonly OptionCost[]): [OptionCost, OptionCost][] {
  const out: [OptionCost, OptionCost][] = [];
  for (const x of a) {
    const y = b.find((c) => c.environment === x.environment && c.option === x.option) ?? b.find((c) => c.option === x.option);
    if (y) out.push([x, y]);
  }
  if (out.length === 0 && a[0] && b[0]) out.push([a[0], b[0]]);
  return out;
}

/**
 * Runs the command; returns the exit code. A missing price marks that option incomplete and is named
 * after the report; the exit is 1 only when an environment's own target could not be priced in full
 * (options added by --compare never fail the report).
 */
export async function cost(path: string, options: CostOptions, context: Context): Promise<number> {
  let view: ReturnType<typeof currencyView>;
  try {
    view = currencyView(options.currency, options.rate);
  } catch (error) {
    if (error instanceof CostInputError) throw new UserError(error.message, error.hint);
    throw error;
  }
  if (options.diffEnv && !options.env)
    throw new UserError("--diff-env needs --env: the environment to compare it with", "For example: cairn cost --env mvp --diff-env production");
  const book = await loadPriceBook(options, context);
  const rate = options.rate === undefined ? null : Number(options.rate);
  const stacks = await loadStacksOrFail(path, context, options.env);
  const costs = price(stacks, book, options, rate);
  const { line, warning } = freshness(book, context.now());
  let diffs: CostDiff[] | undefined;
  if (options.diff || options.diffEnv) {
    const other = options.diffEnv
      ? price(await loadStacksOrFail(options.diff ?? path, context, options.diffEnv), book, options, rate)
      : price(await loadStacksOrFail(options.diff ?? path, context, options.env), book, options, rate);
    diffs = pairs(costs, other).map(([a, b]) => diffCosts(a, b));
  }
  const stackName = stacks[0]?.name ?? path;
  if (options.json) {
    context.stdout.write(`${JSON.stringify(costJson(stackName, costs, book, warning, view, diffs), null, 2)}\n`);
  } else {
    const c = paint(context);
    const width = options.wide ? 0 : TERMINAL_WIDTH;
    const parts = [
      wrap(line, width).join("\n"),
      ...(warning ? [c.yellow(wrap(`warning: ${warning}`, width).join("\n"))] : []),
      ...(view.code !== "USD" ? [`Amounts in ${view.code} at ${view.rate} ${view.code} per USD (rate given by you).`] : []),
    ];
    if (diffs) {
      const label = (x: CostDiff["before"], file: string) => `${file}${x.environment} on ${x.option}`;
      for (const d of diffs)
        parts.push("", renderDiff(d, view, { before: label(d.before, ""), after: label(d.after, options.diff ? `${options.diff}: ` : "") }));
    } else {
      for (const x of costs) parts.push("", renderOption(x, view, stackName, options.wide ? WIDE : NARROW));
      parts.push("", renderSummary(costs, view));
    }
    context.stdout.write(`${parts.join("\n")}\n`);
  }
  // One entry per missing SKU and region, with every environment and option that needed it.
  const missing = new Map<string, string[]>();
  for (const x of costs) {
    for (const m of x.missing) {
      const key = `${m.service} "${m.sku}" in ${m.region}`;
      missing.set(key, [...(missing.get(key) ?? []), `${x.environment} on ${x.option}`]);
    }
  }
  if (missing.size === 0) return 0;
  const own = new Set(stacks.flatMap((s) => optionsFor(s, false).map((o) => `${s.environment.name} on ${o}`)));
  const failing = [...missing.values()].some((where) => where.some((w) => own.has(w)));
  if (!options.json) {
    const c = paint(context);
    const list = [...missing].map(([sku, where]) => `${sku} (needed by ${where.join(", ")})`);
    context.stderr.write(
      `${c.yellow("warning:")} no price in the catalog for ${list.join("; ")}; those totals are marked INCOMPLETE\n` +
        `${c.cyan("hint:")} Add them with --prices FILE (records as in catalog/records/), or update the catalog (npm run catalog).\n`,
    );
  }
  return failing ? 1 : 0;
}

/** Adds `cairn cost` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("cost")
    .description("monthly price of each environment on each hosting option, line by line from a dated price catalog")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "price one environment only")
    .option("--compare", "price every hosting option (vm, compose, aws, k8s), not only the target and compare")
    .option("--json", "print the report as JSON")
    .option("--currency <code>", "USD (default) or EUR (needs --rate)")
    .option("--rate <number>", "exchange rate, units of --currency per USD (e.g. 0.92)")
    .option("--prices <file>", "price records that add to or override the catalog")
    .option("--diff <other>", "compare with another stack file")
    .option("--diff-env <name>", "compare --env with this environment")
    .option("--wide", "keep every column, notes included, however wide (default: fit 100 columns)")
    .action(async (file: string, options: CostOptions) => {
      result.code = await cost(file, options, context);
    });
}
