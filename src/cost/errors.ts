/** A problem with what the user asked of the pricing (not a bug): the command shows it as a user error. */
export class CostInputError extends Error {
  constructor(
    message: string,
    readonly hint: string | null = null,
  ) {
    super(message);
    this.name = "CostInputError";
  }
}
