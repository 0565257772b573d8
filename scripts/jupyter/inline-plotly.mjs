#!/usr/bin/env node
// Makes nbconvert HTML exports self-contained and offline: embeds plotly.js once per page
// (gzip + base64, ≈ 2.6 MB, unpacked in the browser) so every figure stays interactive, and drops
// <script src="http(s)://…"> tags (nbconvert's CDN require.js and MathJax).
//   node scripts/jupyter/inline-plotly.mjs exports/00-start-here.html [more.html …]   (rewrites in place)
// From another script: `import { inlinePlotlyFile } from "./inline-plotly.mjs"`.
import { plotlyAssetModule } from "./assets.mjs";
import { rewriteHtmlFile, runHtmlCli } from "./html-cli.mjs";

/** Rewrites one HTML file in place; returns its new size in bytes. */
export function inlinePlotlyFile(path) {
  return rewriteHtmlFile(path, (html) => plotlyAssetModule().inlinePlotly(html));
}

runHtmlCli(import.meta.url, (file) => `${(inlinePlotlyFile(file) / 1e6).toFixed(1)} MB, plotly inlined`);
