#!/usr/bin/env node
// `npm run bench:long-run [-- NOTEBOOK.ipynb] [NAME=VALUE …] [--heap] [--max-drift-mib=5] [--max-rss-mib=600]`:
// runs one notebook on a fresh kernel and reports the kernel's memory over the run, the gaps between its live
// display's updates and a verdict that fails (exit 1) on memory growth (bench/long_run.py explains the options).
// Default: the internal-covariate-shift notebook (07) with FULL_RUN = true, the paper's 2 × 50 000 training steps.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { buildLibrary } from "../scripts/jupyter/build.mjs";
import { installKernel, jupyterEnv, ROOT } from "../scripts/jupyter/kernel.mjs";
import { pinnedJupyter } from "../scripts/jupyter/python.mjs";

const args = process.argv.slice(2);
const ics = readdirSync(join(ROOT, "notebooks")).find((name) => name.endsWith("-internal-covariate-shift.ipynb"));
const notebook =
  args.find((a) => a.endsWith(".ipynb")) ?? join(ROOT, "notebooks", ics ?? "07-internal-covariate-shift.ipynb");
const sets = args.filter((a) => a.includes("=") && !a.startsWith("--")).flatMap((a) => ["--set", a]);
const options = args.filter((a) => a.startsWith("--"));
const python = pinnedJupyter().path;
if (!buildLibrary()) process.exit(1);
installKernel(python, "private", { quiet: true });
const setArgs = sets.length ? sets : ["--set", "FULL_RUN=true"];
const result = spawnSync(python, [join(ROOT, "bench", "long_run.py"), notebook, ...setArgs, ...options], {
  stdio: "inherit",
  env: jupyterEnv(),
});
process.exit(result.status ?? 1);
