// Tests of the exercise markers and the student-version generator (scripts/classroom/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { findExercises, stubSolutions, studentNotebook, cellSource } from "../classroom/exercises.mjs";

const cell = (source, type = "code") => ({ cell_type: type, source, metadata: {}, outputs: [], execution_count: 3 });

test("a solution region becomes the stub, keeping its indentation", () => {
  const source = [
    "function f(x: number): number {",
    "  // BEGIN SOLUTION",
    "  return 2 * x;",
    "  // END SOLUTION",
    "}",
  ].join("\n");
  const { source: stubbed, regions } = stubSolutions(source);
  assert.equal(regions, 1);
  assert.equal(
    stubbed,
    ["function f(x: number): number {", "  // YOUR CODE HERE", '  throw new Error("not implemented");', "}"].join("\n"),
  );
});

test("two regions in one cell are both stubbed; code outside them stays", () => {
  const source =
    "const a = 1;\n// BEGIN SOLUTION\nconst b = 2;\n// END SOLUTION\nconst c = 3;\n// BEGIN SOLUTION\nconst d = 4;\n// END SOLUTION";
  const { source: stubbed, regions } = stubSolutions(source);
  assert.equal(regions, 2);
  assert.ok(stubbed.includes("const a = 1;") && stubbed.includes("const c = 3;"));
  assert.ok(!stubbed.includes("const b") && !stubbed.includes("const d"));
});

test("a marker without its pair is an error naming the line", () => {
  assert.throws(
    () => stubSolutions("// BEGIN SOLUTION\nx = 1;", "nb, cell 4"),
    /nb, cell 4, line 1: "BEGIN SOLUTION" is never closed/,
  );
  assert.throws(
    () => stubSolutions("x = 1;\n// END SOLUTION", "nb, cell 4"),
    /line 2: "END SOLUTION" without a "BEGIN SOLUTION"/,
  );
  assert.throws(
    () => stubSolutions("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION"),
    /inside the region opened at line 1/,
  );
});

test("an exercise needs a following check cell that calls a check helper", () => {
  const good = {
    cells: [
      cell("// BEGIN SOLUTION\nconst m = 1;\n// END SOLUTION"),
      cell("note", "markdown"),
      cell("lab.checkClose('m', m, 1);"),
    ],
  };
  assert.deepEqual(findExercises(good), [{ solutionCell: 0, checkCell: 2 }]);
  const noCheck = { cells: [cell("// BEGIN SOLUTION\nconst m = 1;\n// END SOLUTION"), cell("console.log(m);")] };
  assert.throws(
    () => findExercises(noCheck, "x.ipynb"),
    /x.ipynb, cell 0: an exercise must be followed by a code cell that calls a check helper/,
  );
  const last = { cells: [cell("// BEGIN SOLUTION\nconst m = 1;\n// END SOLUTION")] };
  assert.throws(() => findExercises(last), /must be followed by a code cell/);
});

test("the student notebook has no solutions, no outputs and no execution counts", () => {
  const notebook = {
    cells: [cell("// BEGIN SOLUTION\nconst secret = 42;\n// END SOLUTION"), cell("lab.checkTrue('s', secret === 42);")],
  };
  const student = studentNotebook(notebook);
  const text = JSON.stringify(student);
  assert.ok(!text.includes("secret = 42") && !text.includes("BEGIN SOLUTION"));
  assert.ok(student.cells.every((c) => c.outputs.length === 0 && c.execution_count === null));
  assert.equal(cellSource(student.cells[1]), "lab.checkTrue('s', secret === 42);");
});

test("every course notebook has at least two well-formed exercises", () => {
  const dir = new URL("../../notebooks/", import.meta.url).pathname;
  const course = readdirSync(dir).filter((f) => /^\d\d-.+\.ipynb$/.test(f) && !f.startsWith("00-"));
  for (const file of course) {
    const notebook = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const exercises = findExercises(notebook, file);
    assert.ok(
      exercises.length >= 2,
      `${file} has ${exercises.length} exercise(s); every course notebook needs at least two`,
    );
    const student = JSON.stringify(studentNotebook(notebook, file));
    assert.ok(!student.includes("BEGIN SOLUTION"), `${file}: a solution survived in the student version`);
  }
});

test("the student notebook carries nbgrader metadata, so its exercises are found without markers", () => {
  const notebook = {
    cells: [
      cell("setup();"),
      cell("// BEGIN SOLUTION\nconst a = 1;\n// END SOLUTION"),
      cell("lab.checkTrue('a', a === 1);"),
      cell("// BEGIN SOLUTION\nconst b = 2;\n// END SOLUTION"),
      cell("lab.checkClose('b', b, 2);"),
    ],
  };
  const student = studentNotebook(notebook);
  assert.equal(student.cells[1].metadata.nbgrader.grade_id, "ex1-solution");
  assert.equal(student.cells[2].metadata.nbgrader.grade_id, "ex1-check");
  assert.equal(student.cells[2].metadata.nbgrader.points, 1);
  assert.deepEqual(findExercises(student), [
    { solutionCell: 1, checkCell: 2 },
    { solutionCell: 3, checkCell: 4 },
  ]);
});

test("a user copy has its own notebooks and loads the shared library through its links", async () => {
  const { mkdtempSync, existsSync: exists, lstatSync, realpathSync, writeFileSync: write } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { createRequire } = await import("node:module");
  const { makeUserCopy } = await import("../classroom/user-copy.mjs");
  const dest = join(mkdtempSync(join(tmpdir(), "user-copy-")), "me");
  const root = new URL("../..", import.meta.url).pathname;
  if (!exists(join(root, "dist", "lib", "index.js"))) return assert.fail("build first: dist/lib/index.js is missing");
  const copied = makeUserCopy(dest, { root });
  assert.ok(lstatSync(join(dest, "dist")).isSymbolicLink());
  assert.ok(!lstatSync(join(dest, "notebooks")).isSymbolicLink());
  assert.ok(exists(join(dest, "docs", "glossary.md")), "the notebooks link ../docs/glossary.md");
  assert.ok(!exists(join(dest, "docs", "teacher")), "the model answers must not reach a student's copy");
  const { plotlyAssetUrlFrom, plotlyBundle } = createRequire(import.meta.url)(
    join(root, "dist", "lib", "notebook", "plotly-asset.js"),
  );
  const asset = join(dest, "notebooks", "assets", `plotly-${plotlyBundle().version}.js`);
  assert.ok(
    lstatSync(asset).isFile(),
    "plotly.js is a file of the copy's own notebooks/assets/ (Jupyter does not serve a symbolic link out of its root)",
  );
  assert.equal(realpathSync(asset), asset);
  assert.ok(
    readFileSync(asset).equals(readFileSync(plotlyBundle().path)),
    "the shared bundle's bytes, from node_modules/ (the install's notebooks/ may be teacher only)",
  );
  assert.equal(
    plotlyAssetUrlFrom(join(dest, "notebooks")),
    `assets/plotly-${plotlyBundle().version}.js`,
    "a figure's URL stays inside the user's server",
  );
  assert.equal(copied.length, readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).length);
  write(join(dest, "notebooks", "probe.js"), "");
  const lab = createRequire(join(dest, "notebooks", "probe.js"))("..");
  assert.equal(typeof lab.makeRng, "function");
  assert.throws(() => makeUserCopy(dest, { root }), /exists already/);
});
