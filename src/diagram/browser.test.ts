/**
 * Diagrams and guides in a real browser (Debian Chromium through playwright-core), one browser for
 * the whole file so the browser checks run one at a time:
 * - every SVG parses as XML (the browser's own parser), asks for nothing over the network, and its
 *   geometry holds: no two boxes overlap, a container holds its boxes, and no label overflows its box,
 *   with label sizes measured by the browser (getBBox), not by the estimate the layout used; on every
 *   example view in both languages, and on generated stacks;
 * - the Mermaid text of every view is parsed and rendered by mermaid (the pinned package, loaded from
 *   node_modules) without error;
 * - screenshots of the examples' diagrams and HTML guides land in test-artifacts/ to be looked at.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wordsFor } from "../guide/i18n/words.js";
import { renderHtml } from "../guide/render-html.js";
import { exampleGuide, ROOT } from "../guide/test-support.js";
import { CHROMIUM_ARGS } from "./chromium.js";
import { renderMermaid } from "./mermaid.js";
import { svgOf } from "./render.js";
import { type Case, exampleCases, stackOf, stackText } from "./test-support.js";
import { buildView } from "./views/index.js";

const ARTIFACTS = join(ROOT, "test-artifacts");

/**
 * Runs in the page on the SVG in `#host`: returns every geometry problem found. A string, not a
 * function, so the page gets exactly this code.
 */
const GEOMETRY = `(() => {
  const problems = [];
  const svg = document.querySelector("#host svg");
  const rectOf = (g) => { const r = g.querySelector(":scope > rect"); return { x: +r.getAttribute("x"), y: +r.getAttribute("y"), w: +r.getAttribute("width"), h: +r.getAttribute("height") }; };
  const inside = (a, b, slack) => a.x >= b.x - slack && a.y >= b.y - slack && a.x + a.w <= b.x + b.w + slack && a.y + a.h <= b.y + b.h + slack;
  const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const boxes = [...svg.querySelectorAll("g.box")].map((g) => ({ id: g.dataset.id, container: g.classList.contains("container"), rect: rectOf(g), g }));
  for (const b of boxes)
    for (const t of svg.querySelectorAll('text[data-box="' + CSS.escape(b.id) + '"]')) {
      const bb = t.getBBox();
      const text = { x: bb.x, y: bb.y, w: bb.width, h: bb.height };
      if (!inside(text, b.rect, 0.5)) problems.push("label overflows " + b.id + ": " + t.textContent + " " + JSON.stringify(text) + " in " + JSON.stringify(b.rect));
    }
  const leaves = boxes.filter((b) => !b.container);
  for (let i = 0; i < leaves.length; i++)
    for (let j = i + 1; j < leaves.length; j++)
      if (overlap(leaves[i].rect, leaves[j].rect)) problems.push("boxes overlap: " + leaves[i].id + " and " + leaves[j].id);
  for (const label of svg.querySelectorAll("g.edge-label")) {
    const r = rectOf(label);
    const t = label.querySelector("text").getBBox();
    if (!inside({ x: t.x, y: t.y, w: t.width, h: t.height }, r, 0.5)) problems.push("edge label overflows: " + label.textContent);
    for (const b of leaves) if (overlap(r, b.rect)) problems.push("edge label " + label.textContent + " covers " + b.id);
  }
  const whole = { x: 0, y: 0, w: +svg.getAttribute("width"), h: +svg.getAttribute("height") };
  for (const b of boxes) if (!inside(b.rect, whole, 0.5)) problems.push("box outside the picture: " + b.id);
  return { problems, boxes: boxes.length };
})()`;

describe("diagrams and guides in Chromium", () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: [...CHROMIUM_ARGS] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.route("**/*", (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    mkdirSync(join(ARTIFACTS, "diagrams"), { recursive: true });
    mkdirSync(join(ARTIFACTS, "guides"), { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Parses the SVG with the browser's XML parser, then shows it and measures it. */
  async function check(svg: string): Promise<{ problems: string[]; boxes: number }> {
    const parseError = await page.evaluate(
      `(() => { const e = new DOMParser().parseFromString(${JSON.stringify(svg)}, "image/svg+xml").querySelector("parsererror"); return e ? e.textContent : null; })()`,
    );
    expect(parseError).toBeNull();
    await page.setContent(`<!doctype html><html><body style="margin:0"><div id="host">${svg}</div></body></html>`);
    return (await page.evaluate(GEOMETRY)) as { problems: string[]; boxes: number };
  }

  async function shoot(name: string): Promise<void> {
    await page.locator("#host svg").screenshot({ path: join(ARTIFACTS, "diagrams", `${name}.png`) });
  }

  it("lays out every example view without overlap or overflow, in English and French", async () => {
    const cases: Case[] = await exampleCases();
    for (const lang of ["en", "fr"] as const) {
      const w = wordsFor(lang);
      for (const c of cases) {
        const svg = await svgOf(buildView(c.stack, c.view, w), w);
        const { problems, boxes } = await check(svg);
        expect(problems, `${c.name} (${lang})`).toEqual([]);
        expect(boxes).toBeGreaterThan(2);
        if (!c.name.startsWith("minimal")) await shoot(`${c.name}.${lang}`);
      }
    }
    expect(requests).toEqual([]);
  }, 180_000);

  it("lays out generated stacks without overlap or overflow", async () => {
    const w = wordsFor("en");
    await fc.assert(
      fc.asyncProperty(stackText, async (text) => {
        const stack = stackOf(text);
        const view =
          stack.environment.target === "aws" || stack.environment.target === "vm" || stack.environment.target === "k8s" ? stack.environment.target : "logical";
        for (const v of new Set(["logical", view] as const)) {
          const { problems } = await check(await svgOf(buildView(stack, v, w), w));
          expect(problems, `${v} of\n${text}`).toEqual([]);
        }
      }),
      { numRuns: 25 },
    );
  }, 240_000);

  it("has mermaid parse and render the Mermaid text of every example view", async () => {
    await page.setContent("<!doctype html><html><body><div id='out'></div></body></html>");
    await page.addScriptTag({ path: join(ROOT, "node_modules/mermaid/dist/mermaid.min.js") });
    await page.evaluate("mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })");
    const w = wordsFor("en");
    for (const c of await exampleCases()) {
      const diagram = buildView(c.stack, c.view, w);
      const result = (await page.evaluate(
        `mermaid.render("m${Math.random().toString(36).slice(2)}", ${JSON.stringify(renderMermaid(diagram))}).then((r) => ({ ok: true, nodes: (r.svg.match(/class="node /g) || []).length }), (e) => ({ ok: false, error: String(e && e.message || e) }))`,
      )) as { ok: boolean; nodes?: number; error?: string };
      expect(result, c.name).toEqual({ ok: true, nodes: expect.any(Number) });
      const leaves = diagram.nodes.filter((n) => !diagram.nodes.some((m) => m.parent === n.id)).length;
      expect(result.nodes, c.name).toBe(leaves);
    }
  }, 120_000);

  it("shows each example's HTML guide, in both languages, on screen and printed", async () => {
    for (const name of ["mangetamain", "cityflow", "harena", "forestguard"])
      for (const lang of ["en", "fr"] as const) {
        const guide = await exampleGuide(name, lang);
        const html = renderHtml(guide.document, wordsFor(lang).t("guide.toc"));
        await page.setContent(html);
        const figures = await page.locator("figure svg").count();
        expect(figures).toBe(guide.diagrams.length);
        expect(await page.locator("table").count()).toBeGreaterThan(5);
        await page.screenshot({ path: join(ARTIFACTS, "guides", `${name}.${lang}.png`) });
        await page.emulateMedia({ media: "print" });
        await page.screenshot({ path: join(ARTIFACTS, "guides", `${name}.${lang}.print.png`), fullPage: false });
        const pdf = await page.pdf({ format: "A4", printBackground: true });
        writeFileSync(join(ARTIFACTS, "guides", `${name}.${lang}.pdf`), pdf);
        expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
        await page.emulateMedia({ media: "screen" });
      }
    expect(requests).toEqual([]);
  }, 180_000);
});
