/** A local table for the data page, through its own DynamoDB endpoint: a bounded scan, or a query by hash key. */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { Table } from "../../model/types.js";

export const PAGE_SIZE = 100;

function client(endpoint: string, region: string): DynamoDBDocumentClient {
  const base = new DynamoDBClient({ endpoint, region, credentials: { accessKeyId: "cairn", secretAccessKey: "cairn" }, maxAttempts: 1 });
  return DynamoDBDocumentClient.from(base);
}

/** A page cursor as text: the last evaluated key, as base64url JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString("base64url") : null;
}

export function decodeCursor(text: string | null): Record<string, unknown> | undefined {
  if (!text) return undefined;
  const value = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown;
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("bad cursor");
  return value as Record<string, unknown>;
}

/** One page of a scan, or of a query when `hash` (the hash key's value) is given. */
export async function readItems(
  endpoint: string,
  region: string,
  table: Table,
  hash: string | null,
  cursor: Record<string, unknown> | undefined,
): Promise<{ items: Record<string, unknown>[]; next: string | null; key: { hash: string; range: string | null } }> {
  const db = client(endpoint, region);
  try {
    const common = { TableName: table.physicalName, Limit: PAGE_SIZE, ExclusiveStartKey: cursor };
    const value = hash !== null && table.keyTypes[table.hashKey] === "N" ? Number(hash) : hash;
    const page =
      hash === null
        ? await db.send(new ScanCommand(common))
        : await db.send(
            new QueryCommand({
              ...common,
              KeyConditionExpression: "#h = :h",
              ExpressionAttributeNames: { "#h": table.hashKey },
              ExpressionAttributeValues: { ":h": value },
            }),
          );
    return {
      items: (page.Items ?? []) as Record<string, unknown>[],
      next: encodeCursor(page.LastEvaluatedKey),
      key: { hash: table.hashKey, range: table.rangeKey },
    };
  } finally {
    db.destroy();
  }
}
