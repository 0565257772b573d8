#!/usr/bin/env node
// Makes nbconvert HTML exports self-contained and offline: embeds plotly.js once per page
// (gzip + base64, ≈ 2.6 MB, unpacked in the browser) so every figure stays interactive, and drops
// <script src="http(s)://…"> tags (nbconvert's CDN require.js and MathJax).
//   node scripts/jupyter/inline-plotly.mjs exports/00-start-here.html [more.html …]   (rewrites in place)
// From another script: `import { inlinePlotlyFile } from "./inline-plotly.mjs"`.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { plotlyAssetModule } from "./assets.mjs";

/** Rewrites one HTML file in place; returns its new size in bytes. */
export function inlinePlotlyFile(path) {
  const html = plotlyAssetModule().inlinePlotly(readFileSync(path, "utf8"));
  writeFileSync(path, html);
  return Buffer.byteLength(html);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node scripts/jupyter/inline-plotly.mjs FILE.html [FILE.html …]");
    process.exit(2);
  }
  for (const file of files) console.log(`${file}: ${(inlinePlotlyFile(file) / 1e6).toFixed(1)} MB, plotly inlined`);
}
