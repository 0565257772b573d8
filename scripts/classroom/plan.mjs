#!/usr/bin/env node
// Prints, as JSON, the exercises of the notebooks given on the command line:
//   [{ notebook, exercises: [{ solutionCell, checkCell, stubbedSource }] }]
// The Python runner (classroom.py) reads it, so the marker rules live in one place (exercises.mjs).
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { cellSource, findExercises, stubSolutions } from "./exercises.mjs";

try {
  const plan = process.argv.slice(2).map((path) => {
    const notebook = JSON.parse(readFileSync(path, "utf8"));
    const name = basename(path);
    const exercises = findExercises(notebook, name).map(({ solutionCell, checkCell }) => ({
      solutionCell,
      checkCell,
      stubbedSource: stubSolutions(cellSource(notebook.cells[solutionCell])).source,
    }));
    return { notebook: path, exercises };
  });
  process.stdout.write(JSON.stringify(plan));
} catch (error) {
  console.error(`✗ ${error.message}`);
  process.exit(1);
}
