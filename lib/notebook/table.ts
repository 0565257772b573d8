/**
 * `table(rows)`: an array of records as an HTML table (like `console.table`, but rendered),
 * and `statusLine()`: one line of text that a long loop rewrites in place.
 */
import { InputError } from "../core/checks";
import { type MimeBundle, newDisplayId, send, sendDisplay } from "./jupyter";

/** Options of `table`. */
export interface TableOptions {
  /** A line above the table. */
  caption?: string;
  /** Significant digits of non-integer numbers (default 4). */
  digits?: number;
}

/** Rows of records as an HTML table, columns in first-seen key order; text fallback aligned in columns. */
export function tableBundle(
  rows: Record<string, unknown>[],
  { caption = "", digits = 4 }: TableOptions = {},
): MimeBundle {
  if (!Array.isArray(rows))
    throw new InputError("show.table(rows): pass an array of objects, e.g. [{ batch: 32, accuracy: 0.97 }].");
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a cell shows what String() shows
  const asText = (value: unknown) => String(value ?? "");
  const format = (value: unknown) =>
    typeof value === "number" && !Number.isInteger(value) && Number.isFinite(value)
      ? value.toPrecision(digits)
      : asText(value);
  const cells = rows.map((row) => columns.map((column) => format(row[column])));
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const html =
    `<table class="bnlab-table">${caption ? `<caption style="text-align:left">${escape(caption)}</caption>` : ""}` +
    `<tr>${columns.map((c) => `<th>${escape(c)}</th>`).join("")}</tr>` +
    cells.map((line) => `<tr>${line.map((c) => `<td>${escape(c)}</td>`).join("")}</tr>`).join("") +
    `</table>`;
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((line) => line[j].length)));
  const text = [columns, ...cells].map((line) => line.map((c, j) => c.padStart(widths[j])).join("  "));
  return { "text/html": html, "text/plain": [caption, ...text].filter((line) => line !== "").join("\n") };
}

/** Shows rows of records as a table: `show.table([{ "batch size": 32, accuracy: 0.97 }, …])`. */
export function table(rows: Record<string, unknown>[], options: TableOptions = {}): void {
  send(tableBundle(rows, options));
}

/** A line of text shown once and then rewritten in place (`update_display_data`). */
export interface StatusLine {
  /** Shows `text` (the first call) or replaces the previous text; await it inside long loops. */
  set(text: string): Promise<void>;
}

/** `const status = show.statusLine(); for (…) { …; await status.set(`run ${k} / 40`); }` */
export function statusLine(): StatusLine {
  const displayId = newDisplayId();
  let shown = false;
  return {
    set(text: string): Promise<void> {
      const update = shown;
      shown = true;
      return sendDisplay({ "text/plain": text }, { displayId, update });
    },
  };
}
