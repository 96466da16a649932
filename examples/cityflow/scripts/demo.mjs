#!/usr/bin/env node
/**
 * The CityFlow demo in one command (`npm run demo` at the repository root):
 *   1. installs Cairn's dependencies and builds it when that was not done yet;
 *   2. starts the stack in the background on embedded defaults (`cairn up examples/cityflow -d`): the local
 *      S3 and DynamoDB endpoints, the API, the dashboard, the gateway, the processor's schedule;
 *   3. processes the sample week once (`cairn run processor`), unless the metrics are already there;
 *   4. prints the dashboard's URL.
 * A second run finds the stack running (or starts it again on the data kept in examples/cityflow/.cairn)
 * and the metrics present, so it only checks and prints. Stop with `cairn down examples/cityflow`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { request } from "node:http";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = join(EXAMPLE, "..", "..");
const STACK = relative(ROOT, EXAMPLE) || ".";
const WEEK = ["2025-11-03", "2025-11-09"];
const started = Date.now();
const say = (line) => process.stdout.write(`demo: ${line}\n`);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

/** Runs a command in the repository, its output shown; returns its exit code and captured stderr. */
function run(command, args, { capture = false } = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit", encoding: "utf8" });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}
const cairn = (args, options) => run(process.execPath, [join(ROOT, "bin", "cairn.js"), ...args], options);

function fail(message) {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(1);
}

/** GET through the gateway with a Host header: `*.localhost` names resolve in browsers, not always in Node. */
function viaGateway(port, host, path) {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { host: `${host}:${port}`, accept: "application/json" }, timeout: 5000 }, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", () => resolve({ status: 0, body: "" }));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

// 1. Dependencies and build, only when missing or stale.
const lock = join(ROOT, "package-lock.json");
const installed = join(ROOT, "node_modules", ".package-lock.json");
if (!existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs) {
  say("installing dependencies (npm install)");
  if (run("npm", ["install", "--no-audit", "--no-fund"]).code !== 0) fail("npm install failed; see above");
}
if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) {
  say("building Cairn (npm run build)");
  if (run("npm", ["run", "build"]).code !== 0) fail("the build failed; see above");
}

// 2. The stack, in the background; already running is fine.
say(`starting ${STACK} (cairn up -d)`);
const up = cairn(["up", STACK, "-d"], { capture: true });
process.stdout.write(up.stdout);
if (up.code !== 0) {
  if (/already running/.test(up.stderr)) say("already running");
  else {
    process.stderr.write(up.stderr);
    fail(`cairn up failed (exit ${up.code}); see \`cairn logs -s ${STACK}\``);
  }
}
const runner = JSON.parse(readFileSync(join(EXAMPLE, ".cairn", "local", "runner.json"), "utf8"));
const port = Number(new URL(runner.edgeUrl ?? "http://localhost:8080").port || 80);
say(`stack up after ${elapsed()}`);

// 3. The sample week, processed once: the metrics stay in the local table across restarts.
const have = await viaGateway(port, "api.localhost", `/metrics/traffic?from=${WEEK[0]}&to=${WEEK[1]}`);
const days = have.status === 200 ? JSON.parse(have.body).metrics.length : 0;
if (days >= 7) say(`the sample week is already processed (${days} days)`);
else {
  say(`processing ${WEEK[0]}..${WEEK[1]} (cairn run processor)`);
  const processed = cairn(["run", "processor", "-s", STACK, "--", `${WEEK[0]}..${WEEK[1]}`]);
  if (processed.code !== 0) fail(`the processor failed (exit ${processed.code}); see above`);
}

// 4. Where to look.
say(`ready in ${elapsed()}`);
process.stdout.write(`
  dashboard   http://dashboard.localhost:${port}/
  API         http://api.localhost:${port}/metrics?date=2025-11-04
  status      cairn ps ${STACK}
  console     cairn console ${STACK}   (a one-time link to the local console)
  stop        cairn down ${STACK}   (the data stays in ${STACK}/.cairn)
`);
