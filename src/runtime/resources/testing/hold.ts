/** Test helper process: starts one resource from inline YAML and keeps it until killed. */
import { startResource } from "../index.js";
import { contextFor, resourceFrom } from "./index.js";

const [yaml, name, dataDir] = process.argv.slice(2);
if (!yaml || !name || !dataDir) throw new Error("usage: hold.ts YAML NAME DATADIR");
const resource = await startResource(resourceFrom(yaml, name), contextFor(dataDir, process.cwd()));
process.stdout.write(`READY ${JSON.stringify({ attributes: resource.attributes, pid: resource.pid })}\n`);
const stop = () => void resource.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
setInterval(() => {}, 1 << 30);
