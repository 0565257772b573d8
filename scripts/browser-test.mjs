#!/usr/bin/env node
// `npm run test:browser [-- --timeout=SECONDS] [NN-name.ipynb …]`: every notebook, run as a user runs it.
// Classic Jupyter Notebook on 127.0.0.1 (random port and token, this checkout's kernelspec), headless
// Debian Chromium driven by playwright-core; per notebook: open, run all cells, wait for the kernel to
// go idle, then assert no error reply, no stderr output, every figure drawn (.js-plotly-plot with an
// svg.main-svg), no request to a non-loopback address, no page error, and the .ipynb left unchanged.
// Screenshots go to screenshots/ (git-ignored). Every process started here is stopped by its PID.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { buildLibrary, LIBRARY_ENTRY } from "./jupyter/build.mjs";
import { startChromium } from "./jupyter/chromium.mjs";
import { startClassicNotebook } from "./jupyter/classic-server.mjs";
import { installKernel, ROOT } from "./jupyter/kernel.mjs";
import { blockRemote } from "./jupyter/local-url.mjs";
import { findPython } from "./jupyter/python.mjs";
import { openAndRunAll, checkFigures, checkOutputs, screenshot } from "./jupyter/notebook-page.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const NOTEBOOK_DIR = resolve(option("dir", join(ROOT, "notebooks"))); // --dir: the runner's own test points it elsewhere
const SCREENSHOT_DIR = resolve(option("screenshots", join(ROOT, "screenshots")));
const timeoutS = Number(option("timeout", process.env.NOTEBOOK_TIMEOUT ?? 600));
const watchdogOption = option("watchdog", process.env.BROWSER_TEST_TIMEOUT); // default: per notebook, its budget + 3 min
const figureTimeoutS = Number(option("figure-timeout", 60));
const wanted = args.filter((a) => !a.startsWith("--")).map((a) => basename(a));

const sha = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

async function testNotebook(context, server, name) {
  const started = Date.now();
  const problems = [];
  const remote = [];
  const page = await context.newPage();
  await blockRemote(page, remote);
  page.on("pageerror", (error) => problems.push(`page error: ${error.message.split("\n")[0]}`));
  const before = sha(join(NOTEBOOK_DIR, name));
  let figures = { expected: 0, drawn: 0 };
  try {
    const url = `${server.baseUrl}/notebooks/${encodeURIComponent(name)}?token=${server.token}`;
    problems.push(...(await openAndRunAll(page, url, timeoutS * 1000)));
    problems.push(...(await checkOutputs(page)));
    figures = await checkFigures(page, figureTimeoutS * 1000);
    if (figures.drawn < figures.expected) problems.push(`only ${figures.drawn} of ${figures.expected} figures drawn`);
  } catch (error) {
    problems.push(error.message.split("\n")[0]);
  }
  await screenshot(page, join(SCREENSHOT_DIR, name.replace(/\.ipynb$/, ".png"))).catch((e) => problems.push(`screenshot: ${e.message}`));
  await page.evaluate(() => window.Jupyter?.notebook?.session?.delete()).catch(() => {});
  await page.close();
  if (sha(join(NOTEBOOK_DIR, name)) !== before) problems.push("the committed .ipynb was modified (autosave?)");
  problems.push(...remote.map((url) => `request to a non-loopback address: ${url}`));
  const seconds = (Date.now() - started) / 1000;
  return { name, problems, seconds, figures, remote: remote.length };
}

async function main() {
  const notebooks = readdirSync(NOTEBOOK_DIR).filter((f) => f.endsWith(".ipynb") && (!wanted.length || wanted.includes(f))).sort();
  if (notebooks.length === 0) throw new Error("no notebooks to test in notebooks/");
  const probe = findPython(["jupyter_client", "notebook"]);
  if (!probe || !/^[56]\./.test(probe.versions.notebook ?? "")) {
    throw new Error("the browser test needs classic Jupyter Notebook 6 (Debian: apt-get install jupyter-notebook; pip: pip install 'notebook<7')");
  }
  if (!existsSync(LIBRARY_ENTRY)) buildLibrary();
  installKernel(probe.path, "private", { quiet: true });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const stops = [];
  const stopAll = () => Promise.all(stops.splice(0).map((stop) => stop().catch(() => {})));
  const watchdogS = Number(watchdogOption ?? 120 + notebooks.length * (timeoutS + 180));
  const watchdog = setTimeout(async () => {
    console.error(`✗ browser test exceeded ${watchdogS} s; stopping everything it started`);
    await stopAll();
    process.exit(1);
  }, watchdogS * 1000);
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll().then(() => process.exit(130)));
  let failed = 0;
  try {
    const server = await startClassicNotebook(probe.path, NOTEBOOK_DIR);
    stops.push(server.stop);
    const chrome = await startChromium();
    stops.push(chrome.stop);
    console.log(`classic Notebook ${probe.versions.notebook} pid ${server.pid} on ${server.baseUrl}; Chromium pid ${chrome.pid}`);
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const width = Math.max(...notebooks.map((n) => n.length));
    for (const name of notebooks) {
      const result = await testNotebook(context, server, name);
      const { figures } = result;
      const mark = result.problems.length ? "✗" : "✓";
      console.log(`${mark} ${name.padEnd(width)} ${result.seconds.toFixed(1).padStart(6)} s  figures ${figures.drawn}/${figures.expected} drawn, ${result.remote} remote requests, screenshot ${relative(process.cwd(), join(SCREENSHOT_DIR, name.replace(/\.ipynb$/, ".png")))}`);
      for (const problem of result.problems) console.log(`    ${problem}`);
      if (result.problems.length) failed++;
    }
    if (failed) console.log(`server log (tail):\n${server.log().split("\n").slice(-15).join("\n")}`);
  } finally {
    clearTimeout(watchdog);
    await stopAll();
  }
  console.log(`browser: ${notebooks.length - failed} passed, ${failed} failed`);
  return failed;
}

main().then(
  (failed) => process.exit(failed ? 1 : 0),
  (error) => {
    console.error(`✗ ${error.message}`);
    console.log("browser: 0 passed, 1 failed");
    process.exit(1);
  },
);
