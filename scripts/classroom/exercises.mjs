// Exercises in notebooks, marked as nbgrader marks them:
//
//   function columnMeans(x: Matrix): Matrix {
//     // BEGIN SOLUTION
//     return x.meanRows();
//     // END SOLUTION
//   }
//
// A code cell holding one or more solution regions is an exercise; the next code cell is its
// check cell (it calls a check helper from lib/check, which throws a friendly error when wrong).
// The student version replaces each region by `// YOUR CODE HERE` and a throw that still
// type-checks (a `throw` is allowed wherever a statement is, whatever the declared return type).

export const BEGIN = "BEGIN SOLUTION";
export const END = "END SOLUTION";
export const STUB_LINES = ["// YOUR CODE HERE", 'throw new Error("not implemented");'];
const CHECK_CALL = /\bcheck[A-Z]\w*\s*\(/;

/**
 * Replaces every solution region of one cell's source by the stub, keeping the indentation of
 * its BEGIN line. Returns `{ source, regions }`; throws on a marker without its pair.
 */
export function stubSolutions(source, where = "<cell>") {
  const out = [];
  let regions = 0;
  let open = /** @type {number | null} */ (null); // line number of the open BEGIN marker
  source.split("\n").forEach((line, i) => {
    if (line.includes(BEGIN)) {
      if (open !== null)
        throw new Error(
          `${where}, line ${i + 1}: "${BEGIN}" inside the region opened at line ${open}; close it with "// ${END}" first.`,
        );
      open = i + 1;
      regions++;
      const indent = line.match(/^\s*/)[0];
      out.push(...STUB_LINES.map((stub) => indent + stub));
    } else if (line.includes(END)) {
      if (open === null) throw new Error(`${where}, line ${i + 1}: "${END}" without a "${BEGIN}" before it.`);
      open = null;
    } else if (open === null) {
      out.push(line);
    }
  });
  if (open !== null)
    throw new Error(`${where}, line ${open}: "${BEGIN}" is never closed; add "// ${END}" after the solution.`);
  return { source: out.join("\n"), regions };
}

/** A notebook cell's source as one string (nbformat stores a list of lines). */
export function cellSource(cell) {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/**
 * The exercises of a notebook (parsed .ipynb JSON): `[{ solutionCell, checkCell }]`, cell indices.
 * A student notebook is read by the nbgrader metadata `studentNotebook` wrote (its markers are
 * gone); a teacher notebook by its markers. Throws when a solution cell has no check cell after it.
 */
export function findExercises(notebook, fileName = "<notebook>") {
  const tagged = exercisesFromMetadata(notebook);
  if (tagged.length > 0) return tagged;
  const exercises = [];
  notebook.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const { regions } = stubSolutions(cellSource(cell), `${fileName}, cell ${i}`);
    if (regions === 0) return;
    const checkCell = notebook.cells.findIndex((c, j) => j > i && c.cell_type === "code");
    if (checkCell < 0 || !CHECK_CALL.test(cellSource(notebook.cells[checkCell]))) {
      throw new Error(
        `${fileName}, cell ${i}: an exercise must be followed by a code cell that calls a check helper (e.g. lab.checkClose(...)).`,
      );
    }
    if (stubSolutions(cellSource(notebook.cells[checkCell])).regions > 0) {
      throw new Error(`${fileName}, cell ${checkCell}: a check cell must not hold a solution region.`);
    }
    exercises.push({ solutionCell: i, checkCell });
  });
  return exercises;
}

/** Exercises recorded in nbgrader cell metadata (`grade_id` "exN-solution" / "exN-check"). */
function exercisesFromMetadata(notebook) {
  const find = (id) => notebook.cells.findIndex((c) => c.metadata?.nbgrader?.grade_id === id);
  const exercises = [];
  for (let n = 1; find(`ex${n}-solution`) >= 0; n++) {
    exercises.push({ solutionCell: find(`ex${n}-solution`), checkCell: find(`ex${n}-check`) });
  }
  return exercises.filter((e) => e.checkCell > e.solutionCell);
}

/**
 * nbgrader's cell metadata (schema 3): solution cells are "autograded answer" cells, check cells
 * "autograder tests" worth one point each, so `nbgrader generate_assignment` accepts the notebook.
 */
export function nbgraderMetadata(n, role) {
  return role === "solution"
    ? { grade: false, grade_id: `ex${n}-solution`, locked: false, schema_version: 3, solution: true, task: false }
    : {
        grade: true,
        grade_id: `ex${n}-check`,
        locked: true,
        points: 1,
        schema_version: 3,
        solution: false,
        task: false,
      };
}

/** The same notebook with nbgrader metadata on every solution and check cell. */
export function withNbgraderMetadata(notebook, fileName = "<notebook>") {
  const roles = new Map();
  findExercises(notebook, fileName).forEach(({ solutionCell, checkCell }, k) => {
    roles.set(solutionCell, nbgraderMetadata(k + 1, "solution"));
    roles.set(checkCell, nbgraderMetadata(k + 1, "check"));
  });
  const cells = notebook.cells.map((cell, i) =>
    roles.has(i) ? { ...cell, metadata: { ...cell.metadata, nbgrader: roles.get(i) } } : cell,
  );
  return { ...notebook, cells };
}

/** Splits a string into nbformat source lines (each but the last ends in "\n"). */
function toSourceLines(text) {
  if (text === "") return [];
  const parts = text.split("\n");
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line)).filter((line) => line !== "");
}

/**
 * The student version of a notebook: every solution region stubbed, outputs and execution
 * counts cleared. `only` (a set of cell indices) stubs just those cells.
 */
export function studentNotebook(notebook, fileName = "<notebook>", only = null) {
  const cells = withNbgraderMetadata(notebook, fileName).cells.map((cell, i) => {
    if (cell.cell_type !== "code") return { ...cell };
    const stubbed =
      only && !only.has(i) ? cellSource(cell) : stubSolutions(cellSource(cell), `${fileName}, cell ${i}`).source;
    return { ...cell, source: toSourceLines(stubbed), outputs: [], execution_count: null };
  });
  return { ...notebook, cells };
}
