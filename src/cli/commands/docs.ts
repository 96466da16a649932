/**
 * `cairn docs [file] [--env NAME | --all] [--lang en|fr] [--format md|html] [--out DIR] [--json]`:
 * the deployment guide of one environment, or of every phase together, written as Markdown (with
 * its diagrams as SVG files beside it) or as one HTML file.
 *
 * This file only declares the verb. When it runs, the layout engine starts in a worker thread first
 * (elk-engine.ts), then the rest loads (docs-run.ts): the two overlap on a machine with two cores.
 */
import type { Command } from "commander";
import { LANGUAGES } from "../../guide/i18n/languages.js";
import type { Context } from "../context.js";

export interface DocsOptions {
  readonly env?: string;
  readonly all?: boolean;
  readonly lang?: string;
  readonly format?: string;
  readonly out?: string;
  readonly json?: boolean;
  readonly prices?: string;
  /** The price catalog file (default: the one shipped). */
  readonly catalog?: string;
}

export const FORMATS = ["md", "html"] as const;

/** Adds `cairn docs` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("docs")
    .description("the deployment guide: components, ports and rules, variables and secrets, prices, steps, runbook, checklists")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "one environment's guide")
    .option("--all", "every phase together (the default)")
    .option("--lang <lang>", `language: ${LANGUAGES.join(", ")}`, "en")
    .option("-f, --format <format>", `${FORMATS.join(", ")}`, "md")
    .option("-o, --out <dir>", "output folder (default: out/guide beside the stack file)")
    .option("--prices <file>", "price records that add to or override the catalog, as for cairn cost")
    .option("--json", "print what was written as JSON")
    .action(async (file: string, options: DocsOptions) => {
      (await import("../../diagram/elk-engine.js")).startElk(context.env);
      const { docsCommand } = await import("./docs-run.js");
      result.code = await docsCommand(file, options, context);
    });
}
