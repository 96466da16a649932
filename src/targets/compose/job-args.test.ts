/**
 * A job's arguments in the compose file, run by the real `sh` as the container would run them: compose's
 * interpolation applied as compose applies it, the variables of the entry as the container's environment.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { stackFrom } from "../../test-support/index.js";
import { composeTarget } from "./index.js";

const stack = (job: string) =>
  stackFrom(`
name: shop
secrets:
  TOKEN: { description: an API token }
resources:
  files: { type: bucket }
jobs:
${job}
environments:
  prod: { target: compose }
`);

// biome-ignore lint/suspicious/noExplicitAny: a parsed YAML document
function entry(yaml: string): any {
  const out = composeTarget.generate(stack(yaml), {});
  const file = out.files.find((f) => f.path === "compose.yaml");
  return { doc: parse(file?.content ?? ""), warnings: out.warnings };
}

/** What compose does to a value: `${NAME:?...}` from .env, `$$` to `$`. */
function interpolate(value: string, dotEnv: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[?-][^}]*)?\}/g, (_all, name: string | undefined) => (name ? (dotEnv[name] ?? "") : "$"));
}

/** Runs the entry's command with `printf` in place of the program, and returns the argument list. */
// biome-ignore lint/suspicious/noExplicitAny: a parsed compose entry
function argvOf(service: any, dotEnv: Record<string, string>): string[] {
  const [shell, flag, script] = service.command.map((c: string) => interpolate(c, dotEnv));
  const env = Object.fromEntries(Object.entries(service.environment as Record<string, string>).map(([k, v]) => [k, interpolate(v, dotEnv)]));
  const out = execFileSync(shell, [flag, script.replace(/^exec node report\.mjs/, "exec printf '%s\\n'")], { env: { ...env, PATH: process.env.PATH } });
  return out.toString().trimEnd().split("\n");
}

describe("compose job arguments", () => {
  it("run: the arguments follow the command; secrets and resources come from the environment, never as shell text", () => {
    const { doc } = entry(
      [
        "  report:",
        "    run: node report.mjs",
        "    schedule: daily at 02:00",
        "    timezone: Pacific/Kiritimati",
        '    args: ["--day=${run.date}", "--token=${secret.TOKEN}", "${files.name}", "$(touch /tmp/cairn-pwned) `id` \\"q\\" \\\\"]',
      ].join("\n"),
    );
    const report = doc.services.report;
    expect(report.environment.CAIRN_ARG2_2).toBe("${TOKEN:?TOKEN is not set in .env}");
    const argv = argvOf(report, { TOKEN: "s3cr;et $(reboot)" });
    const today = execFileSync("date", ["+%F"], { env: { TZ: "Pacific/Kiritimati" } })
      .toString()
      .trim();
    expect(argv).toEqual([`--day=${today}`, "--token=s3cr;et $(reboot)", "shop-prod-files", '$(touch /tmp/cairn-pwned) `id` "q" \\']);
    expect(report.command[2]).not.toContain("s3cr");
  });

  it("an image's own command: the arguments replace it; ${run.date} is left out with a note", () => {
    const { doc, warnings } = entry(
      ["  report:", "    image: shop/report:1", "    schedule: daily at 02:00", '    args: ["--all", "${run.date}", "${secret.TOKEN}"]'].join("\n"),
    );
    expect(doc.services.report.command).toEqual(["--all", "${TOKEN:?TOKEN is not set in .env}"]);
    expect(warnings).toContainEqual(expect.objectContaining({ part: "jobs.report.args[1]", message: expect.stringContaining("${run.date} needs a shell") }));
  });

  it("a service's image keeps the file's run command", () => {
    const out = composeTarget.generate(
      stackFrom(
        "name: shop\nservices:\n  api: { image: shop/api:1, run: python3 app.py --port $PORT, port: 8000 }\nenvironments:\n  prod: { target: compose }\n",
      ),
      {},
    );
    const doc = parse(out.files.find((f) => f.path === "compose.yaml")?.content ?? "");
    expect(doc.services.api.command).toEqual(["sh", "-c", "python3 app.py --port $$PORT"]);
  });
});
