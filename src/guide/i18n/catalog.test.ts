/**
 * The message catalog: every French text differs from its English one unless the key is listed as the
 * same in both languages (and a listed key really is the same), both use the same placeholders, and
 * numbers, money, dates and durations follow each language's conventions.
 */
import { describe, expect, it } from "vitest";
import { MESSAGES, type Message, type MessageKey, SAME_IN_BOTH } from "./catalog.js";
import { wordsFor } from "./words.js";

const forms = (m: Message): string[] => (typeof m === "string" ? [m] : [m.one, m.other]);
const placeholders = (m: Message) => [...new Set(forms(m).flatMap((f) => [...f.matchAll(/\{(\w+)\}/g)].map((x) => x[1])))].sort();
const keys = Object.keys(MESSAGES.en) as MessageKey[];

describe("message catalog", () => {
  it("has a French text for every English key, and no other", () => {
    expect(Object.keys(MESSAGES.fr).sort()).toEqual([...keys].sort());
  });

  it("gives French texts that differ from the English ones, unless listed as the same", () => {
    const same = keys.filter((k) => JSON.stringify(MESSAGES.fr[k]) === JSON.stringify(MESSAGES.en[k]));
    expect(same.filter((k) => !SAME_IN_BOTH.has(k))).toEqual([]);
    // The list holds only keys that really are the same.
    expect([...SAME_IN_BOTH].filter((k) => !same.includes(k))).toEqual([]);
  });

  it("uses the same placeholders in both languages", () => {
    const differ = keys.filter((k) => JSON.stringify(placeholders(MESSAGES.en[k])) !== JSON.stringify(placeholders(MESSAGES.fr[k])));
    expect(differ).toEqual([]);
  });

  it("picks the plural form by count, with each language's rule", () => {
    const en = wordsFor("en");
    const fr = wordsFor("fr");
    expect(en.t("replicas.fixed", { count: 1 })).toBe("1 replica");
    expect(en.t("replicas.fixed", { count: 0 })).toBe("0 replicas");
    // French counts 0 and 1 as singular.
    expect(fr.t("replicas.fixed", { count: 0 })).toBe("0 réplica");
    expect(fr.t("replicas.fixed", { count: 3 })).toBe("3 réplicas");
  });

  it("formats numbers, dollars, dates, durations, sizes and lists per language", () => {
    const en = wordsFor("en");
    const fr = wordsFor("fr");
    expect(en.usd(1234.5)).toBe("$1,234.50");
    expect(fr.usd(1234.5)).toMatch(/^1\s234,50\s\$US$/u);
    expect(en.number(2519.25)).toBe("2,519.25");
    expect(fr.number(2519.25)).toMatch(/^2\s519,25$/u);
    expect(en.date("2025-11-04")).toBe("November 4, 2025");
    expect(fr.date("2025-11-04")).toBe("4 novembre 2025");
    expect(en.duration(30_000)).toBe("30s");
    expect(fr.duration(30_000)).toMatch(/^30\ss$/u);
    expect(en.duration(7 * 86_400_000)).toBe("7 days");
    expect(fr.duration(7 * 86_400_000)).toMatch(/^7\sjours$/u);
    expect(en.bytes(2 * 1024 ** 3)).toBe("2 GiB");
    expect(fr.bytes(2 * 1024 ** 3)).toBe("2 Gio");
    expect(fr.bytes(100e9)).toBe("100 Go");
    expect(en.list(["a", "b", "c"])).toBe("a, b, and c");
    expect(fr.list(["a", "b", "c"])).toBe("a, b et c");
  });

  it("leaves an unknown placeholder visible rather than empty", () => {
    expect(wordsFor("en").t("service.port", {})).toBe("port {port}");
  });
});
