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
