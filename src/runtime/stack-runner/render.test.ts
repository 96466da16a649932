import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { visibleLength } from "../../text/table.js";
import { renderPs } from "./render.js";
import type { PsReport } from "./snapshot.js";

const plain = pc.createColors(false);

const base: PsReport = {
  at: "2026-12-07T10:05:00.000Z",
  stack: "shop",
  environment: "local",
  file: "/tmp/shop/cairn.yaml",
  pid: 4242,
  url: null,
  services: [],
  resources: [],
  runtimeBuckets: [],
  jobs: [],
  scaling: { services: [], decisions: [] },
  alarms: [],
  problems: [],
  notices: [],
};

const report: PsReport = {
  ...base,
  scaling: {
    services: [
      {
        service: "api",
        min: 2,
        max: 10,
        replicas: 3,
        targets: { cpu: 70, memory: null },
        cooldownOutMs: 60_000,
        cooldownInMs: 300_000,
        cpu: 31.5,
        memory: 12,
        status: "cpu 31.5% < target 70%; scale-in cooldown, 240 s left, and a long tail of words that has to wrap",
      },
    ],
    decisions: Array.from({ length: 7 }, (_, i) => ({
      at: `2026-12-07T10:0${i % 5}:00.000Z`,
      service: "api",
      from: i + 1,
      to: i + 2,
      cpu: 150,
      memory: 10,
      reason: "cpu 150% > target 70%",
      outcome: i === 6 ? ("failed" as const) : ("done" as const),
      error: i === 6 ? "api.8 never became healthy within 10 s" : null,
    })),
  },
  alarms: [
    {
      alarm: "cpu > 80% for 5m",
      metric: "cpu",
      subject: "api",
      op: ">",
      threshold: 80,
      forMs: 300_000,
      state: "ALARM",
      since: "2026-12-07T10:03:30.000Z",
      value: 91.2,
      note: null,
    },
    {
      alarm: "p95 > 3s for 5m",
      metric: "p95",
      subject: null,
      op: ">",
      threshold: 3000,
      forMs: 300_000,
      state: "OK",
      since: "2026-12-07T10:00:00.000Z",
      value: 3400,
      note: null,
    },
    {
      alarm: "error_rate > 5% for 2m",
      metric: "error_rate",
      subject: null,
      op: ">",
      threshold: 5,
      forMs: 120_000,
      state: "INSUFFICIENT_DATA",
      since: "2026-12-07T10:00:00.000Z",
      value: null,
      note: "no request metrics in this run",
    },
  ],
};

describe("cairn ps: scaling and alarms", () => {
  it("shows each alarm on its subject with its state, since when and its value, within 100 columns", () => {
    const text = renderPs(report, plain);
    expect(text).toMatch(/ALARM\s+ON\s+STATE\s+SINCE\s+VALUE\n/);
    expect(text).toMatch(/cpu > 80% for 5m\s+api\s+ALARM\s+1m30s\s+91\.2%\n/);
    expect(text).toMatch(/p95 > 3s for 5m\s+edge\s+OK\s+5m00s\s+3\.4s\n/);
    expect(text).toMatch(/error_rate > 5% for 2m\s+edge\s+INSUFFICIENT_DATA\s+5m00s\s+no request metrics in this run/);
    for (const line of text.split("\n")) expect(visibleLength(line)).toBeLessThanOrEqual(100);
  });

  it("shows each scaled service against its targets and the last five decisions, a failure with its cause", () => {
    const text = renderPs(report, plain);
    expect(text).toMatch(
      /SCALED\s+REPLICAS\s+RANGE\s+CPU \/ TARGET\s+MEM \/ TARGET\s+POLICY\n\s*api\s+3\s+2-10\s+31\.5% \/ 70%\s+12%\s+cpu 31\.5% < target 70%/,
    );
    expect(text.match(/ago\s+api\s+\d+ -> \d+/g)).toHaveLength(5);
    expect(text).not.toContain("1 -> 2");
    expect(text).toMatch(/ago\s+api\s+7 -> 8\s+cpu 150% > target 70% \(failed: api\.8 never became healthy within 10 s\)/);
  });

  it("leaves both sections out when nothing is scaled and no alarm is declared, and reads a report without them", () => {
    const text = renderPs(base, plain);
    expect(text).not.toMatch(/SCALED|ALARM/);
    const { scaling: _scaling, alarms: _alarms, ...older } = base;
    expect(renderPs(older as PsReport, plain)).toBe(text);
  });
});
