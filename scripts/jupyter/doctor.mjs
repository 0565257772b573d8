#!/usr/bin/env node
// `npm run doctor`: checks what running the notebooks needs and says how to fix each problem.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { jupyterEnv, kernelJsonPath, kernelPointsHere, ROOT, TSLAB_BINARY } from "./kernel.mjs";
import { findPython, which } from "./python.mjs";

export function checkNode(version = process.versions.node) {
  const major = Number(version.split(".")[0]);
  return major >= 20
    ? { ok: true, detail: `Node ${version}` }
    : { ok: false, detail: `Node ${version} is too old`, fix: "install Node 20 or newer (https://nodejs.org, nvm, or your package manager)" };
}

function checkTslab() {
  return existsSync(TSLAB_BINARY)
    ? { ok: true, detail: `tslab installed (${relative(ROOT, TSLAB_BINARY)})` }
    : { ok: false, detail: "tslab is not installed", fix: "run `npm install`" };
}

function checkJupyter(probe) {
  if (!probe) {
    return { ok: false, detail: "no Python with Jupyter found", fix: "pip install notebook | conda install -c conda-forge notebook | sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient (or set LAB_PYTHON=/path/to/python3)" };
  }
  const { notebook, jupyterlab } = probe.versions;
  const frontends = [jupyterlab && `JupyterLab ${jupyterlab}`, notebook && `Notebook ${notebook}`].filter(Boolean).join(", ");
  return { ok: true, detail: `Jupyter in ${probe.path}: ${frontends}` };
}

function checkTestTools(probe) {
  const missing = ["nbclient", "nbconvert"].filter((m) => !probe?.modules[m]);
  if (!existsSync("/usr/bin/chromium")) missing.push("chromium (/usr/bin/chromium)");
  return missing.length === 0
    ? { ok: true, detail: "test tools: nbclient, nbconvert, chromium" }
    : { ok: false, optional: true, detail: `for npm test, missing: ${missing.join(", ")}`, fix: "sudo apt-get install python3-nbclient jupyter-nbconvert chromium (or pip install nbclient nbconvert)" };
}

function checkKernel() {
  const path = kernelJsonPath("private");
  if (kernelPointsHere(path)) return { ok: true, detail: `kernelspec "tslab" of this checkout in ${relative(ROOT, path)}` };
  return { ok: false, detail: "this checkout's tslab kernelspec is not registered yet", fix: "`npm start` registers it (or `npm run kernel:install` now)" };
}

/** Where Jupyter without our JUPYTER_PATH (e.g. VS Code) finds a "tslab" kernel, if anywhere. */
function checkGlobalKernel(probe) {
  if (!probe) return null;
  const code = "import json; from jupyter_client.kernelspec import KernelSpecManager as K; d=K().find_kernel_specs(); print(json.dumps(d.get('tslab')))";
  const result = spawnSync(probe.path, ["-c", code], { encoding: "utf8" });
  const dir = result.status === 0 ? JSON.parse(result.stdout.trim() || "null") : null;
  if (!dir) return { ok: true, optional: true, detail: "no user/system-wide tslab kernel (fine for `npm start`)", fix: "for VS Code or JupyterHub: `npm run kernel:install -- --user`" };
  if (kernelPointsHere(join(dir, "kernel.json"))) return { ok: true, detail: `user/system-wide tslab kernel → this checkout (${dir})` };
  return { ok: false, optional: true, detail: `the user/system-wide tslab kernel in ${dir} starts another tslab`, fix: "for VS Code to use this checkout: `npm run kernel:install -- --user`" };
}

function checkPlotlyRenderer(probe) {
  if (!probe?.modules.jupyterlab) return null;
  return probe.plotlyLabExtension
    ? { ok: true, detail: "JupyterLab plotly renderer (jupyterlab-plotly) installed" }
    : { ok: false, optional: true, detail: "JupyterLab has no native plotly renderer (jupyterlab-plotly): figures rely on the HTML fallback, which runs only in trusted notebooks", fix: "pip install plotly (it ships jupyterlab-plotly) into the Python that runs JupyterLab, or use `npm start -- --classic`" };
}

function newestSource(dir) {
  return readdirSync(dir).reduce((newest, name) => {
    const path = join(dir, name);
    const time = statSync(path).isDirectory() ? newestSource(path) : name.endsWith(".ts") ? statSync(path).mtimeMs : 0;
    return Math.max(newest, time);
  }, 0);
}

function checkBuild() {
  const entry = join(ROOT, "dist", "lib", "index.js");
  if (!existsSync(entry)) return { ok: false, detail: "dist/ is not built", fix: "run `npm run build` (npm start does it)" };
  const stale = newestSource(join(ROOT, "lib")) > statSync(entry).mtimeMs;
  return stale
    ? { ok: false, optional: true, detail: "dist/ is older than lib/", fix: "run `npm run build`, then restart the notebook's kernel" }
    : { ok: true, detail: "dist/ built and up to date" };
}

export function runDoctor() {
  const probe = findPython();
  const testProbe = probe?.modules.nbclient ? probe : findPython(["nbclient", "nbconvert"]) ?? probe;
  const checks = [checkNode(), checkTslab(), checkJupyter(probe), checkKernel(), checkGlobalKernel(probe), checkPlotlyRenderer(probe), checkBuild(), checkTestTools(testProbe)];
  let failed = 0;
  for (const check of checks.filter(Boolean)) {
    const mark = check.ok ? "✓" : check.optional ? "!" : "✗";
    if (!check.ok && !check.optional) failed++;
    console.log(`${mark} ${check.detail}${check.ok || !check.fix ? "" : `\n    fix: ${check.fix}`}`);
  }
  console.log(failed ? `\n${failed} problem(s) to fix before \`npm start\`.` : "\nReady: `npm start` opens the notebooks.");
  return failed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(runDoctor() ? 1 : 0);
