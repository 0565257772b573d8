// The exercise prover really fails: on a fixture notebook with three exercises — one whose
// check ignores the solution ("cannot fail") — it must pass two, fail one, and exit non-zero;
// the grader must mark the stubbed student version's exercises as failed with the error's line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { studentNotebook } from "../classroom/exercises.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const FIXTURE = join(ROOT, "scripts", "tests", "fixtures", "exercises-one-cannot-fail.ipynb");
const run = (...args) =>
  spawnSync(process.execPath, [join(ROOT, "scripts", "classroom", "run.mjs"), ...args], {
    encoding: "utf8",
    timeout: 300_000,
  });

test("prove flags the check that cannot fail and passes the two real ones", () => {
  const result = run("prove", FIXTURE);
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /cell 4: the check PASSES on the student stub — it cannot fail/);
  assert.match(result.stdout, /exercises: 2 passed, 1 failed/);
});

test("grade marks every stubbed exercise of a student notebook as failed, with its error", () => {
  const dir = mkdtempSync(join(tmpdir(), "grade-"));
  const student = join(dir, "student.ipynb");
  writeFileSync(student, JSON.stringify(studentNotebook(JSON.parse(readFileSync(FIXTURE, "utf8")))));
  const csv = join(dir, "grades.csv");
  const result = run("grade", "--csv", csv, student);
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /✗ student.ipynb exercise 1 \(cell 2\) Error: not implemented/);
  assert.match(result.stdout, /✓ student.ipynb exercise 2 \(cell 4\)/); // the check that cannot fail passes even here
  assert.match(result.stdout, /✗ student.ipynb exercise 3 \(cell 6\) .*Cannot find name 'm'/);
  assert.match(readFileSync(csv, "utf8"), /student.ipynb,1,2,False,Error: not implemented/);
});

// tslab answers "abort" to any request that reaches it within 200 ms of an error; a check that fails in
// milliseconds used to lose the solution cell sent right after it ("failed with the solution in place").
test("prove passes an exercise whose check fails instantly on the stub (tslab's abort window)", () => {
  const result = run("prove", join(ROOT, "scripts", "tests", "fixtures", "exercise-quick-check.ipynb"));
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /exercises: 1 passed, 0 failed/);
});
