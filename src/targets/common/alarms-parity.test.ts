/**
 * The same alarms in every target: for each example with alarms, the EC2 machine of a vm environment
 * (its CloudWatch alarms on EC2's and the agent's metrics and the edge's log), the k8s PrometheusRule
 * and the aws (Fargate) CloudWatch alarms carry each of the stack's alarms with the same threshold and
 * duration. The expected values are read from the resolved model's alarms, nothing else.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { analyze } from "../../load/analyze.js";
import type { Alarm, Stack } from "../../model/types.js";
import { exampleNames, examplePath, loadExample } from "../../test-support/index.js";
import { awsTarget } from "../aws/index.js";
import { k8sTarget } from "../k8s/index.js";

/** The example with three environments added, one per target, so each target reads the same file. */
function stacksOf(name: (typeof exampleNames)[number]): Map<string, Stack> {
  const doc = parseDocument(readFileSync(examplePath(name), "utf8"));
  doc.setIn(["environments", "parity-vm"], doc.createNode({ target: "vm", instance: "t3.medium" }));
  doc.setIn(["environments", "parity-aws"], doc.createNode({ target: "aws" }));
  doc.setIn(["environments", "parity-k8s"], doc.createNode({ target: "k8s" }));
  const out = new Map<string, Stack>();
  for (const env of ["parity-vm", "parity-aws", "parity-k8s"]) {
    const analysis = analyze(examplePath(name), doc.toString(), { env });
    const stack = analysis.stacks.get(env);
    // Harena's three services share port 8000: `cairn check` refuses it on one machine, so it has no vm build.
    if (!stack && name === "harena" && env === "parity-vm") continue;
    if (!stack) throw new Error(`${name} ${env}: ${analysis.diagnostics.map((d) => d.message).join("; ")}`);
    out.set(env, stack);
  }
  return out;
}

/** An alarm as a target carries it: metric, threshold in the model's unit, duration in seconds. */
type Carried = { metric: string; threshold: number; seconds: number };

const fromModel = (a: Alarm): Carried => ({ metric: a.metric, threshold: a.threshold, seconds: a.forMs / 1000 });

type Resource = { Type: string; Properties: Record<string, unknown> };
const cloudWatchAlarms = (stack: Stack) => {
  const out = awsTarget.generate(stack, { outDir: "out" });
  expect(out.errors).toEqual([]);
  const template = JSON.parse(out.files.find((f) => f.path.startsWith("cloudformation/"))?.content ?? "{}") as { Resources: Record<string, Resource> };
  return Object.values(template.Resources).filter((r) => r.Type === "AWS::CloudWatch::Alarm");
};

/** A CloudWatch alarm's metric (from its description, `<source> (...)`), threshold and duration; latency back in ms. */
function carriedByCloudWatch(alarms: Resource[], model: readonly Alarm[]): Carried[] {
  return alarms.map((r) => {
    const p = r.Properties as {
      AlarmDescription: string;
      Threshold: number;
      EvaluationPeriods: number;
      Period?: number;
      Metrics?: { MetricStat?: { Period: number } }[];
    };
    const source = model.find((a) => p.AlarmDescription === a.source || p.AlarmDescription.startsWith(`${a.source} (`));
    if (!source) throw new Error(`an alarm no stack alarm explains: ${p.AlarmDescription}`);
    const period = p.Period ?? p.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Period ?? 0;
    const latency = /^p\d+$/.test(source.metric);
    return { metric: source.metric, threshold: latency ? Math.round(p.Threshold * 1000) : p.Threshold, seconds: period * p.EvaluationPeriods };
  });
}

/** A PrometheusRule's rules: metric from the alert name's end, threshold from the expression's end, `for:` in seconds. */
function carriedByPrometheus(stack: Stack, model: readonly Alarm[]): Carried[] {
  const file = k8sTarget.generate(stack, { outDir: "out" }).files.find((f) => f.path === "base/alarms.yaml");
  const rules = (parse(file?.content ?? "spec: { groups: [{ rules: [] }] }").spec.groups[0].rules ?? []) as { alert: string; expr: string; for: string }[];
  return rules.map((r) => {
    const source = model.find((a) => r.alert.toLowerCase().endsWith(a.metric.replaceAll("_", "")));
    if (!source) throw new Error(`a rule no stack alarm explains: ${r.alert}`);
    const threshold = Number(/ (?:>|>=|<|<=) ([\d.]+)$/.exec(r.expr)?.[1]);
    const m = /^(\d+)(s|m)$/.exec(r.for);
    const seconds = Number(m?.[1]) * (m?.[2] === "m" ? 60 : 1);
    return { metric: source.metric, threshold: /^p\d+$/.test(source.metric) ? Math.round(threshold * 1000) : threshold, seconds };
  });
}

describe("the same alarms in every target", () => {
  it("each example's alarms: same metric, threshold and duration on the EC2 machine, in Kubernetes and on Fargate", async () => {
    let checked = 0;
    for (const name of exampleNames) {
      const alarms = [...(await loadExample(name)).values()][0]?.alarms ?? [];
      if (!alarms.length) continue;
      const stacks = stacksOf(name);
      const model = (stacks.get("parity-k8s") as Stack).alarms;
      expect(model, name).toEqual(alarms);
      const expected = model.map(fromModel);
      // Each target carries every alarm (once per service for cpu and memory on Fargate and Kubernetes).
      const vm = stacks.get("parity-vm");
      const targets: [string, Carried[]][] = [
        ...(vm ? [["vm (EC2)", carriedByCloudWatch(cloudWatchAlarms(vm), model)] as [string, Carried[]]] : []),
        ["k8s", carriedByPrometheus(stacks.get("parity-k8s") as Stack, model)],
        ["aws", carriedByCloudWatch(cloudWatchAlarms(stacks.get("parity-aws") as Stack), model)],
      ];
      for (const [target, carried] of targets) {
        const unique = [...new Map(carried.map((c) => [JSON.stringify(c), c])).values()];
        expect(
          unique.sort((a, b) => a.metric.localeCompare(b.metric)),
          `${name} on ${target}`,
        ).toEqual([...expected].sort((a, b) => a.metric.localeCompare(b.metric)));
      }
      checked += targets.length;
    }
    // CityFlow and ForestGuard on all three targets, Harena on k8s and aws.
    expect(checked).toBe(8);
  }, 120_000);
});
