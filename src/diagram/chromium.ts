/**
 * How Cairn starts Chromium (Debian's, or the one CAIRN_CHROMIUM names) to turn a diagram into a PNG
 * and, in the tests, to measure and render diagrams: headless, with no first-run or background
 * network traffic, which a machine without internet access refuses.
 */
import { existsSync } from "node:fs";

export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The browser to use: CAIRN_CHROMIUM when set, else the first one installed; null when none is. */
export function findChromium(env: Readonly<Record<string, string | undefined>>): string | null {
  const given = env.CAIRN_CHROMIUM;
  if (given) return existsSync(given) ? given : null;
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}
