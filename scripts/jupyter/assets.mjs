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
import { patchTslab } from "./patch-tslab.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const MODULE = join(ROOT, "dist", "lib", "notebook", "plotly-asset.js");

/** Loads lib/notebook/plotly-asset from dist/ (CommonJS). */
export function plotlyAssetModule() {
  if (!existsSync(MODULE)) throw new Error(`${MODULE} is missing: run \`npm run build\` first.`);
  return createRequire(import.meta.url)(MODULE);
}

/**
 * The hook `npm start` calls; the arguments (python, prefix, …) are not needed for a files/ asset.
 * It also re-applies the tslab shorthand patch (idempotent), for checkouts installed before it existed.
 */
export async function installAssets() {
  patchTslab(ROOT);
  const target = plotlyAssetModule().installPlotlyAsset(ROOT);
  return [target];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [target] = await installAssets();
  console.log(`plotly.js for offline figures: ${target}`);
}
