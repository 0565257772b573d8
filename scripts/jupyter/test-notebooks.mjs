#!/usr/bin/env node
// `npm run test:notebooks [-- --timeout=SECONDS] [notebooks/NN-name.ipynb …]`: runs scripts/run-notebooks.py
// with the Python that has nbclient, on this checkout's private tslab kernelspec, after making sure
// dist/ is built (notebooks import the compiled library).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { buildLibrary, LIBRARY_ENTRY } from "./build.mjs";
import { installKernel, jupyterEnv, ROOT } from "./kernel.mjs";
import { findPython, INSTALL_HELP } from "./python.mjs";

const probe = findPython(["nbclient", "jupyter_client"]);
if (!probe) {
  console.error(`${INSTALL_HELP}\n(the notebook tests need nbclient: python3-nbclient on Debian, pip install nbclient)`);
  process.exit(1);
}
if (!existsSync(LIBRARY_ENTRY) && !buildLibrary() && !existsSync(LIBRARY_ENTRY)) process.exit(1);
installKernel(probe.path, "private", { quiet: true });
const args = process.argv.slice(2).flatMap((arg) => (arg.startsWith("--timeout=") ? ["--timeout", arg.slice(10)] : [arg]));
const result = spawnSync(probe.path, [join(ROOT, "scripts", "run-notebooks.py"), ...args], { stdio: "inherit", env: jupyterEnv() });
process.exit(result.status ?? 1);
