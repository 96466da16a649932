/**
 * A problem caused by the user's input (a flag, an environment name, a file that is not there): every
 * verb shows it as a short message with its hint and exits 1 (or as given), never with a stack trace.
 * Any layer may throw it; the CLI is where it is shown.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint: string | null = null,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "UserError";
  }
}
