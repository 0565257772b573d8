// Tests for scripts/notebooks.mjs: the percent format, the generated .ipynb and the sync check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import {
  check,
  generate,
  parsePercent,
  renderPercent,
  cellsFromNotebook,
  styleProblems,
  MAX_CODE_CELL_LINES,
} from "../notebooks.mjs";

const SOURCE = `// %% [markdown]
// # Title
//
// Some *text*.

// %%
import * as lab from "..";

// %% [markdown]
// A seeded generator.

// %%
const rng = lab.makeRng(1337);

// blank line above stays inside the cell
`;

function scratch() {
  const dir = mkdtempSync(join(tmpdir(), "notebooks-test-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "01-demo.ts"), SOURCE);
  return dir;
}

function cli(dir, ...args) {
  return spawnSync(process.execPath, ["scripts/notebooks.mjs", ...args], {
    env: { ...process.env, NOTEBOOK_DIR: dir },
    encoding: "utf8",
  });
}

test("parses markdown and code cells, trimming blank lines around each", () => {
  const cells = parsePercent(SOURCE);
  assert.deepEqual(
    cells.map((c) => c.type),
    ["markdown", "code", "markdown", "code"],
  );
  assert.equal(cells[0].source, "# Title\n\nSome *text*.");
  assert.equal(cells[1].source, 'import * as lab from "..";');
  assert.equal(cells[3].source, "const rng = lab.makeRng(1337);\n\n// blank line above stays inside the cell");
});

test("render is the inverse of parse", () => {
  assert.equal(renderPercent(parsePercent(SOURCE)), SOURCE);
});

test("skips a jupytext header and rejects text before the first marker", () => {
  const header = "// ---\n// jupyter:\n//   kernelspec:\n//     name: tslab\n// ---\n\n";
  assert.equal(parsePercent(header + SOURCE).length, 4);
  assert.throws(() => parsePercent("const x = 1;\n" + SOURCE, "x.ts"), /x\.ts:1: text before the first cell marker/);
  assert.throws(
    () => parsePercent("// %% [markdown]\nnot a comment\n", "y.ts"),
    /y\.ts:2: every line of a markdown cell/,
  );
});

test("generates nbformat 4.5 with the tslab kernel, no outputs and stable ids", () => {
  const dir = scratch();
  try {
    const text = generate(join(dir, "src", "01-demo.ts"));
    assert.equal(generate(join(dir, "src", "01-demo.ts")), text);
    const nb = JSON.parse(text);
    assert.equal(nb.nbformat, 4);
    assert.equal(nb.nbformat_minor, 5);
    assert.deepEqual(nb.metadata.kernelspec, { display_name: "TypeScript", language: "typescript", name: "tslab" });
    assert.equal(nb.metadata.language_info.name, "typescript");
    assert.equal(new Set(nb.cells.map((c) => c.id)).size, 4);
    for (const cell of nb.cells.filter((c) => c.cell_type === "code")) {
      assert.deepEqual(cell.outputs, []);
      assert.equal(cell.execution_count, null);
    }
    assert.deepEqual(nb.cells[0].source, ["# Title\n", "\n", "Some *text*."]);
    assert.deepEqual(cellsFromNotebook(nb), parsePercent(SOURCE));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("check passes after build and catches drift, outputs, counts, kernels and orphans", () => {
  const dir = scratch();
  const ipynb = join(dir, "01-demo.ipynb");
  try {
    assert.match(check(dir, join(dir, "src"))[0], /missing/);
    assert.equal(cli(dir, "build").status, 0);
    assert.deepEqual(check(dir, join(dir, "src")), []);
    assert.equal(cli(dir, "check").status, 0);
    const clean = readFileSync(ipynb, "utf8");
    const mutate = (edit) => {
      const nb = JSON.parse(clean);
      edit(nb);
      writeFileSync(ipynb, JSON.stringify(nb, null, 1) + "\n");
      return check(dir, join(dir, "src")).join("\n");
    };
    assert.match(
      mutate((nb) => {
        nb.cells[1].outputs = [{ output_type: "stream", name: "stdout", text: ["hi"] }];
      }),
      /carries 1 output/,
    );
    assert.match(
      mutate((nb) => {
        nb.cells[1].execution_count = 3;
      }),
      /execution_count 3/,
    );
    assert.match(
      mutate((nb) => {
        nb.metadata.kernelspec.name = "python3";
      }),
      /kernelspec/,
    );
    assert.match(
      mutate((nb) => {
        nb.cells[1].source = ["changed"];
      }),
      /out of sync/,
    );
    assert.equal(cli(dir, "check").status, 1);
    writeFileSync(ipynb, clean);
    writeFileSync(join(dir, "99-orphan.ipynb"), clean);
    assert.match(check(dir, join(dir, "src")).join("\n"), /99-orphan\.ipynb: has no source/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("import turns an .ipynb edited in Jupyter back into its source, dropping outputs", () => {
  const dir = scratch();
  try {
    cli(dir, "build");
    const nb = JSON.parse(readFileSync(join(dir, "01-demo.ipynb"), "utf8"));
    nb.cells[1].outputs = [{ output_type: "stream", name: "stdout", text: ["x"] }];
    nb.cells[1].execution_count = 1;
    nb.cells.push({
      cell_type: "code",
      id: "abc",
      metadata: {},
      execution_count: 2,
      outputs: [],
      source: "lab.Matrix.zeros(2, 2)\n",
    });
    const edited = join(dir, "edited", "01-demo.ipynb");
    mkdirSync(join(dir, "edited"));
    writeFileSync(edited, JSON.stringify(nb));
    assert.equal(cli(dir, "import", edited).status, 0);
    assert.equal(readFileSync(join(dir, "src", "01-demo.ts"), "utf8"), SOURCE + "\n// %%\nlab.Matrix.zeros(2, 2)\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const code = (lines) => ({
  type: "code",
  source: Array.from({ length: lines }, (_, i) => `const x${i} = ${i};`).join("\n"),
});
const prose = { type: "markdown", source: "What the next cell computes." };

test("styleProblems: a code cell may have 25 lines, not 26", () => {
  assert.equal(MAX_CODE_CELL_LINES, 25);
  assert.deepEqual(styleProblems([prose, code(25)], "a.ts"), []);
  const problems = styleProblems([prose, code(26)], "a.ts");
  assert.equal(problems.length, 1);
  assert.match(problems[0], /a\.ts: code cell 1 \("const x0 = 0;"\) has 26 lines, more than 25/);
});

test("styleProblems: every code cell needs a markdown cell right before it", () => {
  assert.deepEqual(styleProblems([prose, code(1), prose, code(2)], "b.ts"), []);
  assert.match(styleProblems([code(1)], "b.ts").join("\n"), /code cell 0 .* has no markdown cell before it/);
  const twoInARow = styleProblems([prose, code(1), code(1)], "b.ts");
  assert.equal(twoInARow.length, 1);
  assert.match(twoInARow[0], /code cell 2 .* has no markdown cell before it/);
});

test("check (and the CLI) fail on a source with a long code cell or code without prose", () => {
  const dir = scratch();
  try {
    assert.equal(cli(dir, "build").status, 0);
    assert.equal(cli(dir, "check").status, 0);
    const long = Array.from({ length: 30 }, (_, i) => `const y${i} = ${i};`).join("\n");
    writeFileSync(join(dir, "src", "01-demo.ts"), SOURCE + `\n// %%\n${long}\n`);
    assert.equal(cli(dir, "build").status, 0); // in sync again: only the style is wrong
    const problems = check(dir, join(dir, "src")).join("\n");
    assert.match(problems, /notebooks\/src\/01-demo\.ts: code cell 4 .* has 30 lines, more than 25/);
    assert.match(problems, /code cell 4 .* has no markdown cell before it/);
    const result = cli(dir, "check");
    assert.equal(result.status, 1);
    assert.match(result.stderr, /has 30 lines/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
