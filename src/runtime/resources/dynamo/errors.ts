/** DynamoDB errors as the JSON protocol sends them: a status and a body with `__type` and `message`. */
import type { EngineError } from "./engine.js";

/** An error answer of type `type` (`ResourceNotFoundException`, `TransactionCanceledException`...). */
export function dynamoError(type: string, message: string, status = 400, extra: Record<string, unknown> = {}): EngineError {
  return { statusCode: status, body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message, ...extra } };
}

/** A ValidationException, with DynamoDB's own type name. */
export function validationError(message: string): EngineError {
  return { statusCode: 400, body: { __type: "com.amazon.coral.validate#ValidationException", message } };
}

/** The answer to anything that is not an EngineError: a full disk says so, the rest is ours. */
export function internalError(error: unknown): EngineError {
  const full = (error as NodeJS.ErrnoException | null)?.code === "ENOSPC";
  return dynamoError(
    "InternalServerError",
    full ? "The disk holding the local table is full: nothing was written; free space and retry" : `Internal error: ${(error as Error)?.message ?? error}`,
    500,
  );
}
