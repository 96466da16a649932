/**
 * Postgres for the data page, as the stack's own non-superuser role (the resource's `url`): tables
 * with their row counts, and a read-only query box. A query runs in a READ ONLY transaction with a
 * statement timeout, as one prepared statement (so one statement only), wrapped to return at most
 * MAX_ROWS rows.
 */
import pg from "pg";

export const MAX_ROWS = 500;
export const STATEMENT_TIMEOUT_MS = 5000;
const CELL_CHARS = 1000;

export interface QueryResult {
  readonly columns: string[];
  readonly rows: unknown[][];
  /** True when there were more rows than shown. */
  readonly truncated: boolean;
}

async function withReadOnly<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000, statement_timeout: STATEMENT_TIMEOUT_MS });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
    return await work(client);
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    await client.end().catch(() => {});
  }
}

/** Every table the role can see outside the system schemas, with its exact row count. */
export function listTables(url: string): Promise<{ schema: string; table: string; rows: number | null }[]> {
  return withReadOnly(url, async (client) => {
    const found = await client.query<{ schema: string; table: string }>(
      "SELECT table_schema AS schema, table_name AS table FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2 LIMIT 200",
    );
    const out: { schema: string; table: string; rows: number | null }[] = [];
    for (const t of found.rows) {
      const name = `${client.escapeIdentifier(t.schema)}.${client.escapeIdentifier(t.table)}`;
      await client.query("SAVEPOINT count");
      const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`).then(
        (r) => Number(r.rows[0]?.n ?? 0),
        () => null,
      );
      await client.query(count === null ? "ROLLBACK TO SAVEPOINT count" : "RELEASE SAVEPOINT count");
      out.push({ ...t, rows: count });
    }
    return out;
  });
}

/** Strips trailing semicolons and blanks so the statement can be wrapped. */
export function wrapQuery(sql: string): string {
  const body = sql.trim().replace(/[;\s]+$/, "");
  return `SELECT * FROM (${body}\n) AS console_query LIMIT ${MAX_ROWS + 1}`;
}

function cell(value: unknown): unknown {
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  const text = value instanceof Date ? value.toISOString() : typeof value === "object" && !Buffer.isBuffer(value) ? JSON.stringify(value) : String(value);
  return text.length > CELL_CHARS ? `${text.slice(0, CELL_CHARS)}…` : text;
}

/** Runs one read-only SELECT; rejects with Postgres's own message for a bad or writing query. */
export function readOnlyQuery(url: string, sql: string): Promise<QueryResult> {
  return withReadOnly(url, async (client) => {
    const result = await client.query({ text: wrapQuery(sql), name: "console_query", rowMode: "array" });
    const rows = (result.rows as unknown[][]).slice(0, MAX_ROWS).map((r) => r.map(cell));
    return { columns: result.fields.map((f) => f.name), rows, truncated: result.rows.length > MAX_ROWS };
  });
}
