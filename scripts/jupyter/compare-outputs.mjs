// "The same notebook run twice prints the same numbers": compares the text a notebook printed in two runs
// (e.g. nbclient's executed copy in build/executed/ and a JupyterLab run), cell by cell, with timings masked.
// Compared per code cell: stdout streams and the text/plain view of every display and result, in order.

const TIMINGS = [
  [/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, "‹date›"], // ISO dates and times
  [/\d+(\.\d+)?\s*(steps|it|samples|examples|ops)\/s\b/g, "‹rate›"], // "383 steps/s"
  [/\d+(\.\d+)?\s*(GFLOP|MFLOP|FLOP)\/s\b/g, "‹rate›"],
  [/\d+\s*min\s+\d+(\.\d+)?\s*s\b/g, "‹time›"], // "1 min 5 s"
  [/\d+(\.\d+)?(e[+-]?\d+)?\s*(ms|µs|us|ns|s|min|h)\b/g, "‹time›"], // "0.6 s", "12 ms"
  [/\d+(\.\d+)?× the [\w-]+ speed/g, "‹speed ratio›"], // "5.6× the staged speed": a ratio of two timings
];

/** `text` with dates, rates, durations and timing-dependent details replaced by ‹date›, ‹rate›, ‹time›, …. */
export function maskTimings(text) {
  return TIMINGS.reduce((masked, [pattern, mark]) => masked.replace(pattern, mark), text);
}

const joined = (value) => (Array.isArray(value) ? value.join("") : String(value ?? ""));

/** Per cell (code cells keep their notebook index): the masked lines of stdout and text/plain outputs. */
export function textOutputs(notebook) {
  return notebook.cells.map((cell) => {
    if (cell.cell_type !== "code") return null;
    const texts = (cell.outputs ?? []).flatMap((o) => {
      if (o.output_type === "stream") return o.name === "stdout" ? [joined(o.text)] : [];
      return o.data?.["text/plain"] !== undefined ? [joined(o.data["text/plain"])] : [];
    });
    return maskTimings(texts.join("\n"))
      .split("\n")
      .map((line) => line.trimEnd())
      .filter((line) => line !== "");
  });
}

/**
 * Null when both runs printed the same (masked) text in every code cell, else a sentence naming the first
 * cell that differs and its first differing line in each run.
 */
export function compareRuns(reference, run, { referenceName = "reference", runName = "this run" } = {}) {
  const a = textOutputs(reference);
  const b = textOutputs(run);
  if (a.length !== b.length)
    return `${referenceName} has ${a.length} cells, ${runName} ${b.length}: not the same notebook`;
  for (let index = 0; index < a.length; index++) {
    if (a[index] === null || b[index] === null) continue;
    const length = Math.max(a[index].length, b[index].length);
    for (let line = 0; line < length; line++) {
      if (a[index][line] !== b[index][line]) {
        const show = (text) => (text === undefined ? "(no line)" : JSON.stringify(text.slice(0, 200)));
        return `cell ${index}, output line ${line + 1}: ${referenceName} printed ${show(a[index][line])}, ${runName} ${show(b[index][line])}`;
      }
    }
  }
  return null;
}
