#!/usr/bin/env node
// `npm run student`: writes the student notebooks into student/ (git-ignored): every solution
// region replaced by `// YOUR CODE HERE` + `throw new Error("not implemented")`, outputs cleared.
// Hand out the student/ folder together with the rest of the kit (lib/, data/, package.json):
// the notebooks import the library from "..", so student/ must sit beside notebooks/.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findExercises, studentNotebook } from "./exercises.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const notebookDir = join(ROOT, "notebooks");
const outDir = resolve(process.argv[2] ?? join(ROOT, "student"));

try {
  mkdirSync(outDir, { recursive: true });
  let total = 0;
  for (const file of readdirSync(notebookDir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()) {
    const notebook = JSON.parse(readFileSync(join(notebookDir, file), "utf8"));
    const exercises = findExercises(notebook, `notebooks/${file}`);
    const student = studentNotebook(notebook, `notebooks/${file}`);
    writeFileSync(join(outDir, file), JSON.stringify(student, null, 1) + "\n");
    total += exercises.length;
    console.log(`${file.padEnd(40)} ${exercises.length} exercise(s) stubbed`);
  }
  console.log(`student: ${total} exercises written to ${outDir}`);
} catch (error) {
  console.error(`✗ ${error.message}`);
  process.exit(1);
}
