/**
 * The results table: sort trials by any metric, keep the best, print as Markdown or text.
 */
import { InputError } from "../core/checks";
import { formatValue } from "./dimensions";
import type { TrialResult } from "./run";
import type { TrialConfig } from "./space";

/** Options of `sortResults`. */
export interface SortOptions {
  /** Largest first (default true: accuracies); false for losses. */
  descending?: boolean;
}

/**
 * The results sorted by `metric` (a metric name, or a hyperparameter name to sort by value).
 * Trials without a finite value for it (failed, stopped early, NaN) come last, in id order.
 */
export function sortResults<C extends TrialConfig>(
  results: readonly TrialResult<C>[],
  metric: string,
  { descending = true }: SortOptions = {},
): TrialResult<C>[] {
  const value = (r: TrialResult<C>): number => {
    const v = metric in r.metrics ? r.metrics[metric] : (r.config as TrialConfig)[metric];
    return r.status === "ok" && typeof v === "number" && Number.isFinite(v) ? v : NaN;
  };
  return results.slice().sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (Number.isNaN(x) || Number.isNaN(y))
      return Number.isNaN(x) === Number.isNaN(y) ? a.id - b.id : Number.isNaN(x) ? 1 : -1;
    return (descending ? y - x : x - y) || a.id - b.id;
  });
}

/** The best successful trial by `metric` (throws when no trial succeeded). */
export function bestResult<C extends TrialConfig>(
  results: readonly TrialResult<C>[],
  metric: string,
  options: SortOptions = {},
): TrialResult<C> {
  const best = sortResults(results, metric, options)[0];
  if (!best || best.status !== "ok" || !Number.isFinite(best.metrics[metric])) {
    throw new InputError(
      `bestResult: no successful trial reports "${metric}" (${results.length} trials; check their status and message).`,
    );
  }
  return best;
}

/** Options of `formatResults`. */
export interface FormatResultsOptions extends SortOptions {
  /** Sort by this metric first (default: keep the given order). */
  sortBy?: string;
  /** Show only the first `top` rows (default all). */
  top?: number;
  /** "markdown" (default; show with show.markdown) or "text" (console.log). */
  format?: "markdown" | "text";
}

/**
 * A table of trials: rank, id, status, every hyperparameter, every metric, and the message of a failed/stopped trial.
 */
export function formatResults<C extends TrialConfig>(
  results: readonly TrialResult<C>[],
  options: FormatResultsOptions = {},
): string {
  const { sortBy, top = results.length, format = "markdown" } = options;
  const rows = (sortBy ? sortResults(results, sortBy, options) : results.slice()).slice(0, top);
  const params = unionKeys(rows.map((r) => r.config));
  const metrics = unionKeys(rows.map((r) => r.metrics));
  const header = ["#", "trial", ...params, ...metrics, "status"];
  const body = rows.map((r, k) => [
    String(k + 1),
    String(r.id),
    ...params.map((p) => cell((r.config as TrialConfig)[p])),
    ...metrics.map((m) => (m in r.metrics ? cell(r.metrics[m]) : "–")),
    r.status === "ok" ? "ok" : `${r.status}: ${shorten(r.message)}`,
  ]);
  return format === "markdown" ? markdownTable(header, body) : textTable(header, body);
}

function cell(value: unknown): string {
  return typeof value === "number" ? formatValue(value) : String(value);
}

function shorten(message: string, length = 60): string {
  const line = message.split("\n")[0].replace(/\|/g, "/");
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}

function unionKeys(objects: object[]): string[] {
  const keys: string[] = [];
  for (const o of objects) for (const k of Object.keys(o)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

function markdownTable(header: string[], body: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...body.map(line)].join("\n");
}

function textTable(header: string[], body: string[][]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((row) => row[j].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, j) => c.padEnd(widths[j]))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
