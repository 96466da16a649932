/** Writes schema/cairn.schema.json and docs/reference.md from the zod schema. `npm run schema`. */
import { writeFile } from "node:fs/promises";
import { renderJsonSchema, renderReference } from "../src/schema/json-schema.js";

await writeFile(new URL("../schema/cairn.schema.json", import.meta.url), renderJsonSchema());
await writeFile(new URL("../docs/reference.md", import.meta.url), renderReference());
process.stdout.write("wrote schema/cairn.schema.json and docs/reference.md\n");
