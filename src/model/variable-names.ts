/** What a process's environment can carry: POSIX shell variable names, and command lines on one line. */

/** A variable name every shell, systemd unit, compose file and manifest accepts. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when `name` can be an environment variable's name everywhere Cairn writes one. */
export function isVariableName(name: string): boolean {
  return VARIABLE_NAME.test(name);
}

/** A Cairn reference (`${db.url}`, `${secret.X}`): a shell would answer "Bad substitution". `$${` is a literal. */
const REFERENCE = /(?<!\$)\$\{\s*([A-Za-z0-9_-]+)\.([A-Za-z0-9_.-]*)\s*\}/g;

/** The Cairn references written in a command line, with their offsets: `{ name: "secret", attribute: "X" }`. */
export function referencesInCommand(command: string): { index: number; text: string; part: string; attribute: string }[] {
  return [...command.matchAll(REFERENCE)].map((m) => ({ index: m.index ?? 0, text: m[0], part: m[1] ?? "", attribute: m[2] ?? "" }));
}
