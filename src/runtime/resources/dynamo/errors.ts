/** DynamoDB errors as the JSON protocol sends them (`__type` + `message`). */
export class DynamoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const validation = (message: string) => new DynamoError("ValidationException", message);
export const notFound = (table: string) => new DynamoError("ResourceNotFoundException", `Requested resource not found: Table: ${table} not found`);
export const conditionFailed = () => new DynamoError("ConditionalCheckFailedException", "The conditional request failed");
