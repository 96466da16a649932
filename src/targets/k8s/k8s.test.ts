import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { Stack } from "../../model/types.js";
import { type ExampleName, exampleNames, examplePath, loadExample, stackFrom } from "../../test-support/index.js";
import type { TargetOutput } from "../types.js";
import { k8sTarget } from "./index.js";
import { checkKustomization, checkManifest } from "./test-support/manifest-check.js";

const docs = (out: TargetOutput, path: string) => {
  const file = out.files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in ${out.files.map((f) => f.path).join(", ")}`);
  return parseAllDocuments(file.content).map((d) => d.toJS());
};

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), "cairn-k8s-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const stacks = new Map<string, Stack>();
beforeAll(async () => {
  for (const name of exampleNames) for (const [env, stack] of await loadExample(name)) stacks.set(`${name}/${env}`, stack);
});

describe("k8s target on every example and environment", () => {
  it("validates every manifest with kubernetes-models and rejects no field as unknown", () => {
    expect(stacks.size).toBeGreaterThanOrEqual(12);
    for (const [key, stack] of stacks) {
      const out = k8sTarget.generate(stack, { outDir: "out" });
      expect(out.errors, key).toEqual([]);
      const paths = new Set(out.files.map((f) => f.path));
      for (const file of out.files.filter((f) => f.path.endsWith(".yaml"))) {
        for (const doc of docs(out, file.path)) {
          const problems = file.path.endsWith("kustomization.yaml") ? checkKustomization(doc) : checkManifest(doc);
          expect(problems, `${key} ${file.path}`).toEqual([]);
          if (file.path.endsWith("kustomization.yaml"))
            for (const r of doc.resources as string[]) {
              const dir = file.path.replace(/kustomization\.yaml$/, "");
              const target = new URL(r, `file:///x/${dir}`).pathname.slice(3).replace(/\/$/, "");
              expect(paths.has(target) || paths.has(`${target}/kustomization.yaml`), `${key} ${file.path} -> ${r}`).toBe(true);
            }
        }
      }
      expect(k8sTarget.generate(stack, { outDir: "out" }), `${key} is deterministic`).toEqual(out);
    }
  });

  it.each(exampleNames.map((n) => [n]))("snapshot of %s", (name: ExampleName) => {
    const env =
      name === "forestguard"
        ? "production"
        : [...stacks.keys()]
            .filter((k) => k.startsWith(`${name}/`))
            .at(-1)
            ?.split("/")[1];
    const stack = stacks.get(`${name}/${env}`) as Stack;
    const out = k8sTarget.generate(stack, { outDir: "out/k8s" });
    expect(Object.fromEntries(out.files.map((f) => [f.path, f.content]))).toMatchSnapshot();
    expect(out.warnings).toMatchSnapshot();
  });

  it("snapshot of forestguard/mvp with its cache kept (the cache in the cluster, the database managed)", () => {
    // The example's MVP drops Redis (`cache: null`); kept here, it runs in the cluster beside the app.
    const text = readFileSync(examplePath("forestguard"), "utf8")
      .replace("      cache: null", "      cache: { replicas: 0 }")
      .replace("env: { REDIS_URL: null }, depends_on: [db, geojson, assets] }", "}");
    const out = k8sTarget.generate(stackFrom(text, "mvp"), { outDir: "out/k8s" });
    expect(out.files.map((f) => f.path)).toContain("base/data/cache.yaml");
    expect(Object.fromEntries(out.files.map((f) => [f.path, f.content]))).toMatchSnapshot();
  });
});

describe("broken manifests", () => {
  const deployment = () => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", labels: { any: "label" } },
    spec: { selector: { matchLabels: { a: "b" } }, template: { spec: { containers: [{ name: "web", image: "nginx" }] } } },
  });

  it("accepts the well-formed one, with free-form labels", () => {
    expect(checkManifest(deployment())).toEqual([]);
  });

  it("the kubernetes-models validator catches a wrong type and a missing field", () => {
    const broken = deployment() as Record<string, unknown> & { spec: Record<string, unknown> };
    broken.spec.replicas = "three";
    delete broken.spec.selector;
    const problems = checkManifest(broken);
    expect(problems.join("\n")).toMatch(/replicas must be integer/);
    expect(problems.join("\n")).toMatch(/spec must have required property selector/);
    expect(problems.some((p) => p.includes("unknown field"))).toBe(false);
  });

  it("the unknown-field check catches a misspelt field the validator lets through", () => {
    const broken = deployment() as ReturnType<typeof deployment> & { spec: { replica?: number } };
    broken.spec.replica = 3;
    (broken.spec.template.spec.containers[0] as Record<string, unknown>).imagePullPolicyy = "Always";
    expect(checkManifest(broken).sort()).toEqual([
      "Deployment: unknown field /spec/replica",
      "Deployment: unknown field /spec/template/spec/containers/0/imagePullPolicyy",
    ]);
  });

  it("a kustomization with an unknown field or no resources is rejected", () => {
    expect(checkKustomization({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resource: ["a.yaml"] })).toEqual([
      "Kustomization: unknown field /resource",
      "Kustomization: no resources",
    ]);
  });
});

describe("kustomize", () => {
  it("kubectl kustomize renders every overlay, everything in the environment's namespace", async () => {
    for (const [key, stack] of stacks) {
      const out = k8sTarget.generate(stack, { outDir: "out" });
      const folder = join(work, key.replace("/", "-"));
      for (const file of out.files) {
        mkdirSync(dirname(join(folder, file.path)), { recursive: true });
        writeFileSync(join(folder, file.path), file.content);
      }
      const env = stack.environment.name;
      const { stdout } = await run("kubectl", ["kustomize", join(folder, "overlays", env)]);
      const objects = parseAllDocuments(stdout).map((d) => d.toJS());
      const generated = out.files.filter((f) => f.path.startsWith("base/") && !f.path.endsWith("kustomization.yaml")).flatMap((f) => docs(out, f.path));
      expect(objects.length, key).toBe(generated.length + 1);
      const namespace = `${stack.name}-${env}`;
      for (const o of objects) {
        if (o.kind === "Namespace") expect(o.metadata.name).toBe(namespace);
        else expect(o.metadata.namespace, `${key} ${o.kind} ${o.metadata.name}`).toBe(namespace);
        expect(o.metadata.labels["cairn.dev/environment"]).toBe(env);
      }
    }
  }, 60_000);
});
