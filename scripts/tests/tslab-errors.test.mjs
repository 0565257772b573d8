// tslab as patched by patches/tslab+1.0.22.patch (patch-package, npm's postinstall): a failing cell publishes a standard Jupyter `error`
// message (ename, evalue, a traceback naming the cell's line) before its execute_reply, whose status
// stays "error" and which carries the same three fields. Unpatched tslab 1.0.22 sends only stderr
// text, so every assertion on the `error` message fails there. Talks to the kernel through
// jupyter_client (scripts/tests/kernel-messages.py), and runs a notebook through nbclient.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installKernel, jupyterEnv, ROOT } from "../jupyter/kernel.mjs";
import { pinnedJupyter } from "../jupyter/python.mjs";
import { serializeNotebook, toNotebook } from "../notebooks.mjs";

const PYTHON = pinnedJupyter({ log: () => {} }).path; // the pinned Jupyter of .venv/, made when missing

/** Runs `cells` on a fresh tslab kernel; per cell { iopub: [{ msg_type, content }], reply }. */
function runCells(cells) {
  installKernel(PYTHON, "private", { quiet: true });
  const result = spawnSync(PYTHON, [join(ROOT, "scripts", "tests", "kernel-messages.py"), "--cwd", tmpdir()], {
    input: JSON.stringify(cells),
    encoding: "utf8",
    env: jupyterEnv(),
    timeout: 240_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

const CELLS = [
  // 0: definitions an error of a later cell passes through
  [
    "class InputError extends Error {",
    '  constructor(message: string) { super(message); this.name = "InputError"; }',
    "}",
    "function check(n: number): number {",
    "  if (n < 0) throw new RangeError(`n must be ≥ 0, got ${n}`);",
    "  return n;",
    "}",
  ].join("\n"),
  // 1: a type error on line 2, column 7
  'const fine = 1;\nconst text: number = "two";',
  // 2: a synchronous runtime error thrown by a function of cell 0, called on line 3
  "const x = 1;\n\ncheck(-x);",
  // 3: a promise that rejects after a top-level await; the error is made on line 2
  'await new Promise((resolve) => setTimeout(resolve, 10));\nconst rejected = Promise.reject(new InputError("bad shape [2, 3]"));\nawait rejected;',
  // 4: the kernel goes on
  'console.log("still running");',
];

/** The one `error` message of a cell's iopub messages, after "busy" and before "idle". */
function errorMessage(cell) {
  const types = cell.iopub.map((m) => m.msg_type);
  const errors = cell.iopub.filter((m) => m.msg_type === "error");
  assert.equal(errors.length, 1, `one error message expected, got iopub ${JSON.stringify(types)}`);
  assert.ok(types.indexOf("error") < types.lastIndexOf("status"), "the error message comes before the idle status");
  return errors[0].content;
}

/** The reply has status "error" and the same ename, evalue, traceback; nothing is also written to stderr. */
function assertReplyMatches(cell, error) {
  assert.equal(cell.reply.status, "error");
  assert.deepEqual({ ename: cell.reply.ename, evalue: cell.reply.evalue, traceback: cell.reply.traceback }, error);
  const stderr = cell.iopub.filter((m) => m.msg_type === "stream" && m.content.name === "stderr");
  assert.deepEqual(stderr, [], "the error is reported once, as the error message, not again as stderr text");
}

test(
  "type, runtime and after-await errors each publish an `error` message naming the cell's line, and the reply says error",
  { timeout: 300_000 },
  () => {
    const [defs, typeError, runtime, rejected, after] = runCells(CELLS);
    assert.equal(defs.reply.status, "ok", JSON.stringify(defs));

    const compile = errorMessage(typeError);
    assert.equal(compile.ename, "TypeScriptError");
    assert.equal(compile.evalue, "Type 'string' is not assignable to type 'number'.");
    assert.ok(
      compile.traceback.includes(`    at Cell In[${typeError.reply.execution_count}], line 2, column 7`),
      compile.traceback.join("\n"),
    );
    assert.ok(compile.traceback.includes('        2 | const text: number = "two";'), compile.traceback.join("\n"));
    assertReplyMatches(typeError, compile);

    const thrown = errorMessage(runtime);
    assert.equal(thrown.ename, "RangeError");
    assert.equal(thrown.evalue, "n must be ≥ 0, got -1");
    assert.equal(thrown.traceback[0], "RangeError: n must be ≥ 0, got -1");
    const at = (cell, line) =>
      new RegExp(`^ {4}at (check \\()?Cell In\\[${cell.reply.execution_count}\\], line ${line}, column \\d+\\)?$`);
    assert.ok(
      thrown.traceback.some((l) => at(defs, 5).test(l)),
      `the throw in cell 0, line 5:\n${thrown.traceback.join("\n")}`,
    );
    assert.ok(
      thrown.traceback.some((l) => at(runtime, 3).test(l)),
      `the call in line 3:\n${thrown.traceback.join("\n")}`,
    );
    assert.ok(
      thrown.traceback.length <= 12,
      `a short traceback, not tslab's internals:\n${thrown.traceback.join("\n")}`,
    );
    assert.doesNotMatch(thrown.traceback.join("\n"), /node_modules\/tslab|node:internal|__tslab_cell_/);
    assertReplyMatches(runtime, thrown);

    const late = errorMessage(rejected);
    assert.equal(late.ename, "InputError");
    assert.equal(late.evalue, "bad shape [2, 3]");
    assert.ok(
      late.traceback.some((l) => at(rejected, 2).test(l)),
      late.traceback.join("\n"),
    );
    assertReplyMatches(rejected, late);

    assert.equal(after.reply.status, "ok");
    assert.ok(after.iopub.some((m) => m.msg_type === "stream" && m.content.text.includes("still running")));
  },
);

const NBCLIENT = `
import json, sys
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, kernel_name="tslab", allow_errors=True, timeout=120, resources={"metadata": {"path": sys.argv[2]}}).execute()
with open(sys.argv[3], "w") as out:  # not stdout: the kernel (node) shares it and makes it non-blocking
    json.dump([c.get("outputs", []) for c in nb.cells], out)
`;

test(
  "nbclient with allow_errors records the failing cell's `error` output, and the next cells still run",
  { timeout: 300_000 },
  () => {
    installKernel(PYTHON, "private", { quiet: true });
    const dir = mkdtempSync(join(tmpdir(), "tslab-errors-nbclient-"));
    try {
      const cells = [
        { type: "code", source: "const n = 2;" },
        { type: "code", source: 'if (n === 2) {\n  throw new TypeError("n is two");\n}' },
        { type: "code", source: 'console.log("after the error, n =", n);' },
      ];
      const path = join(dir, "fails.ipynb");
      writeFileSync(path, serializeNotebook(toNotebook("fails.ipynb", cells)));
      const result = spawnSync(PYTHON, ["-c", NBCLIENT, path, dir, join(dir, "outputs.json")], {
        encoding: "utf8",
        env: jupyterEnv(),
        timeout: 240_000,
      });
      assert.equal(result.status, 0, result.stderr);
      const outputs = JSON.parse(readFileSync(join(dir, "outputs.json"), "utf8"));
      const errors = outputs[1].filter((o) => o.output_type === "error");
      assert.equal(errors.length, 1, JSON.stringify(outputs[1]));
      assert.equal(errors[0].ename, "TypeError");
      assert.equal(errors[0].evalue, "n is two");
      assert.ok(
        errors[0].traceback.some((l) => /Cell In\[\d+\], line 2, column \d+$/.test(l)),
        errors[0].traceback.join("\n"),
      );
      assert.match(JSON.stringify(outputs[2]), /after the error, n = 2/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
