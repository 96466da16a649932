import { describe, expect, it } from "vitest";
import { analyze } from "../../load/analyze.js";

const codes = (yaml: string, env?: string) =>
  analyze("cairn.yaml", yaml, env === undefined ? {} : { env })
    .diagnostics.filter((d) => d.code === "lint/without-effect")
    .map((d) => `${d.path.join(".")}${d.environments.length ? ` (${d.environments.join(",")})` : ""}`);

describe("lint/without-effect", () => {
  it("max_body and timeout in a stack without routes", () => {
    const yaml = "name: s\nedge: { max_body: 50MB, timeout: 5m }\nservices:\n  web: { run: x, port: 3000, max_body: 1GB }\n";
    expect(codes(yaml)).toEqual(["edge.max_body", "edge.timeout", "services.web.max_body"]);
  });

  it("nothing once a route leads through the gateway, which applies them at each service's address too", () => {
    const yaml =
      "name: s\nedge: { max_body: 50MB }\nservices:\n  web: { run: x, port: 3000, max_body: 1GB }\n  api: { run: y, port: 3001, timeout: 2m }\nroutes:\n  - { path: /, to: web }\n";
    expect(codes(yaml)).toEqual([]);
  });

  it("a maintenance window when no environment manages the database; none when one does", () => {
    const base =
      "name: s\nresources:\n  db: { type: postgres, maintenance: sun 04:00 }\n  cache: { type: redis, maintenance: sat 23:30-00:30 }\nenvironments:\n  local: { target: local }\n";
    expect(codes(`${base}  prod: { target: vm, domain: s.test }\n`)).toEqual(["resources.db.maintenance", "resources.cache.maintenance"]);
    expect(codes(`${base}  prod: { target: aws, domain: s.test, region: eu-west-3 }\n`)).toEqual([]);
    // One environment alone cannot tell what the others do.
    expect(codes(`${base}  prod: { target: vm, domain: s.test }\n`, "local")).toEqual([]);
  });

  it("a maintenance window that is not a weekday and a UTC time is refused with its position", () => {
    const result = analyze("cairn.yaml", "name: s\nresources:\n  db: { type: postgres, maintenance: sunday 4am }\n", {});
    const error = result.diagnostics.find((d) => d.severity === "error");
    expect(error?.path).toEqual(["resources", "db", "maintenance"]);
    expect(error?.message).toContain("such as `sun 04:00` or `sun 04:00-05:00`");
    expect(error?.line).toBe(3);
  });
});
