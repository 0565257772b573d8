#!/usr/bin/env node
// `npm run user-copy -- DEST [--student]`: a personal, writable copy of the course for one user of a
// shared, read-only install (JupyterHub, a lab machine). DEST gets its own notebooks/ (the student
// versions with --student, after `npm run student`) and symbolic links to the shared, read-only
// package.json, dist/, node_modules/, data/ and lib/, so `import * as lab from ".."` in a notebook
// finds the shared library while the user's edits stay in DEST. Its notebooks/assets/plotly-<version>.js is
// the user's own file of the shared plotly.js bundle, so figures load it from the user's own Jupyter server
// (files/ route) even when the copy is read-only, and the shared install's notebooks/ may stay unreadable.
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SHARED = ["package.json", "dist", "node_modules", "data", "lib"];
const SHARED_DOCS = ["glossary.md"]; // linked from the notebooks; docs/teacher/ (model answers) is never linked

/** Makes the copy; returns the list of notebooks copied. Throws with a fix when something is missing. */
export function makeUserCopy(dest, { student = false, root = ROOT } = {}) {
  const source = join(root, student ? "student" : "notebooks");
  if (!existsSync(join(root, "dist", "lib", "index.js")))
    throw new Error(`${root}/dist is not built: run \`npm run build\` in the shared install first.`);
  if (!existsSync(source))
    throw new Error(`${source} does not exist${student ? ": run `npm run student` in the shared install first" : ""}.`);
  if (existsSync(join(dest, "notebooks")))
    throw new Error(`${dest}/notebooks exists already; choose another folder (nothing was overwritten).`);
  mkdirSync(join(dest, "notebooks"), { recursive: true });
  for (const name of SHARED) {
    if (existsSync(join(root, name)) && !existsSync(join(dest, name))) symlinkSync(join(root, name), join(dest, name));
  }
  mkdirSync(join(dest, "docs"), { recursive: true });
  for (const name of SHARED_DOCS) {
    if (existsSync(join(root, "docs", name)) && !existsSync(join(dest, "docs", name)))
      symlinkSync(join(root, "docs", name), join(dest, "docs", name));
  }
  const notebooks = readdirSync(source).filter((f) => f.endsWith(".ipynb"));
  for (const file of notebooks) cpSync(join(source, file), join(dest, "notebooks", file));
  addPlotlyAsset(dest, root);
  return notebooks;
}

/**
 * DEST/notebooks/assets/plotly-<version>.js: the shared install's node_modules/plotly.js-dist/plotly.js as a
 * hard link (no 10 MB per user when the homes share the install's file system), else a copy. Not a symbolic
 * link: Jupyter's files/ route refuses a file whose real path is outside the server's root (HTTP 403).
 */
function addPlotlyAsset(dest, root) {
  const { plotlyAssetPath, plotlyBundle } = createRequire(import.meta.url)(
    join(root, "dist", "lib", "notebook", "plotly-asset.js"),
  );
  const target = plotlyAssetPath(dest);
  mkdirSync(dirname(target), { recursive: true });
  try {
    linkSync(plotlyBundle().path, target);
  } catch {
    copyFileSync(plotlyBundle().path, target); // another file system, or hard links to others' files not allowed (fs.protected_hardlinks)
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dest = args.find((a) => !a.startsWith("--"));
  if (!dest) {
    console.error("usage: npm run user-copy -- DEST [--student]   (e.g. ~/batchnorm-lab)");
    process.exit(2);
  }
  try {
    const copied = makeUserCopy(resolve(dest), { student: args.includes("--student") });
    console.log(
      `${copied.length} notebooks copied to ${resolve(dest)}/notebooks; the library is shared (read-only) through links.`,
    );
  } catch (error) {
    console.error(`✗ ${error.message}`);
    process.exit(1);
  }
}
