import { describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { waitFor } from "../../test-support/wait.js";
import { Autoscaler } from "./autoscaler.js";

const stack = stackFrom(`name: t
services:
  web: { run: node app.js, port: 3000, scale: { min: 1, max: 3, cpu: 50%, cooldown: { out: 10s, in: 30s } } }
  fixed: { run: node app.js, port: 3001, replicas: 2 }
`);

/** An autoscaler on a clock the test moves, whose actuator records the changes and can be told to fail. */
function setup() {
  let now = 1_000_000;
  const calls: { service: string; to: number }[] = [];
  let fail: string | null = null;
  const scaler = new Autoscaler({
    now: () => now,
    kept: 3,
    actuator: {
      async scaleTo(service, to) {
        calls.push({ service, to });
        if (fail) throw new Error(fail);
      },
    },
  });
  const use = (cpu: number | null, count: number) =>
    new Map([
      ["web", { cpu, memory: null, count }],
      ["fixed", { cpu: 500, memory: null, count: 2 }],
    ]);
  return { scaler, calls, use, advance: (ms: number) => (now += ms), failWith: (m: string | null) => (fail = m) };
}

describe("Autoscaler", () => {
  it("scales out, waits its cooldown, scales in after the scale-in cooldown, and records each decision", async () => {
    const { scaler, calls, use, advance } = setup();
    scaler.tick(stack.services, use(150, 1));
    expect(calls).toEqual([{ service: "web", to: 3 }]);
    await waitFor(() => scaler.decisions()[0]?.outcome === "done");
    expect(scaler.decisions()).toEqual([
      {
        at: new Date(1_000_000).toISOString(),
        service: "web",
        from: 1,
        to: 3,
        cpu: 150,
        memory: null,
        reason: "cpu 150% > target 50%",
        outcome: "done",
        error: null,
      },
    ]);
    advance(29_000);
    scaler.tick(stack.services, use(0, 3));
    expect(calls).toHaveLength(1);
    expect(scaler.status()).toEqual([
      {
        service: "web",
        min: 1,
        max: 3,
        replicas: 3,
        targets: { cpu: 50, memory: null },
        cooldownOutMs: 10_000,
        cooldownInMs: 30_000,
        cpu: 0,
        memory: null,
        status: "cpu 0% < target 50%; scale-in cooldown, 1 s left",
      },
    ]);
    advance(1_000);
    scaler.tick(stack.services, use(0, 3));
    expect(calls.at(-1)).toEqual({ service: "web", to: 1 });
  });

  it("waits the scale-in cooldown after the stack starts, and leaves services without scale alone", () => {
    const { scaler, calls, use, advance } = setup();
    scaler.tick(stack.services, use(0, 3));
    advance(29_999);
    scaler.tick(stack.services, use(0, 3));
    expect(calls).toEqual([]);
    advance(1);
    scaler.tick(stack.services, use(0, 3));
    expect(calls).toEqual([{ service: "web", to: 1 }]);
  });

  it("does not decide again while a change is under way; records a failure with its cause; keeps a bounded list", async () => {
    const { scaler, calls, use, advance, failWith } = setup();
    const seen: string[] = [];
    scaler.onDecision((d) => seen.push(`${d.from}->${d.to} ${d.outcome}`));
    failWith("web.2 never became healthy within 5 s");
    scaler.tick(stack.services, use(80, 1));
    scaler.tick(stack.services, use(80, 1));
    expect(calls).toHaveLength(1);
    await waitFor(() => scaler.decisions()[0]?.outcome === "failed");
    expect(scaler.decisions()[0]?.error).toBe("web.2 never became healthy within 5 s");
    failWith(null);
    for (let i = 0; i < 4; i++) {
      advance(10_000);
      scaler.tick(stack.services, use(80, 1));
      await waitFor(() => scaler.decisions().at(-1)?.outcome === "done");
    }
    expect(scaler.decisions()).toHaveLength(3);
    expect(seen.slice(0, 2)).toEqual(["1->2 scaling", "1->2 failed"]);
  });
});
