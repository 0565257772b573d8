#!/usr/bin/env node
// `npm start`: build lib/ → register this checkout's tslab kernel privately → open Jupyter on notebooks/,
// rebuilding dist/ on every change while Jupyter runs. Ctrl-C stops Jupyter and the watcher.
//
//   npm start -- [--notebook|--lab] [--ip=ADDR] [--port=N] [--no-browser] [--no-watch] [other Jupyter flags]
//   env: LAB_IP, LAB_PORT, LAB_NO_BROWSER=1, LAB_FRONTEND=lab|notebook, LAB_NO_WATCH=1, LAB_PYTHON=/path/python3
//
// Static assets for the notebook display (owned by lib/notebook/): when scripts/jupyter/assets.mjs
// exists, its `installAssets({ python, prefix, dataDir, configDir, env })` runs before Jupyter starts
// (it copies plotly.js to notebooks/assets/, served by Jupyter itself).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import { buildLibrary, LIBRARY_ENTRY, watchLibrary } from "./build.mjs";
import { installKernel, jupyterEnv, PRIVATE_CONFIG_DIR, PRIVATE_DATA_DIR, PRIVATE_PREFIX, ROOT } from "./kernel.mjs";
import { chooseJupyter } from "./python.mjs";
import { checkNode } from "./doctor.mjs";

/** Splits our own flags from the ones passed through to Jupyter; env vars give the defaults. */
export function parseStartArgs(argv, env = process.env) {
  const options = {
    frontend: env.LAB_FRONTEND || "auto",
    ip: env.LAB_IP || "127.0.0.1",
    port: env.LAB_PORT || null,
    browser: !env.LAB_NO_BROWSER,
    watch: !env.LAB_NO_WATCH,
    passThrough: [],
  };
  for (const arg of argv) {
    if (arg === "--notebook" || arg === "--classic" || arg === "--lab")
      options.frontend = arg === "--lab" ? "lab" : "notebook";
    else if (arg === "--no-browser") options.browser = false;
    else if (arg === "--no-watch") options.watch = false;
    else if (arg.startsWith("--ip=")) options.ip = arg.slice(5);
    else if (arg.startsWith("--port=")) options.port = arg.slice(7);
    else if (/^--(\w+App|IdentityProvider)\.(token|password)=(''|""|)$/.test(arg)) {
      throw new Error(
        `refusing ${arg}: the server keeps token authentication (anyone who can reach the port could run code).`,
      );
    } else options.passThrough.push(arg);
  }
  return options;
}

/** The Jupyter command line: JupyterLab when installed (unless --classic), else classic Notebook. */
export function jupyterArgs(probe, options) {
  const lab =
    options.frontend === "lab" || (!["notebook", "classic"].includes(options.frontend) && probe.modules.jupyterlab);
  if (lab && !probe.modules.jupyterlab)
    throw new Error("--lab asked for, but JupyterLab is not installed in " + probe.path);
  const args = ["-m", lab ? "jupyterlab" : "notebook", `--ip=${options.ip}`];
  if (options.port) args.push(`--port=${options.port}`);
  if (!options.browser) args.push("--no-browser");
  if (process.getuid?.() === 0) args.push("--allow-root"); // containers and CI run as root; Jupyter refuses it otherwise
  return { lab, args: [...args, ...options.passThrough] };
}

async function installAssets(probe) {
  const hook = join(ROOT, "scripts", "jupyter", "assets.mjs");
  if (!existsSync(hook)) return;
  const { installAssets: install } = await import(pathToFileURL(hook).href);
  await install?.({
    python: probe.path,
    prefix: PRIVATE_PREFIX,
    dataDir: PRIVATE_DATA_DIR,
    configDir: PRIVATE_CONFIG_DIR,
    env: jupyterEnv(),
  });
}

async function main() {
  const options = parseStartArgs(process.argv.slice(2));
  const node = checkNode();
  if (!node.ok) throw new Error(`${node.detail}. ${node.fix}`);
  const { probe, reason } = chooseJupyter(undefined, { create: true }); // installs .venv/ on a machine without Jupyter
  if (!probe) {
    console.error(`✗ ${reason}`);
    process.exit(1);
  }
  console.log(`› Jupyter: ${probe.path} — ${reason}`);
  console.log("› Building lib/ into dist/ …");
  if (!buildLibrary()) {
    if (!existsSync(LIBRARY_ENTRY)) throw new Error("the build produced no dist/lib/index.js; fix the errors above.");
    console.warn(
      "⚠ tsc reported errors (above); dist/ was emitted anyway. Notebooks may fail where those files are used.",
    );
  }
  console.log(`› Registering the TypeScript kernel (tslab) for this checkout in ${PRIVATE_PREFIX}`);
  installKernel(probe.path, "private", { quiet: true });
  await installAssets(probe);
  const { lab, args } = jupyterArgs(probe, options);
  if (lab && !probe.plotlyLabExtension) {
    console.warn(
      "⚠ JupyterLab draws figures natively once jupyterlab-plotly is installed (pip install plotly, same Python); without it they use their HTML view.",
    );
  }
  console.log(
    `› Starting ${lab ? "JupyterLab" : `Notebook ${probe.versions.notebook ?? ""}`.trim()} (${probe.path}) on notebooks/ — the URL with its token follows.`,
  );
  run(probe.path, args, options.watch);
}

function run(python, args, watch) {
  const watcher = watch ? watchLibrary() : null;
  const jupyter = spawn(python, args, { cwd: join(ROOT, "notebooks"), env: jupyterEnv(), stdio: "inherit" });
  const stopWatcher = () => watcher && watcher.exitCode === null && watcher.kill();
  process.on("SIGINT", () => {}); // the terminal's Ctrl-C reaches Jupyter too; it decides (and asks) when to stop
  for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => jupyter.kill(signal));
  process.on("exit", stopWatcher);
  jupyter.on("exit", (code, signal) => {
    stopWatcher();
    process.exit(code ?? (signal ? 0 : 1));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`✗ ${error.message}`);
    process.exit(1);
  });
}
