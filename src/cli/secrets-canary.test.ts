/**
 * The canary: a secret value set in `.env`, printed by a service and a job and passed in a job's args, must
 * be found nowhere Cairn writes or prints: no log file, no state file under .cairn/, no generated file, not
 * `cairn ps --json`, nor any verb's stdout or stderr. The same for the passwords Cairn generates for its
 * Redis and Postgres. `cairn up` runs as a child process, with a real Redis and a real Postgres.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../runtime/ports.js";
import { removeDir, runCli, startCli, waitFor } from "../runtime/stack-runner/test-helpers.js";

const CANARY = "canary-5e1f0c9a7b3d";
const dir = mkdtempSync(join(tmpdir(), "cairn-canary-"));
// The stores run as unprivileged users when the tests run as root: they must get through this folder.
chmodSync(dir, 0o755);
afterAll(() => removeDir(dir));

const STACK = (port: number) => `name: canary
secrets: [CANARY]
services:
  web:
    run: node web.mjs
    image: example/web:1
    port: 3000
    health: { path: /health, interval: 200ms, healthy: 1 }
    env: { CANARY: "\${secret.CANARY}", CACHE: "\${cache.url}", DB: "\${db.url}" }
jobs:
  leak:
    run: node job.mjs
    image: example/job:1
    args: ["--token=\${secret.CANARY}"]
    timeout: 1m
    env: { CANARY: "\${secret.CANARY}", CACHE: "\${cache.url}" }
resources:
  cache: { type: redis }
  db: { type: postgres }
routes: [{ path: /, to: web }]
edge: { port: ${port} }
environments:
  local: {}
  vm: { target: vm }
  compose: { target: compose }
  k8s: { target: k8s }
  aws: { target: aws }
`;

const WEB = `import { createServer } from "node:http";
console.log("secret", process.env.CANARY, "cache", process.env.CACHE, "db", process.env.DB);
console.error("on stderr too:", process.env.CANARY);
createServer((req, res) => {
  if (req.url !== "/health") console.log("request", req.url, req.headers.authorization, req.headers.cookie);
  res.end(req.url === "/health" ? "ok" : "hello " + process.env.CANARY);
}).listen(Number(process.env.PORT), "127.0.0.1");
`;
const JOB = `console.log("args", process.argv.slice(2).join(" "), "env", process.env.CANARY, process.env.CACHE);
console.error("failing with", process.env.CANARY);
`;

/** Every regular file under `root`, skipping the stores' binary data (the canary is never stored there). */
function files(root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) out.push(...files(path));
    else if (entry.isFile() && statSync(path).size < 8 * 1024 * 1024) out.push(path);
  }
  return out;
}

describe("a canary secret", { timeout: 300_000 }, () => {
  it("appears in no log, state file, generated file or output of any verb, nor do the generated passwords", async () => {
    const port = await freePort();
    writeFileSync(join(dir, "cairn.yaml"), STACK(port));
    writeFileSync(join(dir, "web.mjs"), WEB);
    writeFileSync(join(dir, "job.mjs"), JOB);
    writeFileSync(join(dir, ".env"), `CANARY=${CANARY}\n`);
    // In a git work tree, with .env not ignored: check and up warn about it.
    execFileSync("git", ["init", "-q"], { cwd: dir });

    const outputs: { verb: string; text: string }[] = [];
    const verb = async (args: string[]) => {
      const result = await runCli(args, { cwd: dir });
      outputs.push({ verb: args.join(" "), text: `${result.stdout}\n${result.stderr}` });
      return result;
    };

    const up = startCli(["up"], { cwd: dir });
    await waitFor(() => up.stdout().includes("Ctrl-C stops everything") || up.child.exitCode !== null, 120_000, "cairn up to start");
    expect(up.stderr()).toContain("lint/dotenv-not-ignored");
    const answer = await fetch(`http://127.0.0.1:${port}/?token=${CANARY}&page=1`, {
      headers: { authorization: `Bearer ${CANARY}`, cookie: `session=${CANARY}` },
    });
    expect(await answer.text()).toBe(`hello ${CANARY}`); // the service has the value: only outputs lose it

    const ps = await verb(["ps", "--json"]);
    expect(JSON.parse(ps.stdout).running).toBe(true);
    await verb(["ps"]);
    const run = await verb(["run", "leak"]);
    expect(run.stdout).toContain("args --token=[secret CANARY] env [secret CANARY]");
    await waitFor(() => readFileSync(join(dir, ".cairn/local/logs/web.1.log"), "utf8").includes("request /?token="), 10_000, "the request in the log");
    const logs = await verb(["logs"]);
    expect(logs.stdout).toContain("secret [secret CANARY] cache redis://:[secret cache.url]@127.0.0.1:");
    expect(logs.stdout).toContain("request /?token=[secret CANARY]&page=1 Bearer [secret CANARY] session=[secret CANARY]");
    const check = await verb(["check"]);
    expect(check.stderr).toContain("lint/dotenv-not-ignored");
    for (const target of ["vm", "compose", "k8s", "aws"]) expect((await verb(["build", "--target", target])).code).toBe(0);
    await verb(["cost"]);
    await verb(["diagram"]);
    await verb(["docs"]);

    up.child.kill("SIGINT");
    expect(await up.exited).toBe(130); // stopped by Ctrl-C
    outputs.push({ verb: "up", text: `${up.stdout()}\n${up.stderr()}` });

    // Detached: its own output goes to .cairn/local/logs/cairn.log.
    expect((await verb(["up", "-d"])).code).toBe(0);
    expect((await verb(["run", "leak"])).code).toBe(0);
    expect((await verb(["down"])).code).toBe(0);
    const daemonLog = readFileSync(join(dir, ".cairn/local/logs/cairn.log"), "utf8");
    expect(daemonLog).toContain("job:leak | args --token=[secret CANARY]");

    const credentials = (name: string) => JSON.parse(readFileSync(join(dir, ".cairn/local/resources", name, "credentials.json"), "utf8"));
    const passwords = [credentials("cache")["redis-default"], credentials("db")["postgres-app"]] as string[];
    expect(passwords.every((p) => /^[0-9a-f]{48}$/.test(p))).toBe(true);

    const leaks: string[] = [];
    for (const { verb: name, text } of outputs) {
      if (text.includes(CANARY)) leaks.push(`cairn ${name}: the canary`);
      for (const p of passwords) if (text.includes(p)) leaks.push(`cairn ${name}: a generated password`);
    }
    // Files that must hold a generated password to do their work (the store's own configuration, the
    // endpoint other verbs connect with), all under the resource's folder and mode 0600 where they are new.
    const holders = /resources\/[^/]+\/(credentials\.json|redis\.conf|endpoint\.json)$/;
    const written = [...files(join(dir, ".cairn")), ...files(join(dir, "out"))];
    expect(written.filter((f) => f.endsWith(".log")).length).toBeGreaterThanOrEqual(5);
    for (const file of written) {
      const text = readFileSync(file, "latin1");
      if (text.includes(CANARY)) leaks.push(`${relative(dir, file)}: the canary`);
      if (!holders.test(file)) for (const p of passwords) if (text.includes(p)) leaks.push(`${relative(dir, file)}: a generated password`);
    }
    expect(leaks).toEqual([]);
    // The verbs ran: there was something to leak.
    expect(outputs.map((o) => o.verb)).toEqual([
      "ps --json",
      "ps",
      "run leak",
      "logs",
      "check",
      "build --target vm",
      "build --target compose",
      "build --target k8s",
      "build --target aws",
      "cost",
      "diagram",
      "docs",
      "up",
      "up -d",
      "run leak",
      "down",
    ]);
  });
});
