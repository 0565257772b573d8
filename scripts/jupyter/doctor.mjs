#!/usr/bin/env node
// `npm run doctor`: checks what running the notebooks needs and says how to fix each problem.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { kernelJsonPath, kernelPointsHere, ROOT, TSLAB_BINARY } from "./kernel.mjs";
import { chooseJupyter } from "./python.mjs";
import { findBasePython, MINIMUM_PYTHON, NO_PYTHON_HELP, venvState } from "./venv.mjs";

export function checkNode(version = process.versions.node) {
  const major = Number(version.split(".")[0]);
  return major >= 20
    ? { ok: true, detail: `Node ${version}` }
    : {
        ok: false,
        detail: `Node ${version} is too old`,
        fix: "install Node 20 or newer (https://nodejs.org, nvm, or your package manager)",
      };
}

function checkTslab() {
  return existsSync(TSLAB_BINARY)
    ? { ok: true, detail: `tslab installed (${relative(ROOT, TSLAB_BINARY)})` }
    : { ok: false, detail: "tslab is not installed", fix: "run `npm install`" };
}

/** Which Jupyter `npm start` will use and why; on a machine without one, whether it can install its own. */
function checkJupyter({ probe, reason }) {
  if (probe) {
    const { notebook, jupyterlab } = probe.versions;
    const frontends = [jupyterlab && `JupyterLab ${jupyterlab}`, notebook && `Notebook ${notebook}`]
      .filter(Boolean)
      .join(", ");
    return { ok: true, detail: `Jupyter: ${probe.path} (${frontends}) — ${reason}` };
  }
  if (process.env.LAB_PYTHON)
    return { ok: false, detail: reason, fix: "point LAB_PYTHON at a Python with Jupyter, or unset it" };
  const base = findBasePython();
  return base.executable
    ? {
        ok: true,
        detail: `Jupyter: none yet — \`npm start\` will install the pinned one into .venv/ with Python ${base.version} (${base.executable})`,
      }
    : {
        ok: false,
        detail: `no Jupyter, and no Python ≥ ${MINIMUM_PYTHON.join(".")} to install it into .venv/`,
        fix: NO_PYTHON_HELP,
      };
}

/** `npm test` runs on the pinned .venv/ (made when missing) and drives Debian's Chromium. */
function checkTestTools() {
  const state = venvState();
  const venv = {
    ready: "the pinned .venv/ is installed",
    stale: "the pinned .venv/ is out of date (npm test updates it)",
    missing: "no .venv/ yet (npm test installs it)",
  }[state];
  const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  return existsSync(chromium)
    ? { ok: true, detail: `test tools: ${venv}; Chromium at ${chromium}` }
    : {
        ok: false,
        optional: true,
        detail: `for npm test: ${venv}; Chromium missing (${chromium})`,
        fix: "sudo apt-get install chromium (the browser test never downloads a browser), or set CHROMIUM_PATH",
      };
}

function checkKernel() {
  const path = kernelJsonPath("private");
  if (kernelPointsHere(path))
    return { ok: true, detail: `kernelspec "tslab" of this checkout in ${relative(ROOT, path)}` };
  return {
    ok: false,
    detail: "this checkout's tslab kernelspec is not registered yet",
    fix: "`npm start` registers it (or `npm run kernel:install` now)",
  };
}

/** Where Jupyter without our JUPYTER_PATH (e.g. VS Code) finds a "tslab" kernel, if anywhere. */
function checkGlobalKernel(probe) {
  if (!probe) return null;
  const code =
    "import json; from jupyter_client.kernelspec import KernelSpecManager as K; d=K().find_kernel_specs(); print(json.dumps(d.get('tslab')))";
  const result = spawnSync(probe.path, ["-c", code], { encoding: "utf8" });
  const dir = result.status === 0 ? JSON.parse(result.stdout.trim() || "null") : null;
  if (!dir)
    return {
      ok: true,
      optional: true,
      detail: "no user/system-wide tslab kernel (fine for `npm start`)",
      fix: "for VS Code or JupyterHub: `npm run kernel:install -- --user`",
    };
  if (kernelPointsHere(join(dir, "kernel.json")))
    return { ok: true, detail: `user/system-wide tslab kernel → this checkout (${dir})` };
  return {
    ok: false,
    optional: true,
    detail: `the user/system-wide tslab kernel in ${dir} starts another tslab`,
    fix: "for VS Code to use this checkout: `npm run kernel:install -- --user`",
  };
}

function checkPlotlyRenderer(probe) {
  if (!probe?.modules.jupyterlab) return null;
  return probe.plotlyLabExtension
    ? { ok: true, detail: "JupyterLab plotly renderer (jupyterlab-plotly) installed" }
    : {
        ok: false,
        optional: true,
        detail:
          "JupyterLab has no native plotly renderer (jupyterlab-plotly): figures rely on the HTML fallback, which runs only in trusted notebooks",
        fix: "pip install plotly (it ships jupyterlab-plotly) into the Python that runs JupyterLab, or use `npm start -- --classic`",
      };
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
  if (!existsSync(entry))
    return { ok: false, detail: "dist/ is not built", fix: "run `npm run build` (npm start does it)" };
  const stale = newestSource(join(ROOT, "lib")) > statSync(entry).mtimeMs;
  return stale
    ? {
        ok: false,
        optional: true,
        detail: "dist/ is older than lib/",
        fix: "run `npm run build`, then restart the notebook's kernel",
      }
    : { ok: true, detail: "dist/ built and up to date" };
}

export function runDoctor() {
  const choice = chooseJupyter();
  const { probe } = choice;
  const checks = [
    checkNode(),
    checkTslab(),
    checkJupyter(choice),
    checkKernel(),
    checkGlobalKernel(probe),
    checkPlotlyRenderer(probe),
    checkBuild(),
    checkTestTools(),
  ];
  let failed = 0;
  for (const check of checks.filter(Boolean)) {
    const mark = check.ok ? "✓" : check.optional ? "!" : "✗";
    if (!check.ok && !check.optional) failed++;
    console.log(`${mark} ${check.detail}${check.ok || !check.fix ? "" : `\n    fix: ${check.fix}`}`);
  }
  console.log(
    failed ? `\n${failed} problem(s) to fix before \`npm start\`.` : "\nReady: `npm start` opens the notebooks.",
  );
  return failed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(runDoctor() ? 1 : 0);
