/**
 * Parses `.env`-style text: `NAME=value` lines, `#` comments, optional `export `, single or double
 * quotes (double quotes understand \n, \t, \" and \\). Pure: returns values and the lines it could not read.
 */

export interface DotEnv {
  readonly values: ReadonlyMap<string, string>;
  /** Line numbers (1-based) that are neither blank, a comment nor an assignment. */
  readonly badLines: readonly number[];
}

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

function unquote(raw: string): string {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    return raw.slice(1, -1).replace(/\\([nt"\\])/g, (_, c: string) => ({ n: "\n", t: "\t", '"': '"', "\\": "\\" })[c] ?? c);
  }
  if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1);
  const hash = raw.search(/\s#/);
  return hash >= 0 ? raw.slice(0, hash).trimEnd() : raw;
}

/** Reads the assignments of a `.env` file's text. Later lines win. */
export function parseDotEnv(text: string): DotEnv {
  const values = new Map<string, string>();
  const badLines: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^\s*(#.*)?$/.test(line)) return;
    const match = LINE.exec(line);
    if (!match?.[1]) {
      badLines.push(index + 1);
      return;
    }
    values.set(match[1], unquote(match[2] ?? ""));
  });
  return { values, badLines };
}
