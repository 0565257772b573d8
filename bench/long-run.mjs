#!/usr/bin/env node
// `npm run bench:long-run [-- NOTEBOOK.ipynb] [--set NAME=VALUE …]`: runs one notebook on a fresh kernel and
// reports the kernel's memory over the run and the gaps between its live display's updates (bench/long_run.py).
// Default: notebook 07 (internal covariate shift) with FULL_RUN = true, the paper's 2 × 50 000 training steps.
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { buildLibrary } from "../scripts/jupyter/build.mjs";
import { installKernel, jupyterEnv, ROOT } from "../scripts/jupyter/kernel.mjs";
import { pinnedJupyter } from "../scripts/jupyter/python.mjs";

const args = process.argv.slice(2);
const notebook = args.find((a) => a.endsWith(".ipynb")) ?? join(ROOT, "notebooks", "07-internal-covariate-shift.ipynb");
const sets = args.filter((a) => a.includes("=") && !a.startsWith("--")).flatMap((a) => ["--set", a]);
const python = pinnedJupyter().path;
if (!buildLibrary()) process.exit(1);
installKernel(python, "private", { quiet: true });
const setArgs = sets.length ? sets : ["--set", "FULL_RUN=true"];
const result = spawnSync(python, [join(ROOT, "bench", "long_run.py"), notebook, ...setArgs], { stdio: "inherit", env: jupyterEnv() });
process.exit(result.status ?? 1);
