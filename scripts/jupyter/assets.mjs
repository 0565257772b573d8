#!/usr/bin/env node
// Static assets for the notebook display (lib/notebook/): copies plotly.js from node_modules to
// notebooks/assets/plotly-<version>.js (git-ignored), which figures load from the Jupyter server's
// same-origin files/ route. Idempotent and cheap (skips an identical-size copy).
// `npm start` calls installAssets() before Jupyter starts; run it by hand with
//   node scripts/jupyter/assets.mjs
// Needs the compiled library (npm run build). The first plot() of a kernel does the same copy.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const MODULE = join(ROOT, "dist", "lib", "notebook", "plotly-asset.js");

/** Loads lib/notebook/plotly-asset from dist/ (CommonJS). */
export function plotlyAssetModule() {
  if (!existsSync(MODULE)) throw new Error(`${MODULE} is missing: run \`npm run build\` first.`);
  return createRequire(import.meta.url)(MODULE);
}

/**
 * Applies patches/ (tslab, see patches/README.md) when node_modules was installed before they
 * existed: npm's postinstall applies them on every install, this catches an older install.
 */
export function ensureTslabPatched(root = ROOT) {
  if (existsSync(join(root, "node_modules", "tslab", "dist", "errors.js"))) return;
  const cli = join(root, "node_modules", "patch-package", "index.js");
  const result = spawnSync(process.execPath, [cli, "--error-on-fail", "--error-on-warn"], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(
      `tslab in node_modules/ is not patched and patch-package failed; reinstall with \`npm ci\`.\n${result.stdout}${result.stderr}`,
    );
  }
}

/**
 * The hook `npm start` calls; the arguments (python, prefix, …) are not needed for a files/ asset.
 * It also applies the tslab patches when an older install lacks them.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- a hook start.mjs awaits: another project's may wait for something
export async function installAssets() {
  ensureTslabPatched(ROOT);
  const target = plotlyAssetModule().installPlotlyAsset(ROOT);
  return [target];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [target] = await installAssets();
  console.log(`plotly.js for offline figures: ${target}`);
}
