/** Writing systemd unit files: quoting and section layout. Pure. */

/** A value inside double quotes in a unit file: backslashes, quotes and specifiers escaped. */
export function quoteUnit(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%")}"`;
}

/** A command line run by `/bin/sh -c`, for ExecStart: `$` doubled so systemd leaves it to the shell. */
export function shellExec(command: string): string {
  return `/bin/sh -c ${quoteUnit(command.replace(/\$/g, "$$$$"))}`;
}

/** One `Environment=` line per variable. */
export function environmentLines(vars: readonly (readonly [string, string])[]): string[] {
  return vars.map(([name, value]) => `Environment=${quoteUnit(`${name}=${value}`)}`);
}

/** A unit file from sections; `null` lines are left out. */
export function unit(sections: Record<string, readonly (string | null)[]>): string {
  const out: string[] = [];
  for (const [name, lines] of Object.entries(sections)) {
    const kept = lines.filter((l): l is string => l !== null);
    if (kept.length === 0) continue;
    out.push(`[${name}]`, ...kept, "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** Seconds for systemd, such as `30s`. */
export function sec(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))}s`;
}

/** A single-quoted shell word. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
