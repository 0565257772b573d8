"use strict";
// batchnorm-lab patch: errors the Jupyter way. Turns a failing cell (TypeScript diagnostics, or a
// thrown / rejected value) into the content of a Jupyter `error` message: { ename, evalue, traceback },
// the traceback a few lines that point at the cell's line and column, not at tslab's or node's internals.
// Stack frames of cell code carry a file name of their own (see `register`); their positions in the
// generated CommonJS are mapped back through two source maps (CommonJS → ES module JS → the cell).
Object.defineProperty(exports, "__esModule", { value: true });
exports.errorContent = exports.createErrorReporter = void 0;
const module_1 = require("module");
const path_1 = require("path");
const util_1 = require("util");
const TSLAB_DIR = path_1.dirname(__filename);
const MAX_CELLS = 1000; // cells whose code a later frame may still point at (functions defined there)
const MAX_FRAMES = 10;
const FRAME = /^\s*at (?:async )?(?:(.+?) \((.+):(\d+):(\d+)\)|(.+):(\d+):(\d+))$/;
/** Records the cells that ran, so stack frames can be mapped back to them. */
function createErrorReporter() {
    const cells = new Map();
    let runs = 0;
    return {
        /**
         * Registers converted code that is about to run; returns the file name to give `vm`.
         * @param prefixLength characters of wrapper code before `converted.output` on its first line.
         */
        register(src, converted, prefixLength, executionCount) {
            const filename = `__tslab_cell_${++runs}__.js`;
            cells.set(filename, { src, converted, prefixLength, label: cellLabel(executionCount), maps: null });
            if (cells.size > MAX_CELLS) cells.delete(cells.keys().next().value);
            return filename;
        },
        /** The error content of a cell that did not type-check. */
        compileError(diagnostics, src, executionCount) {
            return diagnosticsContent(diagnostics, src, cellLabel(executionCount));
        },
        /** The error content of a value the cell threw (or a promise it awaited rejected with). */
        runtimeError(thrown) {
            return errorContent(thrown, cells);
        },
    };
}
exports.createErrorReporter = createErrorReporter;
function cellLabel(executionCount) {
    return executionCount == null ? "cell" : `Cell In[${executionCount}]`;
}
/** TypeScript diagnostics → one "TypeScriptError: message / at cell line, column / source ^" block per position. */
function diagnosticsContent(diagnostics, src, label) {
    const blocks = [];
    for (const d of diagnostics) {
        const where = `${d.start.line}:${d.start.character}:${d.end.line}:${d.end.character}`;
        const block = blocks[blocks.length - 1];
        if (block && block.where === where) {
            block.lines.push(`  ${d.messageText}`); // the next message of a chain (same position)
            continue;
        }
        const at = `line ${d.start.line + 1}, column ${d.start.character + 1}`;
        const position = d.fileName ? [`    at ${d.fileName}, ${at}`] : [`    at ${label}, ${at}`, ...excerpt(src, d.start.line, d.start.character)];
        blocks.push({ where, lines: [`TypeScriptError: ${d.messageText}`], position });
    }
    const first = diagnostics[0];
    const traceback = blocks.flatMap((block) => [...block.lines, ...block.position]);
    return { ename: "TypeScriptError", evalue: first ? String(first.messageText) : "the cell did not compile", traceback };
}
/** A thrown value → { ename, evalue, traceback }; `cells` (from a reporter) maps frames of cell code. */
function errorContent(thrown, cells = new Map()) {
    if (!isErrorLike(thrown)) {
        const evalue = (0, util_1.inspect)(thrown);
        return { ename: "Error", evalue, traceback: [`Uncaught ${evalue}`] };
    }
    let ename = typeof thrown.name === "string" && thrown.name ? thrown.name : "Error";
    const constructorName = thrown.constructor && thrown.constructor.name;
    if (ename === "Error" && constructorName && constructorName !== "Error") ename = constructorName;
    const evalue = String(thrown.message);
    return { ename, evalue, traceback: [`${ename}: ${evalue}`, ...frameLines(thrown.stack, cells)] };
}
exports.errorContent = errorContent;
function isErrorLike(value) {
    return value instanceof Error || (value !== null && typeof value === "object" && typeof value.message === "string");
}
/** The stack's frames down to the outermost frame of cell code, cell frames mapped, internals left out. */
function frameLines(stack, cells) {
    const frames = String(stack || "").split("\n").filter((line) => /^\s+at /.test(line)).map((line) => parseFrame(line, cells));
    let last = -1;
    frames.forEach((frame, i) => { if (frame.cell) last = i; });
    const kept = (last >= 0 ? frames.slice(0, last + 1) : frames).filter((frame) => !frame.internal);
    return kept.slice(0, MAX_FRAMES).flatMap((frame) => frame.lines);
}
function parseFrame(line, cells) {
    const m = FRAME.exec(line);
    if (!m) return { internal: /\bnode:|\(<anonymous>\)|\(index \d+\)/.test(line), lines: [line] };
    const [name, file, lineNo, column] = m[1] !== undefined ? [m[1], m[2], m[3], m[4]] : [null, m[5], m[6], m[7]];
    const cell = cells.get(file);
    if (!cell) {
        const internal = file.startsWith("node:") || file.startsWith(TSLAB_DIR + path_1.sep);
        const relative = path_1.isAbsolute(file) ? path_1.relative(process.cwd(), file) : file;
        const place = `${relative.length < file.length ? relative : file}:${lineNo}:${column}`;
        return { internal, lines: [`    at ${name ? `${name} (${place})` : place}`] };
    }
    const pos = cellPosition(cell, Number(lineNo) - 1, Number(column) - 1);
    if (!pos && Number(lineNo) > cell.converted.output.split("\n").length) return { internal: true, lines: [] }; // the wrapper's call
    const where = pos ? `${cell.label}, line ${pos.line + 1}, column ${pos.column + 1}` : cell.label;
    const shortName = name && name.replace(/^Proxy\./, ""); // functions of earlier cells are called on tslab's exports Proxy
    const at = shortName ? `    at ${shortName} (${where})` : `    at ${where}`;
    return { cell: true, internal: false, lines: [at, ...(pos ? excerpt(cell.src, pos.line, pos.column) : [])] };
}
/** 0-based position in the generated code → 0-based line and column in the cell's source, or null. */
function cellPosition(cell, line, column) {
    if (line === 0) column -= cell.prefixLength;
    if (!cell.maps) {
        const texts = cell.converted.sourceMaps || [];
        cell.maps = texts.every(Boolean) ? texts.map((text) => new module_1.SourceMap(JSON.parse(text))) : [];
    }
    if (cell.maps.length === 0) return null;
    for (const map of cell.maps) {
        const entry = map.findEntry(line, column);
        if (!entry || entry.originalLine === undefined || entry.generatedLine !== line) return null;
        line = entry.originalLine;
        column = entry.originalColumn;
    }
    line -= cell.converted.srcLineOffset || 0;
    return line >= 0 && line < cell.src.split("\n").length ? { line, column } : null;
}
/** The cell's source line and a caret under the column. */
function excerpt(src, line, column) {
    const text = src.split(/\r?\n/)[line];
    if (text === undefined) return [];
    const number = String(line + 1);
    const pad = text.slice(0, column).replace(/[^\t]/g, " ");
    return [`        ${number} | ${text}`, `        ${" ".repeat(number.length)} | ${pad}^`];
}
