// When a JupyterLite site must be (re)built: it has no finished build, or one of its inputs changed
// after that build. `npm run lite` writes STAMP last; `npm run test:lite` builds, once and before any
// notebook runs, only the sites this says are stale (or every site with --build).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Written last by a finished build; its mtime is the build's time. */
export const STAMP = ".bnlab-built";

/** What a site is built from (paths relative to the checkout): sources, data, lock files and the build scripts. */
export const INPUTS = [
  "notebooks",
  "lib",
  "data",
  "docs",
  "lite/src",
  "lite/worker",
  "lite/twins",
  "lite/types",
  "lite/site",
  "lite/offline",
  "lite/package-lock.json",
  "package-lock.json",
  "requirements/jupyter.txt",
  "scripts/lite/build.mjs",
  "scripts/lite/inputs.mjs",
  "scripts/lite/types.mjs",
  "scripts/classroom/exercises.mjs",
];

/** Git-ignored files written inside inputs by other tools (plotly for tslab's figures, Jupyter's checkpoints): not inputs. */
export const NOT_INPUTS = /^notebooks\/assets\/|(^|\/)(\.ipynb_checkpoints|__pycache__|node_modules)\//;

/** Every file under `dir` for which `keep(path)` holds. */
export function walk(dir, keep) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path, keep) : keep(path) ? [path] : [];
  });
}

/** The first input file (under `root`) changed after `site`'s STAMP; "" when there is none; "no finished build" without STAMP. */
export function stalenessOf(site, { root, inputs = INPUTS }) {
  const stamp = join(site, STAMP);
  if (!existsSync(stamp)) return "no finished build";
  const built = statSync(stamp).mtimeMs;
  for (const input of inputs.map((p) => join(root, p)).filter(existsSync)) {
    const files = statSync(input).isDirectory() ? walk(input, () => true) : [input];
    const newer = files
      .map((f) => relative(root, f).split("\\").join("/"))
      .find((f) => !NOT_INPUTS.test(f) && statSync(join(root, f)).mtimeMs > built);
    if (newer) return `${newer} changed after the last build`;
  }
  return "";
}

/** The sites among `sites` to build before a test run: all with `force`, else the stale ones ({ site, reason }). */
export function sitesToBuild(sites, { root, inputs = INPUTS, force = false }) {
  return sites
    .map((site) => ({ site, reason: force ? "--build" : stalenessOf(site, { root, inputs }) }))
    .filter((s) => s.reason !== "");
}
