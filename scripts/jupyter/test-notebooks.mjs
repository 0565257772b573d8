#!/usr/bin/env node
// `npm run test:notebooks [-- --timeout=SECONDS] [notebooks/NN-name.ipynb …]`: runs scripts/run-notebooks.py
// with the pinned Jupyter of .venv/ (made from requirements/jupyter.txt when missing), on this checkout's private tslab kernelspec, after making sure
// dist/ is built (notebooks import the compiled library).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { buildLibrary, LIBRARY_ENTRY } from "./build.mjs";
import { installKernel, jupyterEnv, ROOT } from "./kernel.mjs";
import { pinnedJupyter } from "./python.mjs";

let probe;
try {
  probe = pinnedJupyter(); // the tests run on the pinned Jupyter of .venv/ (made when missing)
} catch (error) {
  console.error(`✗ ${error.message}`);
  process.exit(1);
}
if (!existsSync(LIBRARY_ENTRY) && !buildLibrary() && !existsSync(LIBRARY_ENTRY)) process.exit(1);
installKernel(probe.path, "private", { quiet: true });
const args = process.argv
  .slice(2)
  .flatMap((arg) => (arg.startsWith("--timeout=") ? ["--timeout", arg.slice(10)] : [arg]));
const result = spawnSync(probe.path, [join(ROOT, "scripts", "run-notebooks.py"), ...args], {
  stdio: "inherit",
  env: jupyterEnv(),
});
process.exit(result.status ?? 1);
