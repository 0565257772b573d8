#!/usr/bin/env node
// `npm run test:lite [-- NN-name.ipynb …] [--build] [--no-student] [--no-search] [--no-offline | --offline-only] [--timeout=SECONDS]`: the JupyterLite site in a real browser.
// Serves build/lite/ (built first when missing or older than its inputs; --build: always) on 127.0.0.1 with
// a tiny static server, launches Debian's Chromium through playwright-core (never downloads a browser) and:
//   1. per notebook (every notebooks/*.ipynb by default; or those named as arguments or in
//      LITE_NOTEBOOKS=NN-name,…), in a fresh
//      browser context: opens it in JupyterLab (JupyterLite), runs all cells and asserts that every code
//      cell replied "ok", no cell shows an error or stderr, every figure is drawn (.js-plotly-plot with an
//      svg.main-svg), no request left the origin (each is blocked and reported), no page error happened and
//      no file was missing. Its printed output is compared with tslab's run in build/executed/ (what
//      `npm run test:notebooks` writes, and must be newer than the notebook): stdout and the text of displays
//      must be identical, timings masked, for every notebook (compare.mjs says why this holds);
//   2. offline (skip: --no-offline): a fresh browser loads the site once, without opening a notebook; then
//      the network is cut (context.setOffline) AND the server stopped; the page reloads and runs 00-start-here
//      (every cell ok, every figure drawn) from the service worker's cache alone (lite/offline/offline-sw.js);
//   2b. runSearchParallel (skip: --no-search): in 2 Web Workers, the same results as in the kernel's own worker and as
//      Node's worker threads (search-check.mjs);
//   3. the students' site (skip: --no-student): build/lite-student/ serves every notebook exactly as
//      `npm run student` writes it, and in the browser the first notebook with exercises runs up to its first
//      exercise, whose stub fails with "not implemented" (the cells before it replied "ok").
// LITE_DEBUG=1 prints the offline page's console and its failed requests.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { chromium } from "playwright-core";
import { ROOT } from "../jupyter/kernel.mjs";
import { CHROMIUM } from "../jupyter/chromium.mjs";
import { buildLite, offlineFiles, SITE, STUDENT_SITE } from "./build.mjs";
import { sitesToBuild } from "./inputs.mjs";
import { exposeApp, serveStatic } from "./serve.mjs";
import { compareWithTslab } from "./compare.mjs";
import { findExercises, studentNotebook } from "../classroom/exercises.mjs";
import { checkSearch } from "./search-check.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const timeoutS = Number(option("timeout", process.env.NOTEBOOK_TIMEOUT ?? 600));
const COURSE = readdirSync(join(ROOT, "notebooks"))
  .filter((n) => n.endsWith(".ipynb"))
  .sort();
const wanted = args.filter((a) => !a.startsWith("--")).map((a) => basename(a));
// The default (what npm test runs): every course notebook. LITE_NOTEBOOKS=NN-name,… (or names as arguments)
// narrows the run while working on one; LITE_NOTEBOOKS=all is the default spelled out.
const fromEnv = (process.env.LITE_NOTEBOOKS ?? "")
  .split(",")
  .filter((n) => n && n !== "all")
  .map((n) => (n.endsWith(".ipynb") ? n : `${n}.ipynb`));
const notebooks = args.includes("--offline-only")
  ? []
  : wanted.length > 0
    ? wanted
    : fromEnv.length > 0
      ? fromEnv
      : COURSE;
for (const name of notebooks)
  if (!COURSE.includes(name))
    throw new Error(`${name} is not a course notebook (notebooks/*.ipynb): ${COURSE.join(", ")}`);
/** Where each notebook's browser run is saved (its cells with outputs), to read or compare after the test. */
const BROWSER_RUNS = join(ROOT, "build", "lite-executed");
/** The notebook the offline test runs: it draws figures and reads the MNIST subset. */
const OFFLINE_NOTEBOOK = "00-start-here.ipynb";

/** Every request off `origin` (the page's, its workers' and the service worker's) is aborted and recorded. */
async function guard(context, origin, remote) {
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || /^(data|blob|about):/.test(url)) return route.continue();
    remote.push(url);
    return route.abort("blockedbyclient");
  });
}

/** In the page: open `path`, wait for the kernel, run all cells, wait for every reply. */
async function runAll(page, path, timeoutMs) {
  await page.waitForFunction(() => window.jupyterapp?.commands?.hasCommand("notebook:run-all-cells"), null, {
    timeout: 120_000,
  });
  await page.evaluate(
    (p) =>
      window.jupyterapp.commands.execute("docmanager:open", {
        path: p,
        factory: "Notebook",
        kernel: { name: "tslab" },
      }),
    path,
  );
  await page.waitForFunction(() => window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel, null, {
    timeout: 120_000,
  });
  await page.evaluate(async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.sessionContext.ready;
    await panel.context.ready;
    const replies = (window.__bnlabReplies = []);
    panel.sessionContext.session.kernel.anyMessage.connect((_, { msg, direction }) => {
      if (direction === "recv" && msg.header.msg_type === "execute_reply")
        replies.push({
          status: msg.content.status,
          ename: msg.content.ename,
          evalue: msg.content.evalue,
          at: performance.now(),
        });
    });
    window.__bnlabStarted = performance.now();
    window.__bnlabCodeCells = panel.content.model.sharedModel.cells.filter(
      (c) => c.cell_type === "code" && c.source.trim(),
    ).length;
    void window.jupyterapp.commands.execute("notebook:run-all-cells");
  });
  try {
    await page.waitForFunction(
      () =>
        window.__bnlabReplies.length >= window.__bnlabCodeCells || window.__bnlabReplies.some((r) => r.status !== "ok"),
      null,
      { timeout: timeoutMs, polling: 500 },
    );
  } catch {
    const [done, total] = await page.evaluate(() => [window.__bnlabReplies.length, window.__bnlabCodeCells]);
    return [`timed out after ${timeoutMs / 1000} s: ${done} of ${total} code cells replied`];
  }
  const [replies, started] = await page.evaluate(() => [window.__bnlabReplies, window.__bnlabStarted]);
  const seconds = replies.map((r, i) => (r.at - (i === 0 ? started : replies[i - 1].at)) / 1000);
  const slowest = seconds
    .map((s, i) => [s, i])
    .sort((a, b) => b[0] - a[0])
    .slice(0, 3);
  console.log(
    `      run all: ${((replies.at(-1).at - started) / 1000).toFixed(1)} s; slowest code cells: ${slowest.map(([s, i]) => `#${i} ${s.toFixed(1)} s`).join(", ")}`,
  );
  return replies
    .map((r, i) => (r.status === "ok" ? "" : `cell run ${i + 1}: ${r.status} ${r.ename ?? ""}: ${r.evalue ?? ""}`))
    .filter(Boolean);
}

/** The notebook's code cells as nbformat JSON (with outputs), from the app's model. */
function cellsOf(page) {
  return page.evaluate(() => window.jupyterapp.shell.currentWidget.content.model.toJSON().cells);
}

/** Figures with the plotly MIME type, and those drawn (a .js-plotly-plot holding an svg.main-svg); waits up to timeoutMs. */
async function figures(page, timeoutMs) {
  const count = () =>
    page.evaluate(() => {
      const cells = window.jupyterapp.shell.currentWidget.content.model.toJSON().cells;
      const expected = cells
        .flatMap((c) => c.outputs ?? [])
        .filter((o) => o.data?.["application/vnd.plotly.v1+json"]).length;
      const root = window.jupyterapp.shell.currentWidget.node;
      const drawn = [...root.querySelectorAll(".js-plotly-plot")].filter((d) => d.querySelector("svg.main-svg")).length;
      return { expected, drawn };
    });
  const deadline = Date.now() + timeoutMs;
  let result = await count();
  for (; result.drawn < result.expected && Date.now() < deadline; result = await count())
    await page.waitForTimeout(250);
  return result;
}

/** Requests the site answered with 404 (reported with the notebook that made them). */
const notFound = [];

/** A page in a fresh context: off-origin requests blocked into `remote`, page errors collected in `problems`. */
async function guardedPage(browser, origin) {
  const problems = [];
  const remote = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await guard(context, origin, remote);
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message.split("\n")[0]}`));
  return { problems, remote, context, page };
}

async function testNotebook(browser, origin, name) {
  const started = Date.now();
  notFound.length = 0;
  const { problems, remote, context, page } = await guardedPage(browser, origin);
  let cells = [];
  let drawn = { expected: 0, drawn: 0 };
  try {
    await page.goto(`${origin}/lab/index.html`, { waitUntil: "load", timeout: 120_000 });
    problems.push(...(await runAll(page, `notebooks/${name}`, timeoutS * 1000)));
    await page.waitForTimeout(500); // the last display updates
    cells = await cellsOf(page);
    for (const [index, cell] of cells.entries()) {
      for (const output of cell.outputs ?? []) {
        if (output.output_type === "error") problems.push(`cell ${index} error: ${output.ename}: ${output.evalue}`);
        if (output.output_type === "stream" && output.name === "stderr")
          problems.push(`cell ${index} stderr: ${String(output.text).trim().split("\n")[0]}`);
      }
    }
    drawn = await figures(page, 60_000);
    if (drawn.drawn < drawn.expected) problems.push(`only ${drawn.drawn} of ${drawn.expected} figures drawn`);
  } catch (error) {
    problems.push(error.message.split("\n")[0]);
  }
  await context.close();
  problems.push(...remote.map((url) => `request off the origin (blocked): ${url}`));
  problems.push(...notFound.map((request) => `not found on the site: ${request}`));
  if (cells.length > 0) {
    mkdirSync(BROWSER_RUNS, { recursive: true }); // the browser's run, as build/executed/ holds tslab's
    writeFileSync(join(BROWSER_RUNS, name), JSON.stringify({ cells }, null, 1) + "\n");
  }
  const executed = join(ROOT, "build", "executed", name);
  const tslab = existsSync(executed) ? JSON.parse(readFileSync(executed, "utf8")) : null;
  if (tslab && statSync(executed).mtimeMs < statSync(join(ROOT, "notebooks", name)).mtimeMs)
    problems.push(
      `build/executed/${name} is older than the notebook: rerun node scripts/jupyter/test-notebooks.mjs notebooks/${name}`,
    );
  const { problems: differences, summary: compared } = compareWithTslab(name, cells, tslab);
  problems.push(...differences);
  return { name, problems, seconds: (Date.now() - started) / 1000, figures: drawn, compared };
}

/** Entries in the service worker's offline cache (0 before it exists). */
function cachedEntries(page) {
  return page.evaluate(async () => {
    const names = (await caches.keys()).filter((n) => n.startsWith("bnlab-offline-"));
    return names.length === 0 ? 0 : (await (await caches.open(names[0])).keys()).length;
  });
}

/**
 * Offline after the first load: a fresh browser opens the site (no notebook), waits until the service
 * worker controls the page and has cached every file of the site; then the network is cut and the server
 * stopped (`stopServer`), the page reloads and runs `name` from the cache alone.
 */
async function testOffline(browser, origin, name, stopServer) {
  const { problems, remote, context, page } = await guardedPage(browser, origin);
  const expected = offlineFiles(SITE).length;
  try {
    await page.goto(`${origin}/lab/index.html`, { waitUntil: "load", timeout: 120_000 });
    await page.waitForFunction(() => navigator.serviceWorker?.controller, null, { timeout: 120_000 });
    const deadline = Date.now() + 300_000;
    while ((await cachedEntries(page)) < expected && Date.now() < deadline) await page.waitForTimeout(500);
    const cached = await cachedEntries(page);
    console.log(`      first visit: ${cached} of the site's ${expected} files in the offline cache`);
    if (cached < expected) throw new Error(`only ${cached} of ${expected} files cached after the first visit`);
    await stopServer();
    await context.setOffline(true);
    if (process.env.LITE_DEBUG) {
      page.on("console", (m) => console.log(`      [console] ${m.text().slice(0, 200)}`));
      page.on("requestfailed", (r) => console.log(`      [failed] ${r.url()} ${r.failure()?.errorText}`));
      page.on("response", (r) => r.status() >= 400 && console.log(`      [${r.status()}] ${r.url()}`));
    }
    await page.reload({ waitUntil: "load", timeout: 120_000 });
    if (process.env.LITE_DEBUG) console.log(`      [page] ${page.url()} ${(await page.content()).slice(0, 300)}`);
    problems.push(...(await runAll(page, `notebooks/${name}`, timeoutS * 1000)).map((p) => `offline: ${p}`));
    const drawn = await figures(page, 60_000);
    if (drawn.drawn < drawn.expected || drawn.expected === 0)
      problems.push(`offline: ${drawn.drawn} of ${drawn.expected} figures drawn`);
    for (const [index, cell] of (await cellsOf(page)).entries()) {
      if ((cell.outputs ?? []).some((o) => o.output_type === "error"))
        problems.push(`offline: cell ${index} shows an error`);
    }
  } catch (error) {
    problems.push(error.message.split("\n")[0]);
  }
  await context.close();
  problems.push(...remote.map((url) => `request off the origin (blocked): ${url}`));
  return problems;
}

/** The students' site serves each notebook exactly as `npm run student` writes it (checked over HTTP). */
async function studentContents(origin) {
  const problems = [];
  for (const name of COURSE) {
    const expected = studentNotebook(
      JSON.parse(readFileSync(join(ROOT, "notebooks", name), "utf8")),
      `notebooks/${name}`,
    );
    const response = await fetch(`${origin}/files/notebooks/${encodeURIComponent(name)}`);
    const served = response.ok ? await response.json() : null;
    if (JSON.stringify(served?.cells) !== JSON.stringify(expected.cells))
      problems.push(`students' site: notebooks/${name} is not the student version`);
  }
  return problems;
}

/**
 * On the students' site, `name` runs up to its first exercise: every code cell before it replies "ok",
 * and the exercise's stub fails with "not implemented" in its solution or check cell (Run All stops there).
 */
async function testStudentRun(browser, origin, name) {
  const notebook = studentNotebook(
    JSON.parse(readFileSync(join(ROOT, "notebooks", name), "utf8")),
    `notebooks/${name}`,
  );
  const { solutionCell, checkCell } = findExercises(
    JSON.parse(readFileSync(join(ROOT, "notebooks", name), "utf8")),
    name,
  )[0];
  const codeBefore = (index) =>
    notebook.cells.slice(0, index).filter((c) => c.cell_type === "code" && [c.source].flat().join("").trim()).length;
  // The stub throws in the solution cell, or, when it sits in a function the solution cell only defines, in the check cell.
  const stops = [codeBefore(solutionCell), codeBefore(checkCell)];
  const { problems, remote, context, page } = await guardedPage(browser, origin);
  try {
    await page.goto(`${origin}/lab/index.html`, { waitUntil: "load", timeout: 120_000 });
    const failures = await runAll(page, `notebooks/${name}`, timeoutS * 1000);
    const replies = await page.evaluate(() => window.__bnlabReplies);
    const okBefore = replies.findIndex((r) => r.status !== "ok");
    if (!stops.includes(okBefore))
      problems.push(
        `students' site, ${name}: ${okBefore} cells replied ok before the first failure, expected ${stops.join(" or ")} (the cells before exercise 1's solution or check cell)`,
      );
    if (!/not implemented/.test(replies[okBefore]?.evalue ?? ""))
      problems.push(
        `students' site, ${name}: the first failure is not the stub's "not implemented": ${failures[0] ?? "no failure"}`,
      );
  } catch (error) {
    problems.push(error.message.split("\n")[0]);
  }
  await context.close();
  problems.push(...remote.map((url) => `request off the origin (blocked): ${url}`));
  return problems;
}

function report(results, name, problems, seconds) {
  results.push({ name, problems });
  console.log(
    `${problems.length === 0 ? "ok" : "FAILED"}  ${name}${seconds === undefined ? "" : `  ${seconds.toFixed(1)} s`}`,
  );
  for (const problem of problems) console.log(`      ${problem}`);
}

/** Serves `site` (jupyter-lite.json with exposeAppInBrowser); `stop()` closes it and every open connection. */
async function serve(site) {
  const server = await serveStatic(site, {
    transform: exposeApp,
    // GET only: HEAD requests that miss are the library asking whether a file exists (fs.existsSync).
    log: (method, url, status) => status === 404 && method === "GET" && notFound.push(`${method} ${url}`),
  });
  const stop = () =>
    new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    });
  return { origin: `http://127.0.0.1:${server.address().port}`, stop, stopped: false };
}

async function main() {
  const started = Date.now();
  const student = !args.includes("--no-student") && !args.includes("--offline-only");
  // Once, before any notebook runs: the sites this run serves that are missing or older than their inputs.
  const stale = sitesToBuild(student ? [SITE, STUDENT_SITE] : [SITE], { root: ROOT, force: args.includes("--build") });
  for (const { site, reason } of stale) console.log(`› ${relative(ROOT, site)}/ is stale: ${reason}`);
  if (stale.length > 0) await buildLite({ sites: stale.map((s) => s.site) });
  console.log(`› sites ready after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: sudo apt-get install chromium (or set CHROMIUM_PATH)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--disable-gpu", "--no-sandbox"],
  });
  const results = [];
  const teacher = await serve(SITE);
  try {
    for (const name of notebooks) {
      const result = await testNotebook(browser, teacher.origin, name);
      results.push(result);
      const status = result.problems.length === 0 ? "ok" : "FAILED";
      console.log(
        `${status}  ${name}  ${result.seconds.toFixed(1)} s  figures ${result.figures.drawn}/${result.figures.expected}  ${result.compared}`,
      );
      for (const problem of result.problems) console.log(`      ${problem}`);
    }
    if (!args.includes("--no-search") && !args.includes("--offline-only")) {
      const t0 = Date.now();
      const { problems, remote, context, page } = await guardedPage(browser, teacher.origin);
      problems.push(...(await checkSearch(page, teacher.origin).catch((error) => [error.message.split("\n")[0]])));
      await context.close();
      problems.push(...remote.map((url) => `request off the origin (blocked): ${url}`));
      report(
        results,
        "runSearchParallel in 2 Web Workers: as in one worker, as Node's",
        problems,
        (Date.now() - t0) / 1000,
      );
    }
    if (student) {
      const site = await serve(STUDENT_SITE);
      try {
        const exercised = COURSE.find(
          (name) => findExercises(JSON.parse(readFileSync(join(ROOT, "notebooks", name), "utf8")), name).length > 0,
        );
        const t0 = Date.now();
        report(results, "students' site: every notebook is the student version", await studentContents(site.origin));
        report(
          results,
          `students' site: ${exercised} stops at its first exercise stub`,
          await testStudentRun(browser, site.origin, exercised),
          (Date.now() - t0) / 1000,
        );
      } finally {
        await site.stop();
      }
    }
    if (!args.includes("--no-offline")) {
      const t0 = Date.now();
      report(
        results,
        `offline: ${OFFLINE_NOTEBOOK} after one visit, with the network cut and the server stopped`,
        await testOffline(browser, teacher.origin, OFFLINE_NOTEBOOK, teacher.stop),
        (Date.now() - t0) / 1000,
      );
    }
  } finally {
    await browser.close();
    await teacher.stop();
  }
  const failed = results.filter((r) => r.problems.length > 0).length;
  console.log(
    `lite: ${results.length - failed} passed, ${failed} failed, ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
  );
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
