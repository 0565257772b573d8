// Real nbgrader (pinned in requirements/jupyter.txt) on two of the kit's notebooks: generate_assignment
// gives the student versions `npm run student` writes (same cells, same stubs, check cells locked), and
// autograde gives an untouched student notebook no points and the solution full points. Needs tslab's
// error messages (patches/): without an `error` reply content nbgrader's autograde fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cellSource, studentNotebook } from "../classroom/exercises.mjs";
import { initCourse, runNbgrader } from "../classroom/nbgrader.mjs";
import { ROOT } from "../jupyter/kernel.mjs";

const NOTEBOOKS = ["01-bn-forward.ipynb", "03-gradient-checking.ipynb"];
const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

test("nbgrader generate_assignment and autograde round trip on two notebooks", { timeout: 600_000 }, () => {
  const course = mkdtempSync(join(tmpdir(), "bnlab-nbgrader-"));
  try {
    initCourse(course, { assignment: "ps1", notebooks: NOTEBOOKS });
    const generated = runNbgrader(course, ["generate_assignment", "ps1"], { stdio: "pipe" });
    assert.equal(generated.status, 0, generated.stderr);

    for (const name of NOTEBOOKS) {
      const released = readJson(join(course, "release", "ps1", name));
      const ours = studentNotebook(readJson(join(ROOT, "notebooks", name)), name);
      assert.equal(released.cells.length, ours.cells.length, `${name}: cell count`);
      released.cells.forEach((cell, i) => {
        assert.equal(cell.cell_type, ours.cells[i].cell_type, `${name} cell ${i}: type`);
        assert.equal(
          cellSource(cell).trimEnd(),
          cellSource(ours.cells[i]).trimEnd(),
          `${name} cell ${i}: nbgrader's student source differs from npm run student's`,
        );
        const grading = ours.cells[i].metadata.nbgrader;
        if (grading?.grade) assert.equal(cell.metadata.nbgrader.locked, true, `${name} cell ${i}: check cell locked`);
        if (grading?.solution) assert.match(cellSource(cell), /YOUR CODE HERE/, `${name} cell ${i}: stubbed`);
      });
    }

    // Two submissions: the released notebooks untouched, and the teacher's solutions.
    mkdirSync(join(course, "submitted", "untouched"), { recursive: true });
    cpSync(join(course, "release", "ps1"), join(course, "submitted", "untouched", "ps1"), { recursive: true });
    cpSync(join(course, "source", "ps1"), join(course, "submitted", "solver", "ps1"), { recursive: true });
    const graded = runNbgrader(course, ["autograde", "ps1"], { stdio: "pipe" });
    assert.equal(
      graded.status,
      0,
      graded.stderr
        .split("\n")
        .filter((l) => !l.includes("| INFO]"))
        .slice(-25)
        .join("\n"),
    );
    for (const student of ["untouched", "solver"])
      assert.ok(existsSync(join(course, "autograded", student, "ps1", NOTEBOOKS[0])), `${student} autograded`);

    const exported = runNbgrader(course, ["export"], { stdio: "pipe" });
    assert.equal(exported.status, 0, exported.stderr);
    const [header, ...rows] = readFileSync(join(course, "grades.csv"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(","));
    const score = (student, column) =>
      Number(rows.find((row) => row[header.indexOf("student_id")] === student)[header.indexOf(column)]);
    const maxScore = score("solver", "max_score");
    assert.ok(maxScore >= 2, `the two notebooks have auto-graded checks (max ${maxScore})`);
    assert.equal(score("solver", "score"), maxScore, "the solutions get every point");
    assert.equal(score("untouched", "score"), 0, "an untouched student notebook gets no point");

    // The failing checks of the untouched notebook carry an `error` output, as nbgrader reads them.
    const autograded = readJson(join(course, "autograded", "untouched", "ps1", NOTEBOOKS[0]));
    const checks = autograded.cells.filter((cell) => cell.metadata.nbgrader?.grade);
    assert.ok(
      checks.length > 0 && checks.every((cell) => cell.outputs.some((o) => o.output_type === "error")),
      "every check cell has an error output",
    );
  } finally {
    rmSync(course, { recursive: true, force: true });
  }
});
