// Proves the notebook runner fails on a type error and a runtime error (an execute_reply whose status
// is "error", and an `error` output whose traceback the report shows).
// Needs Jupyter's nbclient (python3-nbclient) and a built dist/, like `npm run test:notebooks`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { serializeNotebook, toNotebook } from "../notebooks.mjs";

const code = (source) => ({ type: "code", source });
const NOTEBOOKS = {
  "01-passes.ipynb": [
    code("const two: number = 1 + 1;"),
    code("await new Promise((r) => setTimeout(r, 50));\nconsole.log('two is', two);"),
  ],
  "02-type-error.ipynb": [
    code("const one = 1;"),
    code("const text: string = one;"),
    code("console.log('never runs');"),
  ],
  "03-runtime-error.ipynb": [
    code("function boom(): never {\n  throw new Error('boom at runtime');\n}"),
    code("boom();"),
    code("console.log('never runs');"),
  ],
};

test(
  "the notebook runner fails on type and runtime errors, naming the cell and its error",
  { timeout: 300_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "run-notebooks-test-"));
    try {
      for (const [name, cells] of Object.entries(NOTEBOOKS))
        writeFileSync(join(dir, name), serializeNotebook(toNotebook(name, cells)));
      const paths = Object.keys(NOTEBOOKS).map((name) => join(dir, name));
      const out = join(dir, "executed");
      const result = spawnSync(
        process.execPath,
        ["scripts/jupyter/test-notebooks.mjs", "--timeout=60", "--output-dir", out, ...paths],
        { encoding: "utf8" },
      );
      const report = result.stdout + result.stderr;
      assert.equal(result.status, 1, report);
      assert.match(report, /✓ 01-passes\.ipynb/);
      assert.match(
        report,
        /✗ 02-type-error\.ipynb[^]*cell 1 failed \(reply status 'error'\)[^]*const text: string = one;[^]*TypeScriptError: Type 'number' is not assignable to type 'string'[^]*line 1, column 7/,
      );
      assert.match(
        report,
        /✗ 03-runtime-error\.ipynb[^]*cell 1 failed[^]*boom\(\);[^]*Error: boom at runtime[^]*line 2, column \d+[^]*line 1, column 1/,
      );
      assert.doesNotMatch(report, /never runs/);
      assert.match(report, /^notebooks: 1 passed, 2 failed$/m);
      assert.ok(existsSync(join(out, "01-passes.ipynb")), "executed copies are written to --output-dir");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
