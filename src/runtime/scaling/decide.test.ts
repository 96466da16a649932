import { describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { decideScale, type ScaleHistory } from "./decide.js";

/** The policy exactly as the model resolves it from a stack file (no second table). */
function scaleOf(spec: string) {
  const scale = stackFrom(`name: t\nservices:\n  web: { run: node app.js, port: 3000, scale: ${spec} }\n`).services[0]?.scale;
  if (!scale) throw new Error("no scale");
  return scale;
}

const fresh: ScaleHistory = { lastOutAt: null, proposals: [] };
const T = 1_000_000;

describe("decideScale", () => {
  it("tracks the CPU target: ceil(replicas * use / target), bounded by max", () => {
    const scale = scaleOf("{ min: 1, max: 4, cpu: 50% }");
    expect(decideScale(scale, 1, { cpu: 120, memory: null }, fresh, T)).toEqual({ action: "out", to: 3, reason: "cpu 120% > target 50%", proposed: 3 });
    expect(decideScale(scale, 2, { cpu: 400, memory: null }, fresh, T)).toMatchObject({ action: "out", to: 4 });
    expect(decideScale(scale, 4, { cpu: 90, memory: null }, fresh, T)).toEqual({
      action: "hold",
      to: 4,
      reason: "cpu 90% > target 50%; at max 4",
      proposed: 4,
    });
  });

  it("holds within the 10% tolerance, and without a measure", () => {
    const scale = scaleOf("{ min: 1, max: 4, cpu: 50% }");
    expect(decideScale(scale, 2, { cpu: 54, memory: null }, fresh, T)).toEqual({ action: "hold", to: 2, reason: "on target", proposed: 2 });
    expect(decideScale(scale, 1, { cpu: 5, memory: null }, fresh, T)).toMatchObject({ action: "hold", reason: "cpu 5% < target 50%; at min 1" });
    expect(decideScale(scale, 2, { cpu: null, memory: 90 }, fresh, T)).toMatchObject({ action: "hold", reason: "no measured metric with a target" });
  });

  it("scales out when any metric asks, and in only when every metric agrees", () => {
    const scale = scaleOf("{ min: 1, max: 6, cpu: 50%, memory: 60% }");
    expect(decideScale(scale, 2, { cpu: 10, memory: 120 }, fresh, T)).toEqual({ action: "out", to: 4, reason: "memory 120% > target 60%", proposed: 4 });
    expect(decideScale(scale, 4, { cpu: 10, memory: 60 }, fresh, T)).toEqual({ action: "hold", to: 4, reason: "on target", proposed: 4 });
    expect(decideScale(scale, 4, { cpu: 10, memory: 20 }, fresh, T)).toEqual({ action: "in", to: 2, reason: "cpu 10%, memory 20% below targets", proposed: 2 });
  });

  it("waits for the scale-out cooldown since the last scale-out, and the file's cooldowns are the ones used", () => {
    const scale = scaleOf("{ min: 1, max: 5, cpu: 50%, cooldown: { out: 30s, in: 2m } }");
    const history = { lastOutAt: T, proposals: [] };
    expect(decideScale(scale, 2, { cpu: 100, memory: null }, history, T + 10_000)).toEqual({
      action: "hold",
      to: 2,
      reason: "cpu 100% > target 50%; scale-out cooldown, 20 s left",
      proposed: 4,
    });
    expect(decideScale(scale, 2, { cpu: 100, memory: null }, history, T + 30_000)).toMatchObject({ action: "out", to: 4 });
  });

  it("scales in to the highest count proposed within the scale-in cooldown", () => {
    const scale = scaleOf("{ min: 1, max: 5, cpu: 50%, cooldown: { out: 30s, in: 2m } }");
    const history = {
      lastOutAt: T,
      proposals: [
        { at: T, to: 3 },
        { at: T + 50_000, to: 2 },
      ],
    };
    expect(decideScale(scale, 3, { cpu: 5, memory: null }, history, T + 60_000)).toEqual({
      action: "hold",
      to: 3,
      reason: "cpu 5% < target 50%; scale-in cooldown, 60 s left",
      proposed: 1,
    });
    expect(decideScale(scale, 3, { cpu: 5, memory: null }, history, T + 120_000)).toEqual({
      action: "in",
      to: 2,
      reason: "cpu 5% below target 50%",
      proposed: 1,
    });
    expect(decideScale(scale, 3, { cpu: 5, memory: null }, history, T + 170_000)).toMatchObject({ action: "in", to: 1 });
    // A scale-out is not held by recent lower proposals.
    expect(decideScale(scale, 1, { cpu: 100, memory: null }, { lastOutAt: null, proposals: [{ at: T, to: 1 }] }, T + 1)).toMatchObject({
      action: "out",
      to: 2,
    });
  });

  it("the defaults of the model apply when the file gives no cooldown (60 s out, 300 s in)", () => {
    const scale = scaleOf("{ min: 1, max: 5, cpu: 50% }");
    const history = { lastOutAt: T, proposals: [{ at: T, to: 2 }] };
    expect(decideScale(scale, 2, { cpu: 100, memory: null }, history, T + 59_000)).toMatchObject({ action: "hold" });
    expect(decideScale(scale, 2, { cpu: 0, memory: null }, history, T + 299_000)).toMatchObject({ action: "hold" });
    expect(decideScale(scale, 2, { cpu: 0, memory: null }, history, T + 300_000)).toMatchObject({ action: "in", to: 1 });
  });

  it("brings a count outside the bounds back at once, and keeps at least one replica for min 0", () => {
    const scale = scaleOf("{ min: 2, max: 3, cpu: 50% }");
    expect(decideScale(scale, 1, { cpu: 0, memory: null }, { lastOutAt: T, proposals: [{ at: T, to: 5 }] }, T)).toEqual({
      action: "out",
      to: 2,
      reason: "below min 2",
      proposed: null,
    });
    expect(decideScale(scale, 5, { cpu: 90, memory: null }, { lastOutAt: T, proposals: [{ at: T, to: 5 }] }, T)).toEqual({
      action: "in",
      to: 3,
      reason: "above max 3",
      proposed: null,
    });
    const zero = scaleOf("{ min: 0, max: 3, cpu: 50% }");
    expect(decideScale(zero, 2, { cpu: 0, memory: null }, fresh, T)).toMatchObject({ action: "in", to: 1 });
  });
});
