// tslab as patched by scripts/jupyter/patch-tslab.mjs (npm's postinstall). The converter: a shorthand
// property `{ rng }` must read an earlier cell's `rng` (unpatched tslab 1.0.22 throws ReferenceError).
// The kernel's sockets: no output lost past 512 messages (needs nbclient and a built dist/, like the
// notebook tests).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { patchTslab, patchTslabSockets } from "../jupyter/patch-tslab.mjs";
import { serializeNotebook, toNotebook } from "../notebooks.mjs";

test("tslab converts { rng } of an earlier cell to { rng: exports.rng }, and leaves a local rng alone", () => {
  assert.notEqual(patchTslab(), "unknown-version");
  const { createConverter } = createRequire(import.meta.url)("tslab/dist/converter");
  const converter = createConverter();
  try {
    const first = converter.convert("", "const rng = 5;");
    const second = converter.convert(first.declOutput, "const o = { rng, k: 1 };\nfunction f() { const rng = 7; return { rng }; }");
    assert.deepEqual(second.diagnostics, []);
    assert.match(second.output, /const o = \{ rng: exports\.rng, k: 1 \}/);
    assert.match(second.output, /const rng = 7;\s*return \{ rng \};/);
  } finally {
    converter.close();
  }
});

// The socket patch: zeromq.js 6 defers a socket's 513th synchronous send and throws on the next one,
// so unpatched tslab delivers 500 of these 1 500 outputs and fails the cell without a message.
test("a cell that shows 1 500 outputs in one synchronous loop delivers all of them, and the next cell runs", { timeout: 300_000 }, () => {
  assert.notEqual(patchTslabSockets(), "unknown-version");
  const dir = mkdtempSync(join(tmpdir(), "tslab-burst-test-"));
  try {
    const cells = [
      { type: "code", source: 'import * as tslab from "tslab";\nfor (let i = 0; i < 1500; i++) tslab.display.text(`output ${i}`);' },
      { type: "code", source: "console.log('the next cell ran');" },
    ];
    writeFileSync(join(dir, "burst.ipynb"), serializeNotebook(toNotebook("burst.ipynb", cells)));
    const out = join(dir, "executed");
    const result = spawnSync(process.execPath, ["scripts/jupyter/test-notebooks.mjs", "--timeout=120", "--output-dir", out, join(dir, "burst.ipynb")], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const executed = JSON.parse(readFileSync(join(out, "burst.ipynb"), "utf8"));
    const texts = executed.cells[0].outputs.map((o) => [].concat(o.data?.["text/plain"] ?? []).join(""));
    assert.equal(texts.length, 1500);
    assert.equal(texts[1499], "output 1499");
    assert.match(JSON.stringify(executed.cells[1].outputs), /the next cell ran/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
