// What the scripts that rewrite nbconvert HTML exports in place share (export-math.mjs,
// inline-plotly.mjs): the read-transform-write of one file, and the command line
//   node scripts/jupyter/NAME.mjs FILE.html [FILE.html …]
// that runs only when the script itself is started, not when another script imports it.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Rewrites one HTML file in place with `transform(html) → html`; returns its new size in bytes. */
export function rewriteHtmlFile(path, transform) {
  const html = transform(readFileSync(path, "utf8"));
  writeFileSync(path, html);
  return Buffer.byteLength(html);
}

/**
 * When the script at `moduleUrl` (its `import.meta.url`) is the one node was started with:
 * calls `rewrite(file)` for every FILE.html argument and prints `FILE: ` and the text it returns;
 * without arguments prints the usage line and exits with status 2. Imported, it does nothing.
 */
export function runHtmlCli(moduleUrl, rewrite) {
  const script = fileURLToPath(moduleUrl);
  if (!process.argv[1] || resolve(process.argv[1]) !== script) return;
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error(`usage: node ${relative(ROOT, script)} FILE.html [FILE.html …]`);
    process.exit(2);
  }
  for (const file of files) console.log(`${file}: ${rewrite(file)}`);
}
