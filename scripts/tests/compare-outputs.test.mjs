// The "same numbers twice" comparison of the browser test (--compare): timings masked, anything else a difference.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareRuns, maskTimings, textOutputs } from "../jupyter/compare-outputs.mjs";

const stdout = (text) => ({ output_type: "stream", name: "stdout", text });
const display = (plain, extra = {}) => ({
  output_type: "display_data",
  data: { "text/plain": plain, ...extra },
  metadata: {},
});
const notebook = (...cells) => ({
  cells: cells.map((outputs) =>
    outputs ? { cell_type: "code", source: "", outputs } : { cell_type: "markdown", source: "text" },
  ),
});

test("maskTimings hides durations, rates and dates, and nothing else", () => {
  assert.equal(
    maskTimings("step 320 / 320 (100%) · loss 0.02537 · 0.6 s elapsed · done"),
    "step 320 / 320 (100%) · loss 0.02537 · ‹time› elapsed · done",
  );
  assert.equal(
    maskTimings("383 steps/s, 12 ms per step, 1 min 5 s in all, 2.5 GFLOP/s"),
    "‹rate›, ‹time› per step, ‹time› in all, ‹rate›",
  );
  assert.equal(maskTimings("run at 2026-12-03T10:16:15.123Z"), "run at ‹date›");
  assert.equal(
    maskTimings("compact formula  0.41 ms  (5.6× the staged speed)"),
    "compact formula  ‹time›  (‹speed ratio›)",
  );
  // a parallel search's progress line depends on nothing but the seconds (lib/notebook/search-progress.ts)
  assert.equal(
    maskTimings(
      "caviar, 2 workers: 8/8 trials (7 ok, 1 failed) · best: trial 3, validationAccuracy 0.9517 · in 12.3 s",
    ),
    "caviar, 2 workers: 8/8 trials (7 ok, 1 failed) · best: trial 3, validationAccuracy 0.9517 · in ‹time›",
  );
  // a ratio of two wall-clock times is not masked (only "N× the … speed" is): a notebook prints the two times instead
  assert.equal(maskTimings("speed-up ×0.88, last: trial 6 ok"), "speed-up ×0.88, last: trial 6 ok");
  assert.equal(
    maskTimings("accuracy 0.983 after 40 epochs; shape [N, 2]; 3 traces (scatter ×3)"),
    "accuracy 0.983 after 40 epochs; shape [N, 2]; 3 traces (scatter ×3)",
  );
});

test("textOutputs keeps stdout and text/plain per code cell, not stderr, not markdown", () => {
  const cells = textOutputs(
    notebook(
      [stdout(["a\n", "b\n"]), { output_type: "stream", name: "stderr", text: "warn" }, display('Figure "x": 1 trace')],
      null,
    ),
  );
  assert.deepEqual(cells, [["a", "b", 'Figure "x": 1 trace'], null]);
});

test("compareRuns: equal up to timings is null; a changed number names the cell and both lines", () => {
  const reference = notebook(null, [stdout("loss 0.5 after 1.2 s\n"), display("mean 0.25")]);
  assert.equal(compareRuns(reference, notebook(null, [stdout("loss 0.5 after 3.4 s\n"), display("mean 0.25")])), null);
  const changed = compareRuns(reference, notebook(null, [stdout("loss 0.5 after 1.2 s\n"), display("mean 0.26")]), {
    referenceName: "nbclient",
    runName: "the browser",
  });
  assert.equal(changed, 'cell 1, output line 2: nbclient printed "mean 0.25", the browser "mean 0.26"');
  assert.match(
    compareRuns(reference, notebook(null, [stdout("loss 0.5 after 1.2 s\n")])),
    /cell 1, output line 2: .* "mean 0\.25", this run \(no line\)/,
  );
  assert.match(compareRuns(reference, notebook(null)), /not the same notebook/);
});
