#!/usr/bin/env node
// `npm run nbgrader -- init COURSE [--assignment=ps1] [NN-name.ipynb …]`: makes an nbgrader course folder
// from the kit's notebooks: COURSE/nbgrader_config.py and COURSE/source/<assignment>/ holding the teacher
// notebooks with nbgrader's cell metadata (solution cells, locked check cells worth one point each).
// `npm run nbgrader -- COURSE <nbgrader command …>`: runs the pinned nbgrader in COURSE with this
// checkout's kernel, e.g. `generate_assignment ps1`, `autograde ps1`, `export`.
//
// Two settings make nbgrader work with TypeScript notebooks (both in the generated nbgrader_config.py):
// the stub for the language "typescript" (the same lines `npm run student` writes), and an Execute step
// that starts the kernel in the kit's notebooks/ folder, so a notebook's `import * as lab from ".."`
// finds the library wherever nbgrader keeps the submission (as `npm run grade` does).
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { installKernel, jupyterEnv, ROOT } from "../jupyter/kernel.mjs";
import { pinnedJupyter } from "../jupyter/python.mjs";
import { STUB_LINES, withNbgraderMetadata } from "./exercises.mjs";

const NOTEBOOK_DIR = join(ROOT, "notebooks");

/** nbgrader_config.py for a course of the kit's notebooks. */
export function nbgraderConfig(kitNotebooks = NOTEBOOK_DIR) {
  return `# nbgrader settings for batchnorm-lab's TypeScript notebooks (written by npm run nbgrader -- init).
from nbgrader.preprocessors import Execute
from nbgrader.converters.autograde import Autograde

c = get_config()

# The student stub for TypeScript: the same two lines as \`npm run student\`.
c.ClearSolutions.code_stub = {"typescript": ${JSON.stringify(STUB_LINES.join("\n"))}}

KIT_NOTEBOOKS = ${JSON.stringify(kitNotebooks)}


class ExecuteInKit(Execute):
    """Runs the kernel in the kit's notebooks/, so \`import * as lab from ".."\` finds the library."""

    def preprocess(self, nb, resources=None, km=None):
        resources = dict(resources or {})
        resources["metadata"] = {**resources.get("metadata", {}), "path": KIT_NOTEBOOKS}
        return super().preprocess(nb, resources, km)


c.Autograde.autograde_preprocessors = [ExecuteInKit if p is Execute else p for p in Autograde.class_traits()["autograde_preprocessors"].default()]
c.Execute.timeout = 300
`;
}

/** Writes COURSE/nbgrader_config.py and COURSE/source/<assignment>/ with the chosen notebooks. */
export function initCourse(course, { assignment = "ps1", notebooks = [] } = {}) {
  const names = notebooks.length
    ? notebooks.map((n) => basename(n))
    : readdirSync(NOTEBOOK_DIR)
        .filter((f) => f.endsWith(".ipynb"))
        .sort();
  const source = join(course, "source", assignment);
  mkdirSync(source, { recursive: true });
  writeFileSync(join(course, "nbgrader_config.py"), nbgraderConfig());
  for (const name of names) {
    const notebook = JSON.parse(readFileSync(join(NOTEBOOK_DIR, name), "utf8"));
    writeFileSync(
      join(source, name),
      JSON.stringify(withNbgraderMetadata(notebook, `notebooks/${name}`), null, 1) + "\n",
    );
  }
  return names;
}

/** Runs `nbgrader ARGS` of the pinned .venv/ in COURSE with this checkout's kernelspec; returns spawnSync's result. */
export function runNbgrader(course, args, { stdio = "inherit" } = {}) {
  const probe = pinnedJupyter({ log: () => {} });
  installKernel(probe.path, "private", { quiet: true });
  const env = jupyterEnv();
  env.PATH = [dirname(probe.path), env.PATH].join(delimiter); // nbgrader calls the venv's `alembic` by name
  return spawnSync(probe.path, ["-m", "nbgrader", ...args], { cwd: course, env, stdio, encoding: "utf8" });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [first, ...rest] = process.argv.slice(2);
  try {
    if (first === "init") {
      const course = resolve(rest.find((a) => !a.startsWith("--")) ?? "");
      if (!rest.length) throw new Error("usage: npm run nbgrader -- init COURSE [--assignment=ps1] [NN-name.ipynb …]");
      const assignment = rest.find((a) => a.startsWith("--assignment="))?.slice(13) ?? "ps1";
      const names = initCourse(course, { assignment, notebooks: rest.filter((a) => a.endsWith(".ipynb")) });
      console.log(
        `${course}: nbgrader_config.py and source/${assignment}/ with ${names.length} notebook(s). Next:\n  npm run nbgrader -- ${course} generate_assignment ${assignment}`,
      );
    } else if (first) {
      process.exit(runNbgrader(resolve(first), rest).status ?? 1);
    } else {
      throw new Error("usage: npm run nbgrader -- init COURSE … | npm run nbgrader -- COURSE <nbgrader command …>");
    }
  } catch (error) {
    console.error(`✗ ${error.message}`);
    process.exit(1);
  }
}
