// The browser test's "same printed numbers as tslab" (scripts/lite/compare.mjs): asserted for every notebook,
// timings masked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareWithTslab } from "../lite/compare.mjs";

const run = (...stdouts) => ({
  cells: [
    { cell_type: "markdown", source: "" },
    ...stdouts.map((text) => ({ cell_type: "code", outputs: [{ output_type: "stream", name: "stdout", text }] })),
  ],
});
const ASSERTED = "00-start-here.ipynb";

test("an asserted notebook passes when only timings differ, and fails on any other difference", () => {
  const tslab = run("loss 0.1234 · 3.2 s elapsed", "done in 12 ms");
  assert.deepEqual(compareWithTslab(ASSERTED, run("loss 0.1234 · 9.9 s elapsed", "done in 40 ms").cells, tslab), {
    problems: [],
    summary: "printed output identical to tslab's",
  });
  const { problems } = compareWithTslab(ASSERTED, run("loss 0.1235 · 3.2 s elapsed", "done in 12 ms").cells, tslab);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /code cell 0 stdout differs: tslab "loss 0.1234 · ‹time› elapsed" \/ browser "loss 0.1235/);
  assert.equal(
    compareWithTslab(ASSERTED, run("a").cells, tslab).problems[0],
    "2 code cells under tslab, 1 in the browser",
  );
});

test("without tslab's run, a notebook fails, saying how to make that run", () => {
  assert.match(
    compareWithTslab(ASSERTED, run("x").cells, null).problems[0],
    /test-notebooks\.mjs notebooks\/00-start-here\.ipynb/,
  );
});
