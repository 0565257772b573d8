#!/usr/bin/env node
// `npm run test:browser [-- --frontend=lab|notebook7|lab-noplotly|all] [--timeout=S] [NN-name.ipynb …]`:
// every notebook, run as a user runs it, in the pinned JupyterLab 4 and Notebook 7 of .venv/ (127.0.0.1,
// random port and token, this checkout's kernelspec, throw-away config and settings), in Debian's headless
// Chromium driven by playwright-core. Per notebook and frontend: open, Run All, wait for every reply, then
// assert no error reply, no error or stderr output, every figure drawn (.js-plotly-plot with an svg.main-svg),
// every live training display updated in place and finished, no request to a non-loopback address, no page
// error, and the .ipynb left unchanged; the kernel is shut down through the REST API. `all` (the default)
// also runs NOPLOTLY_NOTEBOOK in JupyterLab with jupyterlab-plotly disabled, so the text/html view draws.
// --compare=build/executed: each run must print, cell by cell, the same text as nbclient's executed copy
// (stdout and text/plain; durations, rates and dates masked).
// Screenshots go to screenshots/<frontend>/ (git-ignored).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { buildLibrary, LIBRARY_ENTRY } from "./jupyter/build.mjs";
import { startChromium } from "./jupyter/chromium.mjs";
import { startJupyter } from "./jupyter/server.mjs";
import { installKernel, ROOT } from "./jupyter/kernel.mjs";
import { blockRemote } from "./jupyter/local-url.mjs";
import { pinnedJupyter } from "./jupyter/python.mjs";
import {
  checkFigures,
  checkLiveDisplays,
  checkOutputs,
  notebookModel,
  openAndRunAll,
  screenshot,
  sessionId,
} from "./jupyter/notebook-page.mjs";
import { compareRuns } from "./jupyter/compare-outputs.mjs";

/** The figure-heavy notebook `--frontend=all` also runs without jupyterlab-plotly. */
const NOPLOTLY_NOTEBOOK = "04-with-and-without-bn.ipynb";

/**
 * The plugin id of jupyterlab-plotly's renderer. JupyterLab 4 skips disabled plugins by id (or the part before
 * ":"), and this one's id does not start with the package name: disabling "jupyterlab-plotly" leaves it on.
 */
const PLOTLY_RENDERER = "@jupyterlab/plotly-extension:factory";

/** Each frontend: the page that opens a notebook, the lab extensions it disables, and who must draw the figures. */
const FRONTENDS = {
  lab: { title: "JupyterLab", url: (name) => labUrl(name), disabled: [], drawnBy: "renderer" },
  notebook7: {
    title: "Notebook 7",
    url: (name) => `notebooks/${encodeURIComponent(name)}`,
    disabled: [],
    drawnBy: "renderer",
  },
  "lab-noplotly": {
    title: "JupyterLab without jupyterlab-plotly",
    url: (name) => labUrl(name),
    disabled: [PLOTLY_RENDERER],
    drawnBy: "html",
  },
};

/**
 * A new, empty workspace per notebook: in the default one JupyterLab reopens the earlier notebooks of the run
 * (with a kernel each) from the workspace it saved.
 */
function labUrl(name) {
  return `lab/workspaces/bnlab-${name.replace(/\W+/g, "-")}/tree/${encodeURIComponent(name)}`;
}

/**
 * Page errors of the frontend itself, seen on every page load before any cell runs, reported but not
 * counted: each names the frontend, the exact message and the bundle it is thrown from.
 */
const KNOWN_PAGE_ERRORS = [
  {
    frontend: "notebook7",
    message: "Cannot read properties of undefined (reading 'schema')",
    from: /\/static\/notebook\/notebook_core\.\w+\.js/,
    why: "Notebook 7.6.5's keyboard-shortcut settings handler, on every notebook page, with any notebook",
  },
];

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const NOTEBOOK_DIR = resolve(option("dir", join(ROOT, "notebooks"))); // --dir: the runner's own test points it elsewhere
const SCREENSHOT_DIR = resolve(option("screenshots", join(ROOT, "screenshots")));
const timeoutS = Number(option("timeout", process.env.NOTEBOOK_TIMEOUT ?? 600));
const watchdogOption = option("watchdog", process.env.BROWSER_TEST_TIMEOUT); // default: per run, its budget + 3 min
const figureTimeoutS = Number(option("figure-timeout", 60));
const frontendOption = option("frontend", "all");
const compareDir = option("compare"); // e.g. build/executed: nbclient's copies must print what the browser run printed
const wanted = args.filter((a) => !a.startsWith("--")).map((a) => basename(a));

const sha = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** [frontend, notebook] pairs to run, frontend by frontend. */
function plan(frontend, notebooks) {
  if (frontend === "all") {
    return [
      ...notebooks.map((n) => ["lab", n]),
      ...notebooks.map((n) => ["notebook7", n]),
      ...notebooks.filter((n) => n === NOPLOTLY_NOTEBOOK).map((n) => ["lab-noplotly", n]),
    ];
  }
  if (!FRONTENDS[frontend])
    throw new Error(`unknown --frontend=${frontend}: use ${Object.keys(FRONTENDS).join(", ")} or all`);
  return notebooks.map((n) => [frontend, n]);
}

async function testNotebook(context, server, frontend, name) {
  const started = Date.now();
  const problems = [];
  const remote = [];
  const page = await context.newPage();
  await blockRemote(page, remote);
  const known = [];
  let loading = true;
  page.on("pageerror", (error) => {
    const match = KNOWN_PAGE_ERRORS.find(
      (k) =>
        loading &&
        k.frontend === frontend &&
        error.message === k.message &&
        k.from.test(error.stack.split("\n")[1] ?? ""),
    );
    if (match) known.push(`known page error while loading, not counted (${match.why}): ${error.message}`);
    else problems.push(`page error: ${error.message.split("\n")[0]}`);
  });
  const before = sha(join(NOTEBOOK_DIR, name));
  let figures = { expected: 0, drawn: 0, html: 0, renderer: 0 };
  let live = { count: 0 };
  try {
    const path = FRONTENDS[frontend].url(name);
    const url = `${server.baseUrl}/${path}${path.includes("?") ? "&" : "?"}token=${server.token}`;
    problems.push(...(await openAndRunAll(page, url, timeoutS * 1000, () => (loading = false))));
    problems.push(...(await checkOutputs(page)));
    figures = await checkFigures(page, figureTimeoutS * 1000);
    if (figures.drawn < figures.expected) problems.push(`only ${figures.drawn} of ${figures.expected} figures drawn`);
    else
      for (const { index, shown, held } of figures.stale)
        problems.push(
          `cell ${index}: the figures drawn (traces [type, x, y, z lengths]: ${shown.join(" ")}) are not the ones its outputs hold (${held.join(" ")}): a display update was not drawn`,
        );
    const wrongView = FRONTENDS[frontend].drawnBy === "html" ? figures.renderer : figures.html;
    if (wrongView)
      problems.push(
        `${wrongView} figures drawn by the ${FRONTENDS[frontend].drawnBy === "html" ? "jupyterlab-plotly renderer, which should be off" : "text/html view instead of jupyterlab-plotly"}`,
      );
    live = await checkLiveDisplays(page);
    problems.push(...live.problems);
    if (compareDir) problems.push(...(await compareWith(page, name)));
  } catch (error) {
    problems.push(error.message.split("\n")[0]);
  }
  const shot = join(SCREENSHOT_DIR, frontend, name.replace(/\.ipynb$/, ".png"));
  await screenshot(page, shot).catch((e) => problems.push(`screenshot: ${e.message.split("\n")[0]}`));
  const session = await sessionId(page);
  await page.close();
  problems.push(...(await shutDownKernel(server, session)));
  if (sha(join(NOTEBOOK_DIR, name)) !== before) problems.push("the committed .ipynb was modified (autosave?)");
  problems.push(...remote.map((url) => `request to a non-loopback address: ${url}`));
  return {
    problems,
    known,
    seconds: (Date.now() - started) / 1000,
    figures,
    live: live.count,
    remote: remote.length,
    shot,
  };
}

/** DELETE /api/sessions/<id> (the kernel stops with its session); a problem if a kernel is still running after it. */
async function shutDownKernel(server, session) {
  if (session) await server.api(`/api/sessions/${session}`, { method: "DELETE" }).catch(() => {});
  const kernels = await server.api("/api/kernels").then(
    (r) => r.json(),
    () => [],
  );
  return kernels.length ? [`${kernels.length} kernel(s) still running after the session was deleted`] : [];
}

/** The difference between this run's text outputs and the executed copy in --compare's folder, masking timings. */
async function compareWith(page, name) {
  const path = resolve(compareDir, name);
  if (!existsSync(path))
    return [`--compare: no executed copy ${relative(process.cwd(), path)} (run npm run test:notebooks first)`];
  const difference = compareRuns(JSON.parse(readFileSync(path, "utf8")), await notebookModel(page), {
    referenceName: relative(process.cwd(), path),
    runName: "the browser",
  });
  return difference ? [`not the same output as the executed copy: ${difference}`] : [];
}

/** Runs the planned notebooks of one frontend on its own server; returns the number of failed runs. */
async function runFrontend(browser, python, frontend, notebooks, stops, width) {
  const server = await startJupyter(python, NOTEBOOK_DIR, { disabledExtensions: FRONTENDS[frontend].disabled });
  stops.push(server.stop);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const started = Date.now();
  let failed = 0;
  console.log(`${FRONTENDS[frontend].title}: server pid ${server.pid} on ${server.baseUrl}`);
  for (const name of notebooks) {
    const result = await testNotebook(context, server, frontend, name);
    const { figures } = result;
    console.log(
      `${result.problems.length ? "✗" : "✓"} ${frontend.padEnd(12)} ${name.padEnd(width)} ${result.seconds.toFixed(1).padStart(6)} s  figures ${figures.drawn}/${figures.expected} drawn (${figures.renderer} by jupyterlab-plotly, ${figures.html} by the HTML view), ${result.live} live displays, ${result.remote} remote requests, screenshot ${relative(process.cwd(), result.shot)}`,
    );
    for (const problem of [...result.problems, ...new Set(result.known)]) console.log(`    ${problem}`);
    if (result.problems.length) failed++;
  }
  if (failed) console.log(`server log (tail):\n${server.log().split("\n").slice(-15).join("\n")}`);
  await context.close();
  await stops.splice(stops.indexOf(server.stop), 1)[0]();
  console.log(
    `${FRONTENDS[frontend].title}: ${notebooks.length} notebooks in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return failed;
}

async function main() {
  const notebooks = readdirSync(NOTEBOOK_DIR)
    .filter((f) => f.endsWith(".ipynb") && (!wanted.length || wanted.includes(f)))
    .sort();
  if (notebooks.length === 0) throw new Error("no notebooks to test in notebooks/");
  const runs = plan(frontendOption, notebooks);
  const probe = pinnedJupyter({ log: (line) => console.error(line) }); // .venv/, made from requirements/jupyter.txt when missing
  if (!existsSync(LIBRARY_ENTRY)) buildLibrary();
  installKernel(probe.path, "private", { quiet: true });
  const stops = [];
  const stopAll = () => Promise.all(stops.splice(0).map((stop) => stop().catch(() => {})));
  const watchdogS = Number(watchdogOption ?? 120 + runs.length * (timeoutS + 180));
  const watchdog = setTimeout(() => {
    console.error(`✗ browser test exceeded ${watchdogS} s; stopping everything it started`);
    void stopAll().then(() => process.exit(1));
  }, watchdogS * 1000);
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void stopAll().then(() => process.exit(130)));
  let failed = 0;
  try {
    const chrome = await startChromium();
    stops.push(chrome.stop);
    console.log(
      `JupyterLab ${probe.versions.jupyterlab}, Notebook ${probe.versions.notebook} (${probe.path}); Chromium ${chrome.version}`,
    );
    const width = Math.max(...notebooks.map((n) => n.length));
    for (const frontend of [...new Set(runs.map(([f]) => f))]) {
      mkdirSync(join(SCREENSHOT_DIR, frontend), { recursive: true });
      const names = runs.filter(([f]) => f === frontend).map(([, n]) => n);
      failed += await runFrontend(chrome.browser, probe.path, frontend, names, stops, width);
    }
  } finally {
    clearTimeout(watchdog);
    await stopAll();
  }
  console.log(`browser: ${runs.length - failed} passed, ${failed} failed`);
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
