// Launches Debian's headless Chromium through playwright-core's own `chromium.launch({ executablePath })`
// (playwright owns the process, its throw-away profile and its shutdown). Never downloads a browser.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
  "--disable-default-apps",
  "--disable-extensions",
  "--mute-audio",
  "--no-default-browser-check",
  "--window-size=1280,900",
];

/** Returns { browser, version, stop() }: a playwright Browser on Debian's Chromium, and the way to close it. */
export async function startChromium({ timeoutMs = 60_000 } = {}) {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: sudo apt-get install chromium (or set CHROMIUM_PATH)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: timeoutMs });
  return { browser, version: browser.version(), stop: () => browser.close() };
}
