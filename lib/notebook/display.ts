/**
 * Rich cell output: Markdown, LaTeX, HTML, a `Matrix` as a table, a model summary.
 * Each helper sends one MIME bundle with a text/plain fallback (for terminals and text
 * exports) and returns nothing, so a cell that ends with one prints no stray value
 * (tslab prints a cell's last value; a Promise would show as "Promise { <pending> }").
 * The `…Bundle` functions build the bundle without sending it (used by the tests).
 */
import { formatShape, InputError } from "../core/checks";
import { formatMatrix, type Matrix } from "../core/matrix";
import { formatModelSummary, type ModelSummary } from "../layers/sequential";
import { type MimeBundle, send } from "./jupyter";

/** Shows Markdown (rendered by every frontend). */
export function markdown(text: string): void {
  send({ "text/markdown": text, "text/plain": text });
}

/** Shows raw HTML, with `plain` as the text fallback. */
export function html(markup: string, plain = markup.replace(/<[^>]*>/g, "")): void {
  send({ "text/html": markup, "text/plain": plain });
}

/** Something with a TeX form, like a mathjs node (`math.parse("x^2").toTex()`). */
export interface HasTex {
  toTex(): string;
  toString(): string;
}

/**
 * A displayed formula: `$$tex$$` as text/markdown and text/latex (classic Notebook,
 * JupyterLab and VS Code render one of them with MathJax/KaTeX), plain text otherwise.
 */
export function latexBundle(formula: string | HasTex): MimeBundle {
  const tex = typeof formula === "string" ? formula : formula.toTex();
  const plain = typeof formula === "string" ? formula : formula.toString();
  return { "text/markdown": `$$${tex}$$`, "text/latex": `$$${tex}$$`, "text/plain": plain };
}

/** Shows a formula from a TeX string or anything with `toTex()` (a mathjs expression). */
export function latex(formula: string | HasTex): void {
  send(latexBundle(formula));
}

/** Options of `matrix`. */
export interface MatrixDisplayOptions {
  /** Shown above the table with the shape, e.g. "x" → "x: [4, 2]". */
  name?: string;
  /** Significant digits per number (default 4). */
  digits?: number;
  /** At most this many rows and columns; the middle ones are elided with ⋮ and ⋯ (default 10). */
  maxRows?: number;
  maxCols?: number;
}

/** A matrix as an HTML table (indices in the margins) plus the text form of `formatMatrix`. */
export function matrixBundle(m: Matrix, options: MatrixDisplayOptions = {}): MimeBundle {
  const { name = "Matrix", digits = 4, maxRows = 10, maxCols = 10 } = options;
  const rows = pick(m.rows, maxRows);
  const cols = pick(m.cols, maxCols);
  const cell = (v: number) => (Number.isInteger(v) && Math.abs(v) < 1e6 ? String(v) : v.toPrecision(digits));
  const header = `<tr><th></th>${cols.map((j) => `<th>${j ?? "⋯"}</th>`).join("")}</tr>`;
  const td = (i: number | null, j: number | null) =>
    `<td>${i === null || j === null ? (i === null ? "⋮" : "⋯") : cell(m.get(i, j))}</td>`;
  const body = rows.map((i) => `<tr><th>${i ?? "⋮"}</th>${cols.map((j) => td(i, j)).join("")}</tr>`);
  const caption = `${escapeHtml(name)}: ${formatShape(m)}`;
  const table =
    `<table class="bnlab-matrix" style="font-family:monospace;text-align:right">` +
    `<caption style="text-align:left">${caption}</caption>${header}${body.join("")}</table>`;
  return { "text/html": table, "text/plain": `${name}: ${formatShape(m)}\n${formatMatrix(m, maxRows, maxCols)}` };
}

/** Shows a matrix as a table; large ones are elided in the middle. */
export function matrix(m: Matrix, options: MatrixDisplayOptions = {}): void {
  send(matrixBundle(m, options));
}

/** Indices 0 … n−1, or the first and last max/2 with `null` (the ellipsis) between. */
function pick(n: number, max: number): (number | null)[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil(max / 2);
  const tail = Math.floor(max / 2);
  return [...Array.from({ length: head }, (_, i) => i), null, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}

/** A model with `summary(inputSize)` (e.g. `Sequential`). */
export interface Summarizable {
  summary(inputSize: number): ModelSummary;
}

/** A model summary as an HTML table (#, layer, output shape, parameters) and as text. */
export function summaryBundle(summary: ModelSummary): MimeBundle {
  const shape = ([n, d]: [number | null, number]) => `[${n ?? "N"}, ${d}]`;
  const row = (cells: string[], tag: "td" | "th") =>
    `<tr>${cells.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join("")}</tr>`;
  const rows = summary.rows.map((r) =>
    row([String(r.index), r.name, shape(r.outputShape), r.parameterCount.toLocaleString("en-US")], "td"),
  );
  const table =
    `<table class="bnlab-summary"><caption style="text-align:left">input ` +
    `${shape(summary.inputShape)} (N = any batch size)</caption>` +
    row(["#", "layer", "output shape", "parameters"], "th") +
    rows.join("") +
    `<tr><th></th><th>total</th><th></th><th>${summary.totalParameters.toLocaleString("en-US")}</th></tr></table>`;
  return { "text/html": table, "text/plain": formatModelSummary(summary) };
}

/** Shows `model.summary(inputSize)` (or a ready `ModelSummary`) as a table. */
export function summary(model: Summarizable | ModelSummary, inputSize?: number): void {
  if ("rows" in model) return send(summaryBundle(model));
  if (inputSize === undefined)
    throw new InputError(
      "show.summary(model, inputSize): give the number of input features, e.g. show.summary(model, 2).",
    );
  send(summaryBundle(model.summary(inputSize)));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
