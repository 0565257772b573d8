#!/usr/bin/env node
// `node scripts/lite/profile.mjs NN-name … [--cpu] [--interval=MICROSECONDS] [--top=N]`: where a notebook's time goes in the browser.
// Serves build/lite/ (build it first: `npm run lite`; `npm run lite -- --worker` after changing only
// lite/worker or lite/twins) on 127.0.0.1, opens the notebook in headless Chromium (the flags of
// scripts/lite/test.mjs), runs all cells and prints the Run All time, the CPU seconds the browser's
// processes used meanwhile (from /proc: under a loaded machine wall time misleads) and each code cell's
// time (from one execute_reply to the next, as the page sees them) with its first line.
// `--cpu` also records CPU profiles through the Chrome DevTools Protocol (Profiler domain): of the
// kernel's web worker (attached to its target from its start) and of the page's main thread (from Run
// All: JupyterLab and plotly drawing), writes them to build/profiles/<name>-<i>.cpuprofile (open them in
// DevTools' Performance panel) and prints each one's busy time and the functions with the most self time.
// Readable function names in the worker: LITE_UNMINIFIED=1 npm run lite -- --worker first.
// A measuring tool only: it asserts nothing (`npm run test:lite` is the test).
/* global window -- the functions passed to page.evaluate run in the page */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { ROOT } from "../jupyter/kernel.mjs";
import { CHROMIUM } from "../jupyter/chromium.mjs";
import { SITE } from "./build.mjs";
import { exposeApp, serveStatic } from "./serve.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const names = args.filter((a) => !a.startsWith("--")).map((n) => (n.endsWith(".ipynb") ? n : `${n}.ipynb`));
if (names.length === 0) throw new Error("usage: node scripts/lite/profile.mjs NN-name [--cpu] [--interval=µs]");

/** Attaches to every worker of `page` through CDP; `onWorker(send)` gets a sender for each worker target. */
async function attachWorkers(page, onWorker) {
  const cdp = await page.context().newCDPSession(page);
  const pending = new Map();
  let nextId = 1;
  cdp.on("Target.receivedMessageFromTarget", ({ message }) => {
    const { id, result, error } = JSON.parse(message);
    pending.get(id)?.(error ? Promise.reject(new Error(error.message)) : result);
    pending.delete(id);
  });
  cdp.on("Target.attachedToTarget", ({ sessionId, targetInfo }) => {
    if (targetInfo.type !== "worker") return;
    const send = (method, params = {}) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        void cdp.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method, params }) });
      });
    onWorker(send, targetInfo);
  });
  await cdp.send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  return cdp;
}

/** `/proc/<path>/stat` as { name, ppid, ticks (user + system) }, or null when gone. */
function procStat(path) {
  try {
    const text = readFileSync(`/proc/${path}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(") ") + 2).split(" ");
    const name = text.slice(text.indexOf("(") + 1, text.lastIndexOf(") "));
    return { name, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // gone meanwhile
  }
}

/**
 * CPU ticks used so far by each thread of this process's descendants (the browser's processes), from
 * /proc (Linux), by "pid/tid": { name ("chromium (renderer)": the page's main thread, "DedicatedWorker
 * (renderer)": the kernel's, …), ticks }.
 */
function browserThreads() {
  const processes = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((pid) => ({ pid: Number(pid), ...procStat(pid) }));
  const mine = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of processes) if (!mine.has(p.pid) && mine.has(p.ppid)) grew = mine.add(p.pid) !== undefined;
  }
  mine.delete(process.pid);
  const threads = new Map();
  for (const pid of mine) {
    const type = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, "utf8"))?.[1] ?? "browser";
    for (const tid of readdirSync(`/proc/${pid}/task`, { throwIfNoEntry: false }) ?? []) {
      const stat = procStat(`${pid}/task/${tid}`);
      if (stat) threads.set(`${pid}/${tid}`, { ...stat, name: `${stat.name} (${type})` });
    }
  }
  return threads;
}

/** CPU seconds per thread name between two `browserThreads()` snapshots, highest first (USER_HZ = 100). */
function cpuSince(before, after) {
  const byName = new Map();
  for (const [key, { name, ticks }] of after)
    byName.set(name, (byName.get(name) ?? 0) + (ticks - (before.get(key)?.ticks ?? 0)) / 100);
  return [...byName].sort((a, b) => b[1] - a[1]);
}

/** Self time per function (ms), highest first, from a CDP Profiler.Profile. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber, columnNumber } = byId.get(id).callFrame;
    const key = `${functionName || "(anonymous)"} ${url.split("/").at(-1).split("?")[0]}:${lineNumber + 1}:${columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]);
}

async function profileNotebook(browser, origin, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const profiled = []; // { label, send }: the kernel's worker (from its start) and the page (from Run All)
  const startProfiler = async (label, send) => {
    profiled.push({ label, send });
    await send("Profiler.enable");
    await send("Profiler.setSamplingInterval", { interval: Number(option("interval", 1000)) });
    await send("Profiler.start");
  };
  const cdp = args.includes("--cpu")
    ? await attachWorkers(page, (send, info) =>
        startProfiler(`worker ${info.url.split("/").at(-1).split("?")[0]}`, send),
      )
    : null;
  await page.goto(`${origin}/lab/index.html`, { waitUntil: "load", timeout: 120_000 });
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
    `notebooks/${name}`,
  );
  await page.waitForFunction(() => window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel, null, {
    timeout: 120_000,
  });
  await page.evaluate(() => window.jupyterapp.shell.currentWidget.sessionContext.ready);
  if (cdp) await startProfiler("page (main thread)", (method, params) => cdp.send(method, params));
  const cpuBefore = browserThreads();
  await page.evaluate(async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.sessionContext.ready;
    const replies = (window.__replies = []);
    panel.sessionContext.session.kernel.anyMessage.connect((_, { msg, direction }) => {
      if (direction === "recv" && msg.header.msg_type === "execute_reply")
        replies.push({ status: msg.content.status, at: performance.now() });
    });
    window.__sources = panel.content.model.sharedModel.cells
      .filter((c) => c.cell_type === "code" && c.source.trim())
      .map((c) => c.source.split("\n").find((l) => l.trim() && !l.startsWith("//")) ?? "");
    window.__started = performance.now();
    void window.jupyterapp.commands.execute("notebook:run-all-cells");
  });
  await page.waitForFunction(
    () => window.__replies.length >= window.__sources.length || window.__replies.some((r) => r.status !== "ok"),
    null,
    { timeout: 3_600_000, polling: 500 },
  );
  const cpu = cpuSince(cpuBefore, browserThreads());
  const { replies, sources, started } = await page.evaluate(() => ({
    replies: window.__replies,
    sources: window.__sources,
    started: window.__started,
  }));
  console.log(
    `${name}: run all ${((replies.at(-1).at - started) / 1000).toFixed(1)} s; the browser's processes used ${cpu.reduce((sum, [, s]) => sum + s, 0).toFixed(1)} s of CPU meanwhile: ${cpu
      .slice(0, 4)
      .map(([thread, s]) => `${thread} ${s.toFixed(1)} s`)
      .join(", ")}`,
  );
  replies.forEach((r, i) => {
    const seconds = (r.at - (i === 0 ? started : replies[i - 1].at)) / 1000;
    console.log(
      `  #${String(i).padStart(2)} ${seconds.toFixed(2).padStart(8)} s  ${r.status}  ${sources[i].slice(0, 90)}`,
    );
  });
  for (const [index, { label, send }] of profiled.entries()) {
    const { profile } = await send("Profiler.stop");
    if (!profile) continue;
    const dir = join(ROOT, "build", "profiles");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name.replace(/\.ipynb$/, "")}-${index}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const times = selfTimes(profile);
    const total = times.reduce((s, [, ms]) => s + ms, 0);
    const idle = times.find(([key]) => key.startsWith("(idle)"))?.[1] ?? 0;
    console.log(
      `  ${label}: ${(total / 1000).toFixed(1)} s sampled, ${((total - idle) / 1000).toFixed(1)} s busy → ${file}`,
    );
    for (const [key, ms] of times.slice(0, Number(option("top", 25))))
      console.log(
        `    ${(ms / 1000).toFixed(2).padStart(8)} s ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${key}`,
      );
  }
  await context.close();
}

const server = await serveStatic(SITE, {
  transform: exposeApp,
});
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--disable-gpu", "--no-sandbox"],
});
try {
  for (const name of names) await profileNotebook(browser, `http://127.0.0.1:${server.address().port}`, name);
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
}
