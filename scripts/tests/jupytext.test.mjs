// Real jupytext (pinned in requirements/jupyter.txt) reads the percent-format sources notebooks/src/*.ts
// into the same notebooks `npm run notebooks` writes: same cells, cell types, sources and cell metadata,
// and, with `--set-kernel tslab`, the same kernelspec. So jupytext users can pair the files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installKernel, jupyterEnv, ROOT } from "../jupyter/kernel.mjs";
import { pinnedJupyter } from "../jupyter/python.mjs";

test(
  "jupytext turns every notebooks/src/*.ts into the committed notebook's cells and kernelspec",
  { timeout: 300_000 },
  () => {
    const python = pinnedJupyter({ log: () => {} }).path;
    installKernel(python, "private", { quiet: true });
    const out = mkdtempSync(join(tmpdir(), "bnlab-jupytext-"));
    try {
      const sources = readdirSync(join(ROOT, "notebooks", "src"))
        .filter((f) => f.endsWith(".ts"))
        .sort();
      assert.ok(sources.length >= 11);
      for (const source of sources) copyFileSync(join(ROOT, "notebooks", "src", source), join(out, source));
      const result = spawnSync(
        python,
        ["-m", "jupytext", "--quiet", "--to", "ipynb", "--set-kernel", "tslab", ...sources],
        { cwd: out, env: jupyterEnv(), encoding: "utf8" },
      );
      assert.equal(result.status, 0, result.stderr);
      for (const source of sources) {
        const name = source.replace(/\.ts$/, ".ipynb");
        const theirs = JSON.parse(readFileSync(join(out, name), "utf8"));
        const ours = JSON.parse(readFileSync(join(ROOT, "notebooks", name), "utf8"));
        assert.deepEqual(theirs.metadata.kernelspec, ours.metadata.kernelspec, `${name}: kernelspec`);
        const cells = (nb) =>
          nb.cells.map((c) => ({ type: c.cell_type, source: [].concat(c.source).join(""), metadata: c.metadata }));
        assert.deepEqual(cells(theirs), cells(ours), `${name}: cells`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
);
