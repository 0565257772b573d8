#!/usr/bin/env node
// `npm run export [-- NN-name.ipynb …] [--no-verify]`: executes the notebooks and writes, into the
// git-ignored exports/ folder, each executed .ipynb and a self-contained, offline, interactive HTML page.
//
// HTML: nbconvert's page, then lib/notebook's `inlinePlotly` puts the plotly bundle in once per page
// (gzip + base64, unpacked in the browser) and drops <script src="http…"> tags, so the page loads
// nothing from another host. Formulas are rendered at export time with KaTeX (export-math.mjs), whose
// CSS and fonts go into the page, and the MathJax/require.js tags (file:// or CDN) are removed.
// With Chromium present, each page is then opened from disk to prove its figures draw offline.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { spawnSync } from "node:child_process";
import { buildLibrary, LIBRARY_ENTRY } from "./jupyter/build.mjs";
import { CHROMIUM } from "./jupyter/chromium.mjs";
import { renderMathFile } from "./jupyter/export-math.mjs";
import { inlinePlotlyFile } from "./jupyter/inline-plotly.mjs";
import { installKernel, jupyterEnv, ROOT } from "./jupyter/kernel.mjs";
import { remoteResources } from "./jupyter/local-url.mjs";
import { chooseJupyter } from "./jupyter/python.mjs";
import { verifyPages } from "./jupyter/verify-html.mjs";

const EXPORT_DIR = join(ROOT, "exports");
const args = process.argv.slice(2);
const verify = !args.includes("--no-verify") && existsSync(CHROMIUM);
const notebooks = args.filter((a) => !a.startsWith("--")).map((a) => join(ROOT, "notebooks", basename(a)));

function run(python, script, scriptArgs) {
  return spawnSync(python, [script, ...scriptArgs], { stdio: "inherit", env: jupyterEnv(), cwd: ROOT }).status;
}

async function main() {
  const { probe, reason } = chooseJupyter(["nbclient", "nbconvert"], { create: true });
  if (!probe) throw new Error(`${reason} (export needs nbclient and nbconvert)`);
  if (!existsSync(LIBRARY_ENTRY) && !buildLibrary()) throw new Error("build failed");
  installKernel(probe.path, "private", { quiet: true });

  console.log("› Executing notebooks …");
  const executed = run(probe.path, join(ROOT, "scripts", "run-notebooks.py"), [
    "--output-dir",
    EXPORT_DIR,
    ...notebooks,
  ]);
  const ipynbs = (notebooks.length ? notebooks.map((n) => basename(n)) : listExecuted()).map((n) =>
    join(EXPORT_DIR, n),
  );
  console.log("› Converting to HTML (nbconvert), inlining plotly.js and rendering formulas (KaTeX) …");
  if (
    run(probe.path, "-m", ["nbconvert", "--to", "html", "--log-level=WARN", "--output-dir", EXPORT_DIR, ...ipynbs]) !==
    0
  ) {
    throw new Error("nbconvert failed");
  }
  let problems = executed === 0 ? 0 : 1;
  const pages = [];
  for (const ipynb of ipynbs) {
    const htmlPath = ipynb.replace(/\.ipynb$/, ".html");
    inlinePlotlyFile(htmlPath); // lib/notebook's inlinePlotly, through runtime-display's helper
    renderMathFile(htmlPath); // formulas → KaTeX markup, no MathJax/require.js
    const remote = remoteResources(readFileSync(htmlPath, "utf8"));
    for (const url of remote) console.log(`    ✗ ${basename(htmlPath)} loads ${url}`);
    problems += remote.length;
    pages.push(htmlPath);
    console.log(`  exports/${basename(htmlPath).padEnd(40)} ${mb(htmlPath)}   exports/${basename(ipynb)} ${mb(ipynb)}`);
  }
  if (verify) problems += await verifyPages(pages);
  else console.log("  (pages not opened in a browser: no Chromium, or --no-verify)");
  console.log(
    problems
      ? `export: finished with ${problems} problem(s) (above)`
      : `export: ${pages.length} notebook(s) → exports/ (executed .ipynb + offline HTML)`,
  );
  return problems;
}

function listExecuted() {
  return readdirSync(join(ROOT, "notebooks"))
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
}

const mb = (path) => `${(statSync(path).size / 1e6).toFixed(2)} MB`.padStart(9);

main().then(
  (problems) => process.exit(problems ? 1 : 0),
  (error) => {
    console.error(`✗ ${error.message}`);
    process.exit(1);
  },
);
