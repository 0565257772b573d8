// tslab as patched by patches/tslab+1.0.22.patch (patch-package, npm's postinstall; patches/README.md).
// The patch applies to tslab 1.0.22 only: any other version fails the install. The converter: a
// shorthand property `{ rng }` must read an earlier cell's `rng` (unpatched tslab 1.0.22 throws
// ReferenceError). The kernel's sockets: no output lost past 512 messages (needs nbclient and a built
// dist/, like the notebook tests). Error messages: scripts/tests/tslab-errors.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeNotebook, toNotebook } from "../notebooks.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const TSLAB = join(ROOT, "node_modules", "tslab");

/** Runs patch-package as the postinstall does, in a copy of this project with tslab's dist/ at `version`. */
function postinstallWithTslab(version) {
  const dir = mkdtempSync(join(tmpdir(), "tslab-patch-package-"));
  try {
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "copy", private: true, dependencies: { tslab: version } }),
    );
    cpSync(join(ROOT, "patches"), join(dir, "patches"), { recursive: true });
    mkdirSync(join(dir, "node_modules", "tslab"), { recursive: true });
    cpSync(join(TSLAB, "dist"), join(dir, "node_modules", "tslab", "dist"), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(TSLAB, "package.json"), "utf8"));
    writeFileSync(join(dir, "node_modules", "tslab", "package.json"), JSON.stringify({ ...manifest, version }));
    const cli = join(ROOT, "node_modules", "patch-package", "index.js");
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
    const args = scripts.postinstall.split(" ").slice(1); // "patch-package --error-on-fail --error-on-warn"
    return spawnSync(process.execPath, [cli, ...args], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, FORCE_COLOR: "0" },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the postinstall finds this install patched, and fails loudly (exit 1) when tslab is not 1.0.22", () => {
  const same = postinstallWithTslab("1.0.22");
  assert.equal(same.status, 0, same.stdout + same.stderr);
  assert.match(same.stdout, /tslab@1\.0\.22 ✔/);
  const other = postinstallWithTslab("1.0.23");
  assert.equal(other.status, 1, other.stdout + other.stderr);
  assert.match(other.stdout, /1\.0\.22[^]*1\.0\.23|1\.0\.23[^]*1\.0\.22/);
});

test("tslab converts { rng } of an earlier cell to { rng: exports.rng }, and leaves a local rng alone", () => {
  const { createConverter } = createRequire(import.meta.url)("tslab/dist/converter");
  const converter = createConverter();
  try {
    const first = converter.convert("", "const rng = 5;");
    const second = converter.convert(
      first.declOutput,
      "const o = { rng, k: 1 };\nfunction f() { const rng = 7; return { rng }; }",
    );
    assert.deepEqual(second.diagnostics, []);
    assert.match(second.output, /const o = \{ rng: exports\.rng, k: 1 \}/);
    assert.match(second.output, /const rng = 7;\s*return \{ rng \};/);
  } finally {
    converter.close();
  }
});

// The socket patch: zeromq.js 6 defers a socket's 513th synchronous send and throws on the next one,
// so unpatched tslab delivers 500 of these 1 500 outputs and fails the cell without a message.
test(
  "a cell that shows 1 500 outputs in one synchronous loop delivers all of them, and the next cell runs",
  { timeout: 300_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "tslab-burst-test-"));
    try {
      const cells = [
        {
          type: "code",
          source: 'import * as tslab from "tslab";\nfor (let i = 0; i < 1500; i++) tslab.display.text(`output ${i}`);',
        },
        { type: "code", source: "console.log('the next cell ran');" },
      ];
      writeFileSync(join(dir, "burst.ipynb"), serializeNotebook(toNotebook("burst.ipynb", cells)));
      const out = join(dir, "executed");
      const result = spawnSync(
        process.execPath,
        ["scripts/jupyter/test-notebooks.mjs", "--timeout=120", "--output-dir", out, join(dir, "burst.ipynb")],
        { encoding: "utf8" },
      );
      assert.equal(result.status, 0, result.stdout + result.stderr);
      const executed = JSON.parse(readFileSync(join(out, "burst.ipynb"), "utf8"));
      const texts = executed.cells[0].outputs.map((o) => [].concat(o.data?.["text/plain"] ?? []).join(""));
      assert.equal(texts.length, 1500);
      assert.equal(texts[1499], "output 1499");
      assert.match(JSON.stringify(executed.cells[1].outputs), /the next cell ran/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
