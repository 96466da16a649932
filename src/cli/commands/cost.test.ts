import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureContext, exampleNames, examplePath, loadExample, repoRoot } from "../../test-support/index.js";
import { main } from "../main.js";
import { cost } from "./cost.js";

const dir = mkdtempSync(join(tmpdir(), "cairn-cost-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
/** The shipped catalog without the EKS control plane: a price the catalog may lack. */
const shipped = JSON.parse(readFileSync(join(repoRoot, "catalog", "aws-prices.json"), "utf8"));
const noEks = file("no-eks.json", JSON.stringify({ ...shipped, prices: shipped.prices.filter((p: { service: string }) => p.service !== "eks") }));

async function run(args: string[], now?: string) {
  const context = captureContext();
  const ctx = now ? { ...context, now: () => new Date(now) } : context;
  const code = await main(["cost", ...args], ctx);
  return { code, out: context.out(), err: context.err() };
}

describe("cairn cost on the examples", () => {
  it.each(exampleNames)("prices every environment of %s", async (name) => {
    const { code, out, err } = await run([examplePath(name), "--compare"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    // Fits 100 columns unless --wide is asked.
    expect(Math.max(...out.split("\n").map((line) => line.length))).toBeLessThanOrEqual(100);
    for (const env of (await loadExample(name)).keys()) expect(out).toMatch(new RegExp(`· ${env} · `));
    expect(out).toContain("Summary (USD per month)");
    expect(out).toContain("catalog dated 2025-11-04");
  });
  it("JSON has the same lines, totals and the catalog date", async () => {
    const { code, out } = await run([examplePath("mangetamain"), "--env", "production", "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.catalog.date).toBe("2025-11-04");
    expect(report.catalog.warning).toMatch(/12 months old/);
    const [option] = report.options;
    expect(option.lines[0].origin).toBe("AWS public pricing, published 2025-11-04");
    expect(option.lines.map((l: { service: string; monthly: number }) => [l.service, l.monthly])).toEqual([
      ["EC2", 34.46],
      ["EBS", 1.86],
      ["Public IPv4", 3.65],
      ["Data transfer", 0.9],
    ]);
    expect(report.summary).toEqual([{ environment: "production", option: "vm", total: 40.87, totalUsd: 40.87, complete: true }]);
  });
  it("warns only when the catalog is over 12 months old", async () => {
    expect((await run([examplePath("minimal")], "2026-11-21T00:00:00Z")).out).toMatch(/warning: The price catalog is 12 months old/);
    expect((await run([examplePath("minimal")], "2026-06-01T00:00:00Z")).out).not.toMatch(/warning/);
  });
  it("--compare prices every option and says which instance it chose", async () => {
    const { out } = await run([examplePath("minimal"), "--compare"]);
    expect(out).toMatch(/hello · local · vm/);
    expect(out).toMatch(/hello · local · k8s/);
    expect(out).toMatch(/Instance t3.small chosen: the smallest t3 that holds 0.25 vCPU and 0.5 GiB/);
  });
  it("converts to EUR with the rate printed", async () => {
    const { code, out } = await run([examplePath("mangetamain"), "--env", "production", "--currency", "EUR", "--rate", "0.92"]);
    expect(code).toBe(0);
    expect(out).toContain("Amounts in EUR at 0.92 EUR per USD (rate given by you).");
    expect(out).toMatch(/TOTAL\s+37\.60/); // 31.70 + 1.71 + 3.36 + 0.83
  });
});

describe("cairn cost errors", () => {
  it("EUR without a rate", async () => {
    const { code, err } = await run([examplePath("minimal"), "--currency", "EUR"]);
    expect(code).toBe(1);
    expect(err).toMatch(/error: --currency EUR needs --rate: the catalog is in USD/);
  });
  it("a missing price marks only that option incomplete and names it; --compare options never fail the report", async () => {
    const context = captureContext();
    const code = await cost(examplePath("forestguard"), { env: "production", compare: true, catalog: noEks }, context);
    expect(code).toBe(0);
    expect(context.out()).toMatch(/forestguard · production · k8s \(us-east-1\) · INCOMPLETE\n/);
    expect(context.out()).toMatch(/Missing prices \(this option's total is incomplete\):\n\s+- eks "cluster \(standard support\)" in us-east-1/);
    expect(context.out()).toMatch(/forestguard · production · aws \(us-east-1\)\n/);
    expect(context.err()).toMatch(/warning: no price in the catalog for eks "cluster \(standard support\)" in us-east-1 \(needed by production on k8s\)/);
    expect(context.err()).toMatch(/hint: Add them with --prices FILE/);
  });
  it("fails when an environment's own target cannot be priced in full, after the whole report", async () => {
    const path = file("k8s.yaml", "name: kube\nregion: us-east-1\nservices:\n  web: { image: nginx, port: 80 }\nenvironments:\n  prod: { target: k8s }\n");
    const context = captureContext();
    expect(await cost(path, { catalog: noEks }, context)).toBe(1);
    expect(context.out()).toMatch(/kube · prod · k8s \(us-east-1\) · INCOMPLETE/);
    expect(context.out()).toContain("Summary (USD per month)");
    expect(await cost(path, {}, captureContext())).toBe(0);
  });
  it("--wide keeps the notes in their column", async () => {
    const { code, out } = await run([examplePath("harena"), "--compare", "--wide"]);
    expect(code).toBe(0);
    expect(out).toMatch(/MONTHLY USD {2}NOTE/);
    expect(Math.max(...out.split("\n").map((line) => line.length))).toBeGreaterThan(100);
  });
  it("a prices file that does not exist, is not JSON, or holds bad records", async () => {
    const none = await run([examplePath("minimal"), "--prices", join(dir, "nope.json")]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/cannot read prices file .*nope\.json: ENOENT/);
    const broken = await run([examplePath("minimal"), "--prices", file("broken.json", "[{")]);
    expect(broken.err).toMatch(/prices file .*broken\.json is not valid JSON/);
    const bad = await run([
      examplePath("minimal"),
      "--prices",
      file("bad.json", JSON.stringify([{ service: "ec2", sku: "t3.micro", region: "x", unit: "h", usd: -1, source: "s", source_date: "2025-01-01" }])),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/prices file .*bad\.json: record 1: "usd" must be a number >= 0 \(got -1\)/);
    expect(bad.err).toMatch(/hint: Each record is/);
  });
  it("--diff-env needs --env", async () => {
    const { code, err } = await run([examplePath("cityflow"), "--diff-env", "mvp"]);
    expect(code).toBe(1);
    expect(err).toMatch(/--diff-env needs --env/);
  });
});

describe("--prices and --diff", () => {
  it("a user's price overrides the catalog and is counted in the report", async () => {
    const cheap = file(
      "cheap.json",
      JSON.stringify([{ service: "ec2", sku: "t3.medium", region: "eu-west-3", unit: "hour", usd: 0.04, source: "my quote", source_date: "2026-10-01" }]),
    );
    const { out } = await run([examplePath("mangetamain"), "--env", "production", "--prices", cheap]);
    expect(out).toMatch(/EC2 .* 0\.04 +29\.20/); // 0.04 x 730
    expect(out.replace(/\s+/g, " ")).toContain("1 price(s) from");
    expect(out.replace(/\s+/g, " ")).toMatch(/price from .*cheap\.json, published 2026-10-01/);
  });
  it("--diff OTHER.yaml: what changes and by how much", async () => {
    const text = readFileSync(examplePath("mangetamain"), "utf8").replace("instance: t3.medium", "instance: t3.large");
    const other = file("cairn.yaml", text);
    const { code, out } = await run([examplePath("mangetamain"), "--env", "production", "--diff", other]);
    expect(code).toBe(0);
    expect(out).toMatch(/EC2 +1 x t3.medium .* +1 x t3.large .* +34\.46 +68\.91 +\+34\.45/);
    expect(out).toMatch(/TOTAL +40\.87 +75\.32 +\+34\.45 \(\+84\.3%\)/);
  });
  it("--diff-env: one environment against another", async () => {
    const { code, out } = await run([examplePath("cityflow"), "--env", "mvp", "--diff-env", "recommended"]);
    expect(code).toBe(0);
    expect(out).toContain("mvp on vm -> recommended on vm");
    expect(out).toMatch(/TOTAL +47\.23 +83\.41 +\+36\.18/);
    const json = JSON.parse((await run([examplePath("cityflow"), "--env", "mvp", "--diff-env", "recommended", "--json"])).out);
    expect(json.diffs[0]).toMatchObject({ before: { environment: "mvp", total: 47.23 }, after: { environment: "recommended", total: 83.41 }, delta: 36.18 });
  });
});
