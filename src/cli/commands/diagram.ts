/**
 * `cairn diagram [file] [--env NAME] [--view logical|vm|aws|k8s] [--format svg|png|mermaid]
 * [--out FILE] [--lang en|fr] [--json]`: the architecture picture of one environment.
 *
 * This file declares the verb. The layout engine starts in a worker thread first (elk-engine.ts), as
 * soon as the verb is named (`prepare`, before commander loads), then the rest loads (diagram-run.ts,
 * joined into one file by the build): the two overlap on a machine with two cores.
 */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { startElk } from "../../diagram/elk-engine.js";
import { VIEWS } from "../../diagram/types.js";
import { LANGUAGES } from "../../guide/i18n/languages.js";
import { type Context, UserError } from "../context.js";

export interface DiagramOptions {
  readonly env?: string;
  readonly view?: string;
  readonly format?: string;
  readonly out?: string;
  readonly lang?: string;
  readonly json?: boolean;
}

export const FORMATS = ["svg", "png", "mermaid"] as const;
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

/**
 * Whether these raw arguments may lay a picture out: not for Mermaid text (asked by --format or by
 * --out's extension) nor for --help. On the safe side: an argument that merely looks like one of
 * these answers false, and the action then starts the engine itself when it lays out.
 */
export function mayLayOut(argv: readonly string[]): boolean {
  return !argv.some((arg) => /mermaid|\.mmd$|\.md$/i.test(arg) || arg === "--help" || arg === "-h");
}

/** Before the command line is parsed: starts the layout engine, so that it loads while the rest does. */
export function prepare(argv: readonly string[], context: Context): void {
  if (mayLayOut(argv)) startElk(context.env);
}

/**
 * The verb's code: the build joins diagram-run.js and what it imports into one file
 * (scripts/bundle-diagram.ts), which loads in a fraction of the time; the sources (tests) have no
 * such file and load the modules.
 */
async function runModule(): Promise<typeof import("./diagram-run.js")> {
  const bundle = new URL("./diagram-run.bundle.js", import.meta.url);
  return existsSync(bundle) ? import(bundle.href) : import("./diagram-run.js");
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
      if (formatOf(options) !== "mermaid") startElk(context.env);
      const { diagramCommand } = await runModule();
      result.code = await diagramCommand(file, options, context);
    });
}
