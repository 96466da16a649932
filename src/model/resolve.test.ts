import { describe, expect, it } from "vitest";
import { exampleStack, stackFrom } from "../test-support/index.js";

describe("resolveStack", () => {
  it("fills every default of a bare service", () => {
    const stack = stackFrom("name: s\nservices:\n  web: { run: node x.js, port: 3000 }\n");
    const web = stack.services[0];
    expect(web).toMatchObject({ name: "web", replicas: 1, websockets: false, stickyMs: null, stopTimeoutMs: 10_000, timeoutMs: 60_000 });
    expect(web?.restart).toEqual({ policy: "always", delayMs: 1000, maxDelayMs: 60_000, maxRestarts: 5, windowMs: 60_000 });
    expect(web?.size).toEqual({ cpu: 0.25, memoryBytes: 512 * 1024 ** 2, defaulted: true });
    expect(stack.environment).toMatchObject({ name: "local", target: "local", region: "us-east-1" });
    expect(stack.edge).toMatchObject({ port: 80, tls: { mode: "off" }, redirectHttp: false });
  });

  it("gives services the edge's timeout and body limit unless they set their own", () => {
    const stack = stackFrom(
      "name: s\nservices:\n  web: { run: x, port: 1 }\n  upload: { run: x, port: 2, timeout: 5m, max_body: 200MB }\nedge: { timeout: 15s, max_body: 1MB }\n",
    );
    expect(stack.services.map((s) => [s.name, s.timeoutMs, s.maxBodyBytes])).toEqual([
      ["web", 15_000, 1_000_000],
      ["upload", 300_000, 200_000_000],
    ]);
    expect(stack.edge).toMatchObject({ timeoutMs: 15_000, maxBodyBytes: 1_000_000 });
  });

  it("applies an environment's overrides, with null removing a key", async () => {
    const local = await exampleStack("forestguard", "local");
    const production = await exampleStack("forestguard", "production");
    const scaleUp = await exampleStack("forestguard", "scale-up");
    expect(local.services[0]?.scale).toBeNull();
    expect(local.services[0]?.replicas).toBe(2);
    expect(production.services[0]?.scale).toMatchObject({ min: 2, desired: 3, max: 10, cpu: 70, memory: 80, cooldownOutMs: 60_000, cooldownInMs: 300_000 });
    expect(scaleUp.services[0]?.size).toEqual({ cpu: 2, memoryBytes: 4 * 1024 ** 3, defaulted: false });
    expect(scaleUp.services[0]?.scale).toMatchObject({ min: 10, max: 30, cpu: 70 });
  });

  it("places resources by target: local, self-hosted on a VM unless managed, managed on aws", async () => {
    const placement = async (env: string) => Object.fromEntries((await exampleStack("forestguard", env)).resources.map((r) => [r.name, r.placement]));
    expect(await placement("local")).toEqual({ db: "local", cache: "local", geojson: "local", assets: "local", backups: "local" });
    expect(await placement("mvp")).toEqual({ db: "managed", geojson: "managed", assets: "managed", backups: "managed" });
    const vm = stackFrom("name: s\nresources:\n  cache: { type: redis }\n  db: { type: postgres, managed: true }\nenvironments:\n  mvp: { target: vm }\n");
    expect(Object.fromEntries(vm.resources.map((r) => [r.name, r.placement]))).toEqual({ cache: "self", db: "managed" });
    expect(await placement("production")).toEqual({ db: "managed", cache: "managed", geojson: "managed", assets: "managed", backups: "managed" });
  });

  it("gives each process the variables of the resources it uses, the file's own winning", async () => {
    const stack = await exampleStack("cityflow", "local");
    const processor = stack.jobs.find((j) => j.name === "processor");
    const names = processor?.env.map((v) => v.name);
    expect(names).toEqual([
      "AWS_REGION",
      "CHUNK_ROWS",
      "DYNAMODB_ENDPOINT",
      "METRICS_TABLE",
      "RAW_BUCKET",
      "REPORTS_BUCKET",
      "REPORT_INDEX_TABLE",
      "S3_ENDPOINT",
    ]);
    const dashboard = stack.services.find((s) => s.name === "dashboard");
    expect(dashboard?.dependsOn).toEqual(["api"]);
    expect(dashboard?.env.find((v) => v.name === "API_URL")?.value).toEqual([{ kind: "service", name: "api", attr: "url" }]);
  });

  it("parses job schedules into cron and systemd calendar forms with the time zone", async () => {
    const stack = await exampleStack("cityflow", "mvp");
    expect(stack.jobs[0]?.schedule).toEqual({ source: "daily at 02:00", cron: "0 2 * * *", calendar: "*-*-* 02:00:00 Europe/Paris", timezone: "Europe/Paris" });
    expect(stack.jobs[0]?.args).toEqual([[{ kind: "var", name: "run.date" }]]);
  });

  it("returns a frozen model", async () => {
    const stack = await exampleStack("minimal");
    expect(Object.isFrozen(stack)).toBe(true);
    expect(Object.isFrozen(stack.services[0]?.env)).toBe(true);
  });
});
