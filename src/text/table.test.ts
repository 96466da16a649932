import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bullet, table, visibleLength, wrap } from "./table.js";

describe("terminal tables", () => {
  it("aligns columns, right-aligning numbers, and ignores colour codes in widths", () => {
    expect(
      table(
        [
          ["a", "1", "x"],
          ["bbb", "100", "y"],
        ],
        { right: [1], indent: "  " },
      ),
    ).toBe("  a      1  x\n  bbb  100  y");
    const red = "\u001b[31mred\u001b[39m";
    expect(
      table([
        [red, "z"],
        ["abcd", "w"],
      ]),
    ).toBe(`${red}   z\nabcd  w`);
  });

  it("wraps the chosen column to fit the width, continuation lines under it", () => {
    const text = table(
      [
        ["KEY", "TEXT", "N"],
        ["k", "one two three four five six seven eight nine ten", "1"],
      ],
      { wrap: 1, width: 30, right: [2] },
    );
    expect(text.split("\n").every((line) => line.length <= 30)).toBe(true);
    const [, first, ...rest] = text.split("\n");
    expect(first).toMatch(/^k {4}one two three four +1$/);
    expect(rest.map((line) => line.trim()).join(" ")).toBe("five six seven eight nine ten");
  });

  it("wraps any text into lines no longer than the width, losing no word", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,30}$/), { maxLength: 40 }), fc.integer({ min: 5, max: 80 }), (words, width) => {
        const lines = wrap(words.join(" "), width);
        expect(lines.every((line) => visibleLength(line) <= width)).toBe(true);
        expect(lines.join("").replace(/ /g, "")).toBe(words.join(""));
      }),
    );
  });

  it("hangs a bullet's continuation lines under its text", () => {
    expect(bullet("alpha beta gamma delta", 17)).toBe("    - alpha beta\n      gamma delta");
  });
});
