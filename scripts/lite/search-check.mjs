// The browser's `runSearchParallel` (issue 15: "worker-thread search runs in Web Workers") against Node's.
// In Chromium, a TypeScript kernel of the JupyterLite site runs a small MNIST search with `workers: 2`, whose
// trials run in Web Workers started from the kernel's own worker (lite/twins/search-parallel.ts); the cell
// counts the Web Workers it starts and terminates by wrapping the worker's `Worker`. Asserted:
//   1. the results (ids, seeds, configs, statuses, metrics, curves; not `seconds`) are identical to those of
//      `lib.runSearchParallel` under Node (dist/, 2 worker threads), with the same matrix kernel;
//   2. exactly 2 Web Workers started (the search really ran in parallel workers) and both were terminated;
//   3. onResult counted 1, 2, …, n, as in Node;
//   4. a trial function that does not exist rejects with the library's message, its workers terminated too.
// Run by `npm run test:lite` (skip: --no-search); alone: node scripts/lite/search-check.mjs (build/lite/ must exist).
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../jupyter/kernel.mjs";

/** The search: 4 short MNIST trials (2 epochs each, with and without BN). */
const TRIALS = [0.05, 0.2, 0.5, 1].map((learningRate, id) => ({
  id,
  seed: 20 + id,
  round: 0,
  config: { learningRate, epochs: 2, hiddenSize: 16, batchNorm: id % 2 === 1, dataset: "mnist" },
}));

/**
 * The cell the browser kernel runs: the search with \`exportName\` in 2 Web Workers (counted), then, for "mlpTrial",
 * the same trials one after another in the kernel's own worker (lab.runSearch).
 */
function cell(exportName) {
  return `import * as lab from "..";
const NativeWorker = (globalThis as any).Worker;
const workers = { started: 0, terminated: 0 };
(globalThis as any).Worker = class extends NativeWorker {
  constructor(...args: any[]) { super(...args); workers.started += 1; }
  terminate() { workers.terminated += 1; super.terminate(); }
};
const trials = ${JSON.stringify(TRIALS)};
const trialSeconds: number[][] = [];
const withoutTime = (results: lab.TrialResult[]) => {
  trialSeconds.push(results.map((r) => Number(r.seconds.toFixed(2))));
  return results.map((r) => ({ ...r, seconds: 0 }));
};
const counts: number[] = [];
const seconds: number[] = [];
let outcome: unknown;
let inThisWorker: unknown;
try {
  let t0 = performance.now();
  outcome = withoutTime(await lab.runSearchParallel(trials, {
    module: lab.builtInTrialsModule, exportName: ${JSON.stringify(exportName)}, workers: 2,
    onResult: (_r, done) => void counts.push(done),
  }));
  seconds.push((performance.now() - t0) / 1000);
  t0 = performance.now();
  inThisWorker = withoutTime(await lab.runSearch(trials, lab.mlpTrial));
  seconds.push((performance.now() - t0) / 1000);
} catch (error) {
  outcome = { error: String(error) };
} finally {
  (globalThis as any).Worker = NativeWorker;
}
console.log(JSON.stringify({ kernel: lab.kernels.name, workers, counts, outcome, inThisWorker, seconds, trialSeconds }));`;
}

/** In the page: a fresh kernel (as for a notebook in notebooks/) runs `code`; its stdout and reply. */
function execute(page, code) {
  return page.evaluate(async (code) => {
    const session = await window.jupyterapp.serviceManager.sessions.startNew({
      path: "notebooks/search-check.ipynb",
      name: "search-check.ipynb",
      type: "notebook",
      kernel: { name: "tslab" },
    });
    try {
      const future = session.kernel.requestExecute({ code });
      let stdout = "";
      future.onIOPub = (msg) => {
        if (msg.header.msg_type === "stream") stdout += msg.content.text;
      };
      const reply = await future.done;
      return { status: reply.content.status, evalue: reply.content.evalue ?? "", stdout };
    } finally {
      await session.shutdown();
    }
  }, code);
}

/** The same search under Node: lib.runSearchParallel from dist/ in 2 worker threads. */
async function nodeResults() {
  const lib = createRequire(import.meta.url)(join(ROOT, "dist", "lib", "index.js"));
  const results = await lib.runSearchParallel(TRIALS, {
    module: lib.builtInTrialsModule,
    exportName: "mlpTrial",
    workers: 2,
  });
  return { kernel: lib.kernels.name, results: JSON.parse(JSON.stringify(results.map((r) => ({ ...r, seconds: 0 })))) };
}

/** Where `a` differs from `b` ("results.2.metrics.finalLoss: 0.51…, 0.51…"), numbers within `relative` of each other counting as equal. */
function differences(a, b, relative = 0, where = "results") {
  if (typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= relative * Math.abs(b)) return [];
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null)
    return Object.is(a, b) ? [] : [`${where}: ${JSON.stringify(a)}, ${JSON.stringify(b)}`];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((key) => differences(a[key], b[key], relative, `${where}.${key}`));
}

/** Runs checks 1–4 in `page` (a page of the site at `origin`, requests off the origin already blocked); the problems found. */
export async function checkSearch(page, origin) {
  const problems = [];
  await page.goto(`${origin}/lab/index.html`, { waitUntil: "load", timeout: 120_000 });
  await page.waitForFunction(() => window.jupyterapp?.serviceManager?.sessions, null, { timeout: 120_000 });
  const t0 = Date.now();
  const run = await execute(page, cell("mlpTrial"));
  const seconds = (Date.now() - t0) / 1000;
  if (run.status !== "ok") return [`the search cell failed: ${run.evalue}`];
  const browser = JSON.parse(run.stdout);
  const node = await nodeResults();
  const summary = browser.outcome.map?.((r) => `${r.status} ${r.metrics.validationAccuracy}`).join(", ");
  console.log(`      browser (kernel ${browser.kernel}, ${seconds.toFixed(1)} s with the kernel's start): ${summary}`);
  if (!Array.isArray(browser.outcome)) return [`the search failed in the browser: ${JSON.stringify(browser.outcome)}`];
  if (browser.kernel !== node.kernel)
    problems.push(`matrix kernel: ${browser.kernel} in the browser, ${node.kernel} in Node`);
  // 1a. bit for bit: 2 Web Workers and the kernel's own worker (one engine)
  problems.push(
    ...differences(browser.outcome, browser.inThisWorker).map((d) => `Web Workers vs the kernel's worker: ${d}`),
  );
  // 1b. against Node: identical, losses included (lib/core/math gives the same bits in every engine)
  problems.push(...differences(browser.outcome, node.results).map((d) => `vs Node: ${d}`));
  console.log(
    `      2 Web Workers ${browser.seconds[0].toFixed(1)} s (trials ${browser.trialSeconds[0].join(", ")} s), the kernel's worker alone ${browser.seconds[1].toFixed(1)} s (${browser.trialSeconds[1].join(", ")} s); bit-identical, and identical to Node's`,
  );
  if (browser.workers.started !== 2 || browser.workers.terminated !== 2)
    problems.push(
      `Web Workers: ${browser.workers.started} started, ${browser.workers.terminated} terminated (expected 2 and 2)`,
    );
  if (JSON.stringify(browser.counts) !== JSON.stringify([1, 2, 3, 4]))
    problems.push(`onResult counted ${browser.counts}`);
  const missing = JSON.parse((await execute(page, cell("noSuchTrial"))).stdout);
  if (
    !/runSearchParallel: could not load the trial function: .* has no exported function "noSuchTrial"/.test(
      missing.outcome?.error,
    )
  )
    problems.push(`a missing trial function gave ${JSON.stringify(missing.outcome).slice(0, 200)}`);
  if (missing.workers.terminated !== missing.workers.started)
    problems.push(
      `after the error: ${missing.workers.started} workers started, ${missing.workers.terminated} terminated`,
    );
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { chromium } = await import("playwright-core");
  const { CHROMIUM } = await import("../jupyter/chromium.mjs");
  const { exposeApp, serveStatic } = await import("./serve.mjs");
  const { SITE } = await import("./build.mjs");
  const server = await serveStatic(SITE, {
    // the test reads the app through window.jupyterapp (as scripts/lite/test.mjs does)
    transform: exposeApp,
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--disable-gpu", "--no-sandbox"],
  });
  const context = await browser.newContext();
  const remote = [];
  await context.route("**/*", (route) =>
    route.request().url().startsWith(origin) ? route.continue() : (remote.push(route.request().url()), route.abort()),
  );
  try {
    const problems = [
      ...(await checkSearch(await context.newPage(), origin)),
      ...remote.map((u) => `request off the origin: ${u}`),
    ];
    console.log(
      problems.length === 0
        ? "ok  runSearchParallel in 2 Web Workers = Node's"
        : `FAILED\n      ${problems.join("\n      ")}`,
    );
    process.exitCode = problems.length === 0 ? 0 : 1;
  } finally {
    await browser.close();
    server.close();
    server.closeAllConnections();
  }
}
