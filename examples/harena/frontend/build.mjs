// Builds the front end the way Vite would for this app: the API's public URL (VITE_API_URL) is
// written into the page at build time. Output in frontend/dist. Plain Node, no dependencies.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const api = (process.env.VITE_API_URL ?? "").replace(/\/$/, "");
const html = readFileSync(join(here, "src", "index.html"), "utf8").replaceAll("%VITE_API_URL%", api);
mkdirSync(join(here, "dist"), { recursive: true });
writeFileSync(join(here, "dist", "index.html"), html);
console.log(`built frontend/dist/index.html for ${api || "(no API URL)"}`);
