/** Writing systemd unit files: quoting and section layout. Pure. */

const C_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Each control character (C0 and DEL) of `text` replaced by what `by` returns for it. */
export function replaceControls(text: string, by: (c: string) => string): string {
  let out = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? by(c) : c;
  }
  return out;
}

/**
 * A value inside double quotes in a unit file: backslashes, quotes and specifiers escaped, and
 * control characters as C escapes, which systemd decodes. A line break in a value stays data: it
 * can never start a directive of its own.
 */
export function quoteUnit(value: string): string {
  const escaped = value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%");
  return `"${replaceControls(escaped, (c) => C_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)}"`;
}

/**
 * Free text in a unit setting that takes no quotes (`Description=`): specifiers escaped, control
 * characters made spaces, so it stays one line of plain text.
 */
export function unitText(text: string): string {
  return replaceControls(text, () => " ")
    .replace(/ {2,}/g, " ")
    .replace(/%/g, "%%")
    .trim();
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
