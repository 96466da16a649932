/**
 * Passwords Cairn generates for its local data stores (the app's Postgres role, Redis's default user):
 * made once, kept in `<dataDir>/credentials.json` (mode 0600) so a restart keeps the URL, and never
 * printed (the stack runner redacts every generated password from logs and output).
 */
import { randomBytes } from "node:crypto";
import { chmod, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

const file = (dataDir: string) => join(dataDir, "credentials.json");

/** The stored password called `name`, generated (48 hex digits: no character a URL must encode) when absent. */
export async function storedPassword(dataDir: string, name: string): Promise<string> {
  let stored: Record<string, string> = {};
  try {
    stored = JSON.parse(await readFile(file(dataDir), "utf8")) as Record<string, string>;
  } catch {
    stored = {};
  }
  const found = stored[name];
  if (typeof found === "string" && /^[0-9a-f]{32,}$/.test(found)) return found;
  const fresh = randomBytes(24).toString("hex");
  const next = { ...stored, [name]: fresh };
  await writeFile(`${file(dataDir)}.tmp`, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  await chmod(`${file(dataDir)}.tmp`, 0o600);
  await rename(`${file(dataDir)}.tmp`, file(dataDir));
  return fresh;
}
