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

// Every notebook must print in the browser exactly what it printed under tslab (timings masked). Until 3 December
// 2026 eight did not (02, 03, 04, 06, 09, 10, 15, 16): Chromium 156's V8 rounds Math.exp, log, sin, cos, ** …
// differently in the last bit from Node 20's for 2–10 % of inputs (scripts/lite/measure-math.mjs), and gradient
// checks and long training carried that into printed digits. Since the library draws, activates and takes losses
// with lib/core/math (+ − × ÷ only: the same bits in every engine) and those notebooks avoid ** with non-square
// exponents, all 17 print identical text, and the test allows no exception.

/**
 * The browser run of `name` (its nbformat `cells`) against tslab's (`executed`: the notebook nbclient wrote,
 * or null). Returns { problems, summary }: problems when there is no tslab run or the browser printed anything else.
 */
export function compareWithTslab(name, cells, executed) {
  if (executed === null)
    return {
      problems: [
        `no tslab run to compare with: run node scripts/jupyter/test-notebooks.mjs notebooks/${name} first (writes build/executed/${name})`,
      ],
      summary: "no tslab run in build/executed/",
    };
  const differences = compareOutputs(comparableOutputs(executed.cells), comparableOutputs(cells));
  const summary =
    differences.length === 0
      ? "printed output identical to tslab's"
      : `printed output differs from tslab's in ${differences.length} places`;
  return { problems: differences, summary };
}
