/** Streamlit is told its upload limit and its path through its own variables, in the model every target reads. */
import { describe, expect, it } from "vitest";
import { composeTarget } from "../targets/compose/index.js";
import { stackFrom } from "../test-support/index.js";

const env = (yaml: string) =>
  Object.fromEntries((stackFrom(yaml).services[0]?.env ?? []).map((v) => [v.name, v.value.map((p) => (p.kind === "text" ? p.text : "?")).join("")]));

describe("streamlit variables", () => {
  it("max_body becomes the upload limit in megabytes, base_path the base URL path", () => {
    const vars = env("name: s\nservices:\n  dash: { run: streamlit run app.py, port: 8501, max_body: 200MB, base_path: /dash }\n");
    expect(vars).toMatchObject({ STREAMLIT_SERVER_MAX_UPLOAD_SIZE: "200", STREAMLIT_SERVER_BASE_URL_PATH: "/dash" });
  });

  it("nothing for another framework, for a prefix the route strips, or where the file sets the variable", () => {
    expect(env("name: s\nservices:\n  api: { run: node api.mjs, port: 3000, max_body: 200MB, base_path: /api }\n")).not.toHaveProperty(
      "STREAMLIT_SERVER_MAX_UPLOAD_SIZE",
    );
    const vars = env(
      "name: s\nservices:\n  dash:\n    run: node d.mjs\n    framework: streamlit\n    port: 8501\n    max_body: 50MB\n    base_path: { path: /d, strip: true }\n    env: { STREAMLIT_SERVER_MAX_UPLOAD_SIZE: '7' }\n",
    );
    expect(vars.STREAMLIT_SERVER_MAX_UPLOAD_SIZE).toBe("7");
    expect(vars).not.toHaveProperty("STREAMLIT_SERVER_BASE_URL_PATH");
  });

  it("reaches a target's files as any variable does", () => {
    const out = composeTarget.generate(
      stackFrom(
        "name: s\nservices:\n  dash: { image: d:1, run: streamlit run app.py, port: 8501, max_body: 1GB }\nenvironments:\n  prod: { target: compose }\n",
      ),
      {},
    );
    expect(out.files.find((f) => f.path === "compose.yaml")?.content).toContain('STREAMLIT_SERVER_MAX_UPLOAD_SIZE: "1000"');
  });
});
