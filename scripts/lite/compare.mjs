// Comparing what two runs of a notebook printed (tslab through nbclient, and the browser kernel):
// per code cell, its stdout and the text/plain view of each display, with elapsed times masked.
import { maskTimings } from "../jupyter/compare-outputs.mjs";

/** Per code cell: { stdout, displays } from nbformat cells (outputs of a finished run), dates, rates and durations masked (‹time›, …). */
export function comparableOutputs(cells) {
  return cells
    .filter((cell) => cell.cell_type === "code")
    .map((cell) => {
      const outputs = cell.outputs ?? [];
      const text = (value) => (Array.isArray(value) ? value.join("") : String(value ?? ""));
      const stdout = outputs
        .filter((o) => o.output_type === "stream" && o.name === "stdout")
        .map((o) => text(o.text))
        .join("");
      const displays = outputs
        .filter((o) => o.output_type === "display_data" || o.output_type === "execute_result")
        .map((o) => text(o.data?.["text/plain"]));
      return { stdout: maskTimings(stdout), displays: displays.map(maskTimings) };
    });
}

/** One line per difference ("code cell 4 stdout: tslab … / browser …"); empty when identical. */
export function compareOutputs(reference, browser) {
  const problems = [];
  if (reference.length !== browser.length)
    problems.push(`${reference.length} code cells under tslab, ${browser.length} in the browser`);
  for (let i = 0; i < Math.min(reference.length, browser.length); i++) {
    const [a, b] = [reference[i], browser[i]];
    if (a.stdout !== b.stdout)
      problems.push(
        `code cell ${i} stdout differs: tslab ${JSON.stringify(a.stdout.slice(0, 300))} / browser ${JSON.stringify(b.stdout.slice(0, 300))}`,
      );
    if (a.displays.length !== b.displays.length)
      problems.push(`code cell ${i}: ${a.displays.length} displays under tslab, ${b.displays.length} in the browser`);
    a.displays.forEach((text, k) => {
      if (b.displays[k] !== undefined && text !== b.displays[k])
        problems.push(
          `code cell ${i} display ${k} differs: tslab ${JSON.stringify(text.slice(0, 300))} / browser ${JSON.stringify(b.displays[k].slice(0, 300))}`,
        );
    });
  }
  return problems;
}

// LAST_BIT: Chromium 156's V8 rounds Math.pow / **, Math.cos and Math.log2 differently in the last bit
// from Node 20's (2.9 ** 3 is 24.389 in Chromium, 24.388999999999996 in Node), and gradient checks and
// long products amplify that into different 2nd–3rd digits of tiny numbers (relative errors ≈ 1e-9,
// differences ≈ 1e-15), training on the edge of stability into the 2nd digit of a loss. These notebooks
// print such numbers (measured 3 December 2026, Chromium 156 against Node 20's tslab); every other
// notebook's printed output must be identical to tslab's, timings masked.
export const LAST_BIT = {
  "02-bn-backward.ipynb": "gradient-check relative errors and sums ≈ 1e-15",
  "03-gradient-checking.ipynb": "relative errors of gradient checks, the best step h",
  "04-with-and-without-bn.ipynb": "sums of the gradient reaching the bias ≈ 1e-16",
  "06-batch-size-and-deployment.ipynb": "relative errors ≈ 1e-14 of the folded Linear + BN",
  "09-gradients-through-depth.ipynb":
    "100 steps of a 15-layer tanh network whose pre-activations sit near ε: loss 1.894 (tslab) vs 1.831 (browser)",
  "10-layernorm-vs-batchnorm.ipynb": "BatchNorm's accuracy at batch size 2 (chance level, 0.085 vs 0.086)",
  "15-implement-bn-yourself.ipynb": "relative errors of the gradient checks",
  "16-bn-for-images.ipynb": "relative errors of BatchNorm2d's gradient check",
};

/**
 * The browser run of `name` (its nbformat `cells`) against tslab's (`executed`: the notebook nbclient wrote,
 * or null). Returns { problems, summary, notes }: problems when a notebook outside LAST_BIT has no tslab run
 * or printed anything else; notes list the differences of a LAST_BIT notebook (not asserted).
 */
export function compareWithTslab(name, cells, executed) {
  const asserted = !(name in LAST_BIT);
  if (executed === null)
    return {
      problems: asserted
        ? [
            `no tslab run to compare with: run node scripts/jupyter/test-notebooks.mjs notebooks/${name} first (writes build/executed/${name})`,
          ]
        : [],
      summary: "no tslab run in build/executed/",
      notes: [],
    };
  const differences = compareOutputs(comparableOutputs(executed.cells), comparableOutputs(cells));
  const summary =
    differences.length === 0
      ? `printed output identical to tslab's${asserted ? "" : ` (may differ in the last digits: ${LAST_BIT[name]})`}`
      : `printed output differs from tslab's in ${differences.length} places${asserted ? "" : ` (not asserted, LAST_BIT: ${LAST_BIT[name]})`}`;
  return { problems: asserted ? differences : [], summary, notes: asserted ? [] : differences };
}
