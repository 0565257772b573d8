// Keeps the floors of lib/README.md true: reads every lib/**/*.ts (tests included) with TypeScript's
// own import scanner (import, import type, export … from, require) and fails on an import that
// points up a floor or across a floor, and on any import loop between files, type-only ones included.
// Also: no line of lib/ is over 120 characters (Prettier wraps code at 120; comments and strings are wrapped by hand).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import * as ts from "typescript";

const root = resolve(__dirname, "..", "..", "lib"); // the sources, seen from dist/lib

/** The floors of lib/README.md, bottom up: a unit may import its own files and those of lower floors only. */
const FLOORS: string[][] = [
  ["core"],
  ["gradcheck", "data", "plots", "optim"],
  ["layers", "check"],
  ["normalization"],
  ["fast"],
  ["models"],
  ["train", "experiments"],
  ["search"],
  ["notebook"],
  ["index", "internal", "tests"],
];

/**
 * A unit is a folder of lib/, or a file at lib/'s top ("gradcheck" for gradcheck.ts and its test);
 * any other test at the top (this one, tests of the whole library) is in "tests", on the top floor.
 */
function unitOf(file: string): string {
  const [first, ...rest] = relative(root, file).split("/");
  if (rest.length > 0) return first;
  const unit = first.replace(/(\.test)?\.ts$/, "");
  return first.endsWith(".test.ts") && !FLOORS.flat().includes(unit) ? "tests" : unit;
}

function floorOf(unit: string): number {
  const floor = FLOORS.findIndex((units) => units.includes(unit));
  if (floor < 0)
    throw new Error(`lib/architecture.test.ts: "${unit}" is on no floor; add it to FLOORS and to lib/README.md.`);
  return floor;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** The lib/ files that `file` imports (relative specifiers only; node: and packages are outside lib/). */
function importsOf(file: string): { specifier: string; target: string }[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => ({ specifier, target: resolveSource(resolve(dirname(file), specifier)) }))
    .filter(({ target }) => target.startsWith(root + "/"));
}

function resolveSource(path: string): string {
  for (const candidate of [`${path}.ts`, join(path, "index.ts")]) {
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  return path;
}

const files = sourceFiles(root);
const name = (file: string) => `lib/${relative(root, file)}`;

test("every import points down a floor or stays in its own folder (lib/README.md)", () => {
  const wrong: string[] = [];
  for (const file of files) {
    const unit = unitOf(file);
    for (const { specifier, target } of importsOf(file)) {
      const to = unitOf(target);
      if (to === unit || floorOf(to) < floorOf(unit)) continue;
      wrong.push(
        `${name(file)} imports "${specifier}": ${unit} (floor ` +
          `${floorOf(unit)}) may not import ${to} (floor ${floorOf(to)})`,
      );
    }
  }
  assert.deepEqual(wrong, [], `imports against the floors of lib/README.md:\n${wrong.join("\n")}`);
});

test("no file imports itself back through a loop of imports (type-only imports included)", () => {
  const graph = new Map(files.map((file) => [file, importsOf(file).map(({ target }) => target)]));
  const state = new Map<string, "open" | "done">();
  const loops: string[] = [];
  const visit = (file: string, stack: string[]): void => {
    state.set(file, "open");
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") loops.push([...stack.slice(stack.indexOf(next)), next].map(name).join(" → "));
      else if (!state.has(next)) visit(next, [...stack, next]);
    }
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file, [file]);
  assert.deepEqual(loops, [], `import loops:\n${loops.join("\n")}`);
});

test("the check itself sees upward imports and loops", () => {
  assert.ok(floorOf("normalization") < floorOf("fast"), "an import of lib/fast from lib/normalization would fail");
  const scanned = ts.preProcessFile(
    'import type { A } from "./a";\nexport { b } from "../b";\n// import { c } from "./c";',
    true,
    true,
  );
  assert.deepEqual(
    scanned.importedFiles.map((f) => f.fileName),
    ["./a", "../b"],
  ); // type-only and re-exports count; comments do not
  assert.ok(
    files.length > 100 && files.some((file) => name(file) === "lib/core/matrix.ts"),
    "reads the sources of lib/",
  );
});

const MAX_LINE = 120; // characters (code points), as Prettier's printWidth in .prettierrc.json

/** "line: length" for every line of `text` longer than MAX_LINE characters (code, comments and strings alike). */
function longLines(text: string): string[] {
  return text.split("\n").flatMap((line, i) => ([...line].length > MAX_LINE ? [`${i + 1}: ${[...line].length}`] : []));
}

test(`every line of lib/ is at most ${MAX_LINE} characters (code, comments and strings)`, () => {
  const long = files.flatMap((file) => longLines(readFileSync(file, "utf8")).map((line) => `${name(file)}:${line}`));
  assert.deepEqual(long, [], `lines over ${MAX_LINE} characters (file:line: length); wrap them:\n${long.join("\n")}`);
});

test("the line check counts characters, not bytes, and sees a long line anywhere", () => {
  assert.deepEqual(longLines(`${"γ".repeat(MAX_LINE)}\n// ok`), []); // 120 Greek letters are 240 bytes
  assert.deepEqual(longLines(`const x = 1;\n// ${"a".repeat(MAX_LINE)}`), [`2: ${MAX_LINE + 3}`]);
});
