/** What a user sees when a verb that reaches a vm environment's hosts fails there: a message and a hint. */
import { DeployError } from "../deploy/connect.js";
import { RemoteError } from "../deploy/remote.js";
import { UserError } from "../diagnostics/user-error.js";

/**
 * A deploy or SSH failure as a `UserError`; anything else as it is. `switching` verbs (deploy, rollback,
 * releases) add that the host kept the release it served.
 */
export function hostError(error: unknown, switching: boolean): unknown {
  if (error instanceof DeployError) return new UserError(error.message, error.hint);
  if (error instanceof RemoteError) return new UserError(error.message, switching ? "The host was left on the release it served." : null);
  return error;
}
