/**
 * One place that knows the secret values of a running stack (the secrets it loaded, the passwords it
 * generated for its data stores) and takes them out of any text: every log line, every output. A value is
 * replaced by `[secret NAME]`, in clear and URL-encoded (as it appears inside a connection URL).
 */

/** A function that takes the secrets out of a text. */
export type Redact = (text: string) => string;

/** Values shorter than this are not redacted: "1" or "on" would blank out unrelated text. */
export const MIN_SECRET_LENGTH = 4;

const literal = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The secret values of a stack; grows as secrets are loaded and passwords generated. */
export class Redactor {
  private readonly names = new Map<string, string>();
  private pattern: RegExp | null = null;

  /** Redacts `value` as `[secret NAME]` from now on (and its URL-encoded form). */
  add(name: string, value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    for (const form of new Set([value, encodeURIComponent(value)])) if (!this.names.has(form)) this.names.set(form, name);
    // Longest first, so a value holding another is replaced whole.
    const forms = [...this.names.keys()].sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(forms.map(literal).join("|"), "g");
  }

  /** Adds every value of a map of secrets. */
  addAll(values: ReadonlyMap<string, string>): void {
    for (const [name, value] of values) this.add(name, value);
  }

  /** The password of a URL (`redis://:pass@host`, `postgres://u:pass@host/db`), as a secret named `name`. */
  addUrlPassword(name: string, url: string): void {
    let password = "";
    try {
      password = decodeURIComponent(new URL(url).password);
    } catch {
      return;
    }
    if (password) this.add(name, password);
  }

  /** The text with every known secret value replaced. */
  readonly redact: Redact = (text) => (this.pattern === null ? text : text.replace(this.pattern, (found) => `[secret ${this.names.get(found) ?? "?"}]`));
}
