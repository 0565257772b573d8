// When `npm run test:lite` rebuilds a JupyterLite site (scripts/lite/inputs.mjs): only when it is missing,
// unfinished or older than one of its inputs, or with --build; never because of files that are not inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sitesToBuild, STAMP, stalenessOf } from "../lite/inputs.mjs";

/** A checkout with two inputs (a folder and a file), one non-input, and two sites built at t = 1000 s. */
function checkout() {
  const root = mkdtempSync(join(tmpdir(), "lite-inputs-"));
  const at = (path, seconds) => {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, "x");
    utimesSync(path, seconds, seconds);
  };
  at(join(root, "notebooks", "src", "00.ts"), 500);
  at(join(root, "lock.json"), 500);
  at(join(root, "README.md"), 500);
  const sites = [join(root, "build", "lite"), join(root, "build", "lite-student")];
  for (const site of sites) at(join(site, STAMP), 1000);
  return { root, at, sites, options: { root, inputs: ["notebooks", "lock.json", "absent-input"] } };
}

test("a site built after every input is fresh; an input newer than its stamp makes it stale, naming the file", () => {
  const { root, at, sites, options } = checkout();
  try {
    assert.equal(stalenessOf(sites[0], options), "");
    at(join(root, "README.md"), 2000); // not an input
    at(join(root, "notebooks", "assets", "plotly-4.1.1.js"), 2000); // written by the tslab runs, git-ignored
    at(join(root, "notebooks", ".ipynb_checkpoints", "00-checkpoint.ipynb"), 2000);
    assert.equal(stalenessOf(sites[0], options), "");
    at(join(root, "notebooks", "src", "00.ts"), 2000);
    assert.equal(stalenessOf(sites[0], options), "notebooks/src/00.ts changed after the last build");
    at(join(sites[0], STAMP), 3000); // rebuilt since
    assert.equal(stalenessOf(sites[0], options), "");
    at(join(root, "lock.json"), 3001);
    assert.equal(stalenessOf(sites[0], options), "lock.json changed after the last build");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a site without a stamp (never built, or a build that failed half-way) is stale", () => {
  const { root, sites, options } = checkout();
  try {
    rmSync(join(sites[1], STAMP));
    assert.equal(stalenessOf(sites[1], options), "no finished build");
    assert.equal(stalenessOf(join(root, "build", "nowhere"), options), "no finished build");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("sitesToBuild lists only the stale sites, each once, and every site with force", () => {
  const { root, at, sites, options } = checkout();
  try {
    assert.deepEqual(sitesToBuild(sites, options), []);
    at(join(sites[1], STAMP), 400); // the students' site is older than the inputs
    assert.deepEqual(sitesToBuild(sites, options), [
      { site: sites[1], reason: "notebooks/src/00.ts changed after the last build" },
    ]);
    assert.deepEqual(
      sitesToBuild(sites, { ...options, force: true }).map((s) => s.site),
      sites,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
