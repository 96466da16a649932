import { describe, expect, it } from "vitest";
import { text } from "../../model/references.js";
import { analyzeText, codesOf } from "../../test-support/index.js";
import { looksSecret } from "./secret-in-clear.js";

const env = (value: string) => `name: s\nsecrets: [K]\nservices:\n  w: { run: x, env: { ${value}, USE: "\${secret.K}" } }\n`;

describe("lint/secret-in-clear", () => {
  it("warns on a URL with a password, a key-shaped value and a literal for a secret-named variable", () => {
    expect(codesOf(env('DB: "postgres://app:hunter22@db/app"'))).toEqual(["lint/secret-in-clear"]);
    expect(codesOf(env("AWS: AKIAABCDEFGHIJKLMNOP"))).toEqual(["lint/secret-in-clear"]);
    expect(codesOf(env("STRIPE_API_KEY: abcdef123456"))).toEqual(["lint/secret-in-clear"]);
  });

  it("points at the variable and suggests a secret reference", () => {
    const [d] = analyzeText(env("API_TOKEN: s3cr3tvalue")).diagnostics;
    expect([d?.code, d?.line, d?.path.join(".")]).toEqual(["lint/secret-in-clear", 4, "services.w.env.API_TOKEN"]);
    expect(d?.hint).toBe("Declare a secret and write API_TOKEN: ${secret.API_TOKEN}.");
  });

  it("accepts references, placeholders and plain values", () => {
    expect(codesOf(env('DB: "postgres://app@db/app", PASSWORD: changeme, LOG_LEVEL: debug'))).toEqual([]);
    expect(looksSecret("TOKEN", [{ kind: "secret", name: "TOKEN" }])).toBeNull();
    expect(looksSecret("URL", text("https://example.com/a:b"))).toBeNull();
  });
});
