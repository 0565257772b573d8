#!/usr/bin/env node
// Notebook sources ⇄ .ipynb.
//
// The source of truth is notebooks/src/NN-name.ts in jupytext's "percent" format:
//
//   // %% [markdown]
//   // # A title
//   // Some *markdown*, every line prefixed with `// `.
//
//   // %%
//   import * as lab from "..";
//
// Usage:
//   node scripts/notebooks.mjs build            notebooks/src/*.ts → notebooks/*.ipynb (no outputs)
//   node scripts/notebooks.mjs check            fail if an .ipynb is out of sync, has outputs or a wrong kernel, or a
//                                               source breaks the course's cell style (see styleProblems)
//   node scripts/notebooks.mjs import <ipynb>   an .ipynb edited in Jupyter → its notebooks/src/*.ts source
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const NOTEBOOK_DIR = join(ROOT, "notebooks");
export const SOURCE_DIR = join(NOTEBOOK_DIR, "src");

export const KERNELSPEC = { display_name: "TypeScript", language: "typescript", name: "tslab" };
export const LANGUAGE_INFO = {
  codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
  file_extension: ".ts",
  mimetype: "text/typescript",
  name: "typescript",
};

const MARKER = /^\/\/ %%(?:\s+\[(markdown|md|raw)\])?\s*$/;
const JUPYTEXT_HEADER = /^\/\/ ---\s*$/;

/** Parses percent-format text into cells `{ type: "code" | "markdown", source }`. */
export function parsePercent(text, fileName = "<source>") {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const cells = [];
  let current = null;
  let i = skipJupytextHeader(lines);
  for (; i < lines.length; i++) {
    const line = lines[i];
    const marker = MARKER.exec(line);
    if (marker) {
      if (marker[1] === "raw") throw new Error(`${fileName}:${i + 1}: raw cells are not supported; use markdown.`);
      current = { type: marker[1] ? "markdown" : "code", lines: [], firstLine: i + 1 };
      cells.push(current);
    } else if (current) {
      current.lines.push(current.type === "markdown" ? uncomment(line, fileName, i + 1) : line);
    } else if (line.trim() !== "") {
      throw new Error(
        `${fileName}:${i + 1}: text before the first cell marker; start the file with "// %%" or "// %% [markdown]".`,
      );
    }
  }
  return cells.map(({ type, lines: cellLines }) => ({ type, source: trimBlankLines(cellLines).join("\n") }));
}

function skipJupytextHeader(lines) {
  if (!JUPYTEXT_HEADER.test(lines[0] ?? "")) return 0;
  const end = lines.findIndex((line, i) => i > 0 && JUPYTEXT_HEADER.test(line));
  return end < 0 ? 0 : end + 1;
}

function uncomment(line, fileName, lineNumber) {
  if (line.trim() === "" || line === "//") return "";
  if (line.startsWith("// ")) return line.slice(3);
  throw new Error(
    `${fileName}:${lineNumber}: every line of a markdown cell must start with "// " (got ${JSON.stringify(line)}).`,
  );
}

function trimBlankLines(lines) {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === "") start++;
  while (end > start && lines[end - 1].trim() === "") end--;
  return lines.slice(start, end);
}

/** Renders cells back to percent-format text (the inverse of parsePercent). */
export function renderPercent(cells) {
  const blocks = cells.map(({ type, source }) => {
    if (type === "markdown") {
      const body = source.split("\n").map((line) => (line === "" ? "//" : `// ${line}`));
      return ["// %% [markdown]", ...body].join("\n");
    }
    return source === "" ? "// %%" : `// %%\n${source}`;
  });
  return blocks.join("\n\n") + "\n";
}

/** Deterministic nbformat 4.5 cell id: a hash of the notebook name, cell type and source, made unique. */
function cellIds(notebookName, cells) {
  const seen = new Map();
  return cells.map(({ type, source }) => {
    const hash = createHash("sha256").update(`${notebookName}\0${type}\0${source}`).digest("hex").slice(0, 12);
    const count = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, count);
    return count === 1 ? hash : `${hash}-${count}`;
  });
}

/** Splits a string the way Jupyter stores it: a list of lines, each but the last ending in "\n". */
function toSourceLines(source) {
  if (source === "") return [];
  const parts = source.split("\n");
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line)).filter((line) => line !== "");
}

/** Builds the nbformat 4.5 notebook object (no outputs, execution_count null, tslab kernelspec). */
export function toNotebook(notebookName, cells) {
  const ids = cellIds(notebookName, cells);
  return {
    cells: cells.map(({ type, source }, i) =>
      type === "markdown"
        ? { cell_type: "markdown", id: ids[i], metadata: {}, source: toSourceLines(source) }
        : {
            cell_type: "code",
            execution_count: null,
            id: ids[i],
            metadata: {},
            outputs: [],
            source: toSourceLines(source),
          },
    ),
    metadata: { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Serializes like Jupyter does (sorted keys, indent 1, trailing newline), so a save in Jupyter diffs minimally. */
export function serializeNotebook(notebook) {
  return JSON.stringify(sortKeys(notebook), null, 1) + "\n";
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

/** Cells of an .ipynb (as parsed JSON), in the `{ type, source }` form used above. */
export function cellsFromNotebook(notebook, fileName = "<notebook>") {
  return notebook.cells.map((cell, i) => {
    if (cell.cell_type !== "code" && cell.cell_type !== "markdown") {
      throw new Error(
        `${fileName}: cell ${i} is a ${cell.cell_type} cell; only code and markdown cells are supported.`,
      );
    }
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    return { type: cell.cell_type, source: trimBlankLines(source.split("\n")).join("\n") };
  });
}

/** Problems of one committed .ipynb compared with what its source generates (empty when in sync). */
export function notebookProblems(ipynbText, expectedText, fileName) {
  let notebook;
  try {
    notebook = JSON.parse(ipynbText);
  } catch (error) {
    return [`${fileName}: not valid JSON (${error.message})`];
  }
  const problems = [];
  const kernel = notebook.metadata?.kernelspec ?? {};
  if (kernel.name !== KERNELSPEC.name || kernel.display_name !== KERNELSPEC.display_name) {
    problems.push(
      `${fileName}: kernelspec is ${JSON.stringify(kernel)}, expected name "tslab", display_name "TypeScript"`,
    );
  }
  (notebook.cells ?? []).forEach((cell, i) => {
    if (cell.outputs?.length) problems.push(`${fileName}: cell ${i} carries ${cell.outputs.length} output(s)`);
    if (cell.execution_count != null)
      problems.push(`${fileName}: cell ${i} has execution_count ${cell.execution_count}`);
  });
  if (problems.length === 0 && ipynbText !== expectedText) {
    problems.push(`${fileName}: out of sync with its source`);
  }
  return problems;
}

/** The longest code cell the course allows, in lines (STYLE: code cells ≲ 25 lines; bookkeeping goes to lib/). */
export const MAX_CODE_CELL_LINES = 25;

/**
 * Style problems of one notebook's cells (empty when none): a code cell longer than
 * MAX_CODE_CELL_LINES lines (blank lines inside it count), and a code cell that is not directly
 * preceded by a markdown cell (the course puts prose before every code cell).
 */
export function styleProblems(cells, fileName) {
  const problems = [];
  cells.forEach((cell, i) => {
    if (cell.type !== "code") return;
    const lines = cell.source === "" ? 0 : cell.source.split("\n").length;
    const where = `${fileName}: code cell ${i} (${JSON.stringify(cell.source.split("\n")[0].slice(0, 50))})`;
    if (lines > MAX_CODE_CELL_LINES) {
      problems.push(
        `${where} has ${lines} lines, more than ${MAX_CODE_CELL_LINES}: split it with prose between the parts, or move bookkeeping into lib/`,
      );
    }
    if (i === 0 || cells[i - 1].type !== "markdown") {
      problems.push(`${where} has no markdown cell before it: say in a sentence what it computes and why`);
    }
  });
  return problems;
}

export function listSources(sourceDir = SOURCE_DIR) {
  if (!existsSync(sourceDir)) return [];
  return readdirSync(sourceDir)
    .filter((f) => /^\d\d-.+\.ts$/.test(f))
    .sort();
}

export function generate(sourceFile) {
  const name = basename(sourceFile, ".ts");
  const cells = parsePercent(readFileSync(sourceFile, "utf8"), sourceFile);
  return serializeNotebook(toNotebook(name, cells));
}

function build(notebookDir, sourceDir) {
  for (const file of listSources(sourceDir)) {
    const target = join(notebookDir, file.replace(/\.ts$/, ".ipynb"));
    const text = generate(join(sourceDir, file));
    const old = existsSync(target) ? readFileSync(target, "utf8") : null;
    if (old !== text) writeFileSync(target, text);
    console.log(`${old === text ? "unchanged" : "wrote    "} notebooks/${basename(target)}`);
  }
}

/** Returns the list of problems over every source and every .ipynb in notebookDir. */
export function check(notebookDir = NOTEBOOK_DIR, sourceDir = SOURCE_DIR) {
  const sources = listSources(sourceDir);
  const expected = new Set(sources.map((f) => f.replace(/\.ts$/, ".ipynb")));
  const problems = [];
  for (const file of readdirSync(notebookDir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()) {
    if (!expected.has(file))
      problems.push(`notebooks/${file}: has no source notebooks/src/${file.replace(/\.ipynb$/, ".ts")}`);
  }
  for (const file of sources) {
    const target = join(notebookDir, file.replace(/\.ts$/, ".ipynb"));
    if (!existsSync(target)) {
      problems.push(`notebooks/${basename(target)}: missing (generate it from notebooks/src/${file})`);
      continue;
    }
    problems.push(
      ...notebookProblems(
        readFileSync(target, "utf8"),
        generate(join(sourceDir, file)),
        `notebooks/${basename(target)}`,
      ),
    );
    const cells = parsePercent(readFileSync(join(sourceDir, file), "utf8"), join(sourceDir, file));
    problems.push(...styleProblems(cells, `notebooks/src/${file}`));
  }
  return problems;
}

function importNotebook(ipynbPath, sourceDir) {
  const notebook = JSON.parse(readFileSync(ipynbPath, "utf8"));
  const target = join(sourceDir, basename(ipynbPath).replace(/\.ipynb$/, ".ts"));
  writeFileSync(target, renderPercent(cellsFromNotebook(notebook, ipynbPath)));
  console.log(`wrote notebooks/src/${basename(target)} (outputs dropped); now run \`npm run notebooks\``);
}

function main([command, ...args]) {
  const notebookDir = process.env.NOTEBOOK_DIR ? resolve(process.env.NOTEBOOK_DIR) : NOTEBOOK_DIR;
  const sourceDir = join(notebookDir, "src");
  if (command === "build") return build(notebookDir, sourceDir);
  if (command === "import" && args[0]) return importNotebook(resolve(args[0]), sourceDir);
  if (command === "check") {
    const problems = check(notebookDir, sourceDir);
    for (const problem of problems) console.error(`✗ ${problem}`);
    if (problems.length) {
      console.error(
        "Fix: edit notebooks/src/*.ts and run `npm run notebooks` (or `npm run notebooks -- import <file.ipynb>` after editing in Jupyter).",
      );
      process.exit(1);
    }
    return console.log(
      `notebooks: ${listSources(sourceDir).length} in sync with their sources, no outputs, tslab kernel; every code cell ≤ ${MAX_CODE_CELL_LINES} lines with prose before it`,
    );
  }
  console.error("usage: node scripts/notebooks.mjs build | check | import <notebook.ipynb>");
  process.exit(2);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`✗ ${error.message}`);
    process.exit(1);
  }
}
