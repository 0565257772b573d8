// tslab's converter, as patched by scripts/jupyter/patch-tslab.mjs (npm's postinstall): a shorthand
// property `{ rng }` must read an earlier cell's `rng` (unpatched tslab 1.0.22 throws ReferenceError).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { patchTslab } from "../jupyter/patch-tslab.mjs";

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
