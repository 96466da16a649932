import { describe, expect, it } from "vitest";
import { analyzeText, codesOf } from "../../test-support/index.js";

describe("lint/no-health", () => {
  it("warns on a routed service without a health check", () => {
    const [d] = analyzeText("name: s\nservices:\n  web: { run: x, port: 3000 }\nroutes:\n  - { path: /, to: web }\n").diagnostics;
    expect([d?.code, d?.severity, d?.line, d?.column]).toEqual(["lint/no-health", "warning", 3, 3]);
  });

  it("accepts a health check, and an unrouted service without one", () => {
    expect(codesOf("name: s\nservices:\n  web: { run: x, port: 3000, health: /h }\nroutes:\n  - { path: /, to: web }\n")).toEqual([]);
    expect(codesOf("name: s\nservices:\n  web: { run: x, port: 3000 }\n")).toEqual([]);
  });
});

describe("lint/websocket-no-sticky", () => {
  it("warns on several replicas (fixed or at scale max) of a WebSocket service without stickiness", () => {
    expect(codesOf("name: s\nservices:\n  ws: { run: x, websockets: true, replicas: 2 }\n")).toEqual(["lint/websocket-no-sticky"]);
    expect(codesOf("name: s\nservices:\n  ws: { run: x, websockets: true, scale: { min: 1, max: 4 } }\n")).toEqual(["lint/websocket-no-sticky"]);
  });

  it("accepts sticky sessions or a single replica", () => {
    expect(codesOf("name: s\nservices:\n  ws: { run: x, websockets: true, replicas: 2, sticky: 1h }\n")).toEqual([]);
    expect(codesOf("name: s\nservices:\n  ws: { run: x, websockets: true }\n")).toEqual([]);
  });
});

describe("lint/prefix-unknown", () => {
  const stack = (service: string) => `name: s\nservices:\n  dash: { ${service}, port: 8501, health: /h }\nroutes:\n  - { path: /dash, to: dash }\n`;

  it("warns on a Streamlit service (by framework or command) under a prefix without base_path, at the route's path", () => {
    const [d] = analyzeText(stack("run: streamlit run app.py")).diagnostics;
    expect([d?.code, d?.line, d?.path.join(".")]).toEqual(["lint/prefix-unknown", 5, "routes.0.path"]);
    expect(d?.hint).toContain("base_path: /dash");
    expect(codesOf(stack("run: x, framework: streamlit"))).toEqual(["lint/prefix-unknown"]);
    expect(codesOf(stack("run: x, websockets: true"))).toEqual(["lint/prefix-unknown"]);
  });

  it("accepts base_path set, a route at /, and a generic service", () => {
    expect(codesOf(stack("run: streamlit run app.py, base_path: /dash"))).toEqual([]);
    expect(codesOf(stack("run: x"))).toEqual([]);
    expect(codesOf("name: s\nservices:\n  dash: { run: streamlit run a.py, port: 8501, health: /h }\nroutes:\n  - { path: /, to: dash }\n")).toEqual([]);
  });
});
