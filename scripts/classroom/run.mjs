#!/usr/bin/env node
// `npm run test:exercises` (prove every exercise fails on its stub and passes on its solution) and
// `npm run grade -- [--csv FILE] submissions/*.ipynb` (grade student notebooks by the replies).
// Runs classroom.py with the pinned Jupyter of .venv/ (nbclient, nbformat), on this checkout's private tslab kernel.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { buildLibrary, LIBRARY_ENTRY } from "../jupyter/build.mjs";
import { installKernel, jupyterEnv, ROOT } from "../jupyter/kernel.mjs";
import { pinnedJupyter } from "../jupyter/python.mjs";

const [command, ...rest] = process.argv.slice(2);
let probe;
try {
  probe = pinnedJupyter(); // the pinned Jupyter of .venv/ (made when missing), as every test
} catch (error) {
  console.error(`✗ ${error.message}`);
  process.exit(1);
}
if (!existsSync(LIBRARY_ENTRY) && !buildLibrary() && !existsSync(LIBRARY_ENTRY)) process.exit(1);
installKernel(probe.path, "private", { quiet: true });
const notebooks = rest.some((a) => a.endsWith(".ipynb"))
  ? []
  : readdirSync(join(ROOT, "notebooks"))
      .filter((f) => f.endsWith(".ipynb"))
      .sort()
      .map((f) => join(ROOT, "notebooks", f));
const result = spawnSync(
  probe.path,
  [join(ROOT, "scripts", "classroom", "classroom.py"), command, ...rest, ...notebooks],
  {
    stdio: "inherit",
    env: jupyterEnv(),
  },
);
process.exit(result.status ?? 1);
