/**
 * A job's arguments in compose. With a `run` command, the container runs `sh -c 'exec <run> "<arg>"...'`:
 * literal text is escaped for the shell's double quotes, `${run.date}` is the date in the job's time zone
 * when the run starts, and every other reference (a secret, a resource's URL) reaches the shell only as a
 * variable of the container's environment, so no value is ever read as shell text. With an image of its
 * own, the arguments replace the image's command, as Kubernetes' `args` do. Pure.
 */
import type { Job, Stack, Template } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import { type EnvKeys, renderCompose } from "./values.js";

export interface ComposeJobArgs {
  /** The words after the command, as shell text (before compose's `$$` escaping). */
  readonly shellWords: string[];
  /** Variables the words read, as compose values. */
  readonly environment: Record<string, string>;
}

/** Escapes text for the inside of a shell double-quoted word. */
function inDoubleQuotes(text: string): string {
  return text.replace(/[\\"$`]/g, (c) => `\\${c}`);
}

/** The arguments as shell words for a job with a `run` command. */
export function shellArgs(stack: Stack, job: Job, keys: EnvKeys): ComposeJobArgs {
  const environment: Record<string, string> = {};
  const shellWords = job.args.map((arg, a) => {
    const pieces = arg.map((part, p) => {
      if (part.kind === "text") return inDoubleQuotes(part.text);
      if (part.kind === "var" && part.name === "run.date") return `$(TZ=${inDoubleQuotes(job.timezone)} date +%F)`;
      const name = `CAIRN_ARG${a + 1}_${p + 1}`;
      environment[name] = renderCompose(stack, [part], keys);
      return `\${${name}}`;
    });
    return `"${pieces.join("")}"`;
  });
  return { shellWords, environment };
}

const usesRunDate = (arg: Template) => arg.some((part) => part.kind === "var" && part.name === "run.date");

/** The arguments as the `command` of a job that runs its own image, or a note where one cannot be. */
export function imageArgs(stack: Stack, job: Job, keys: EnvKeys, notes: TargetNote[]): string[] {
  return job.args.flatMap((arg, a) => {
    if (!usesRunDate(arg)) return [renderCompose(stack, arg, keys)];
    notes.push({
      part: `jobs.${job.name}.args[${a}]`,
      message: "${run.date} needs a shell, and the job runs its image's own entrypoint",
      instead: "the argument is left out; give the job a `run:` command to have the date",
    });
    return [];
  });
}
