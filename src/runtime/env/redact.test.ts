import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MIN_SECRET_LENGTH, Redactor } from "./redact.js";

describe("Redactor", () => {
  it("replaces every occurrence of each value by its name, the longest value first", () => {
    const r = new Redactor();
    r.add("TOKEN", "s3cr3t-token");
    r.add("PART", "s3cr3t");
    expect(r.redact("auth s3cr3t-token and s3cr3t, s3cr3t-token")).toBe("auth [secret TOKEN] and [secret PART], [secret TOKEN]");
  });

  it("treats values as text, not patterns, and finds URL-encoded forms", () => {
    const r = new Redactor();
    r.add("P", "a.b*c(d)/e f");
    expect(r.redact("x a.b*c(d)/e f y aXbbc")).toBe("x [secret P] y aXbbc");
    expect(r.redact(`postgres://u:${encodeURIComponent("a.b*c(d)/e f")}@h/db`)).toBe("postgres://u:[secret P]@h/db");
  });

  it("takes a URL's password, and ignores values too short to be secrets and URLs without one", () => {
    const r = new Redactor();
    r.addUrlPassword("REDIS_URL", "redis://:k9%2Fz-pass@127.0.0.1:6379");
    r.addUrlPassword("X", "not a url");
    r.addUrlPassword("Y", "http://127.0.0.1:1/");
    r.add("SHORT", "abc");
    expect(r.redact("pass k9/z-pass and abc")).toBe("pass [secret REDIS_URL] and abc");
  });

  it("leaves no secret in any text that held one (fuzz)", () => {
    const char = fc.constantFrom(..."xyz01-_%/@:".split(""));
    fc.assert(
      // Characters the placeholder "[secret S]" does not use, so only a leak can put the value in the output.
      fc.property(
        fc.string({ unit: char, minLength: MIN_SECRET_LENGTH, maxLength: 16 }),
        fc.array(fc.string({ unit: char, maxLength: 8 }), { maxLength: 5 }),
        (secret, parts) => {
          const r = new Redactor();
          r.add("S", secret);
          const text = parts.join(secret);
          const out = r.redact(text);
          if (parts.length > 1) expect(out).not.toContain(secret);
          expect(r.redact("")).toBe("");
        },
      ),
      { numRuns: 500 },
    );
  });
});
