/**
 * A PNG of an SVG diagram, photographed by Chromium (Debian's, or CAIRN_CHROMIUM) through
 * playwright-core: the page is the SVG alone, no network, at twice the pixel density for print.
 */
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "./chromium.js";

/** The PNG bytes of `svg`, rendered by the browser at `executablePath`. */
export async function pngOf(svg: string, executablePath: string): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2, viewport: { width: 800, height: 600 } });
    // Nothing leaves the page: the SVG is self-contained.
    await page.route("**/*", (route) => route.abort());
    await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
    return await page.locator("svg").first().screenshot({ type: "png" });
  } finally {
    await browser.close();
  }
}
