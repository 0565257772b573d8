// Opens exported HTML pages from disk in headless Chromium, with the network blocked, and checks that
// every figure draws (.js-plotly-plot holding an svg.main-svg) without page errors or remote requests.
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { startChromium } from "./chromium.mjs";
import { ROOT } from "./kernel.mjs";
import { blockRemote } from "./local-url.mjs";

async function verifyPage(context, path, timeoutMs) {
  const problems = [];
  const remote = [];
  const page = await context.newPage();
  await blockRemote(page, remote, { allowFile: true });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message.split("\n")[0]}`));
  await page.goto(pathToFileURL(path).href, { waitUntil: "load", timeout: 120_000 });
  const count = () =>
    page.evaluate(() => ({
      expected: document.querySelectorAll(".bnlab-plot").length,
      drawn: [...document.querySelectorAll(".js-plotly-plot")].filter((div) => div.querySelector("svg.main-svg"))
        .length,
    }));
  const deadline = Date.now() + timeoutMs;
  let figures = await count();
  while (figures.drawn < figures.expected && Date.now() < deadline) {
    await page.waitForTimeout(250);
    figures = await count();
  }
  if (figures.drawn < figures.expected) problems.push(`only ${figures.drawn} of ${figures.expected} figures drawn`);
  problems.push(...remote.map((url) => `request to another host: ${url}`));
  mkdirSync(join(ROOT, "screenshots"), { recursive: true });
  await page.screenshot({ path: join(ROOT, "screenshots", `export-${basename(path, ".html")}.png`), fullPage: true });
  await page.close();
  return { figures, problems };
}

/** Verifies each page; prints one line per page and returns the number of problems. */
export async function verifyPages(paths, { timeoutMs = 60_000 } = {}) {
  const chrome = await startChromium();
  let problems = 0;
  try {
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 } });
    for (const path of paths) {
      const result = await verifyPage(context, path, timeoutMs);
      const mark = result.problems.length ? "✗" : "✓";
      console.log(
        `  ${mark} ${basename(path)} opened offline: ${result.figures.drawn}/${result.figures.expected} figures drawn`,
      );
      for (const problem of result.problems) console.log(`      ${problem}`);
      problems += result.problems.length;
    }
  } finally {
    await chrome.stop();
  }
  return problems;
}
