// Proves the real-browser test can fail: notebooks with a type error, a runtime error, an error thrown by a cell
// that silenced its stderr, a request to another host, a figure that never draws, a page error, a live display that never
// finishes and a figure update that is not drawn are each reported, next to one that passes (with a live
// training display of lib/notebook). Runs in JupyterLab 4 from .venv/ (Notebook 7 runs the same page code)
// and needs /usr/bin/chromium and a built dist/, like `npm run test:browser`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { serializeNotebook, toNotebook } from "../notebooks.mjs";
import { ROOT } from "../jupyter/kernel.mjs";

const SHOW = JSON.stringify(join(ROOT, "dist", "lib", "notebook")); // the notebooks live in a temporary folder
const code = (source) => ({ type: "code", source });
const html = (markup) => code(`import * as tslab from "tslab";\ntslab.display.html(${JSON.stringify(markup)});`);
const NOTEBOOKS = {
  "01-passes.ipynb": [
    code("const two: number = 1 + 1;"),
    code("console.log('two is', two);"),
    code(`import * as show from ${SHOW};
const live = show.liveTraining({ title: "three steps", maxUpdatesPerSecond: 1000 });
const history = { loss: [] as number[], trainAccuracy: [] as number[] };
for (let step = 1; step <= 3; step++) {
  history.loss.push(1 / step);
  await live.onStep({ step, epoch: 0, totalSteps: 3, loss: 1 / step, history });
}
await live.finish(history);`),
  ],
  "02-type-error.ipynb": [code("const text: string = 1;"), code("console.log('never runs');")],
  "03-broken-page.ipynb": [
    html('<img src="http://remote.invalid/pixel.png" alt="remote">'),
    html('<div class="bnlab-plot">no plotly here</div>'),
    html("<script>setTimeout(function () { throw new Error('page boom'); }, 0);</script>"),
    html('<div class="bnlab-progress">step 1 / 10 …</div>'), // a live display that never finishes
  ],
  // The error still reaches the page: the patched tslab publishes it as an `error` message, not on stderr
  // (a cell cannot lose that message any more, so the "lost message" report has no fixture here).
  "04-silent-error.ipynb": [code("process.stderr.write = () => true;\nthrow new Error('nobody sees this');")],
  // A figure updated in place without lib/notebook's placeholder: jupyterlab-plotly keeps drawing the old one.
  "05-stale-figure.ipynb": [
    code(`import * as show from ${SHOW};
const id = show.newDisplayId();
const figure = (y: number[]) => ({ [show.plotlyMimeType]: { data: [{ type: "scatter", y }], layout: { height: 200 } }, "text/plain": "a figure" });
await show.sendDisplay(figure([1]), { displayId: id });
await show.sendDisplay(figure([1, 2, 3]), { displayId: id, update: true });`),
  ],
  "06-runtime-error.ipynb": [
    code("const xs: number[] = [];\nif (xs.length === 0) throw new Error('boom at runtime');"),
  ],
};

const section = (report, name, frontend = "lab") =>
  new RegExp(`✗ ${frontend} +${name.replace(".", "\\.")}[^✓✗]*`).exec(report)?.[0] ?? "";

test(
  "the browser test reports error cells, remote requests, undrawn or stale figures, unfinished live displays and page errors",
  { timeout: 900_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "browser-test-test-"));
    try {
      for (const [name, cells] of Object.entries(NOTEBOOKS))
        writeFileSync(join(dir, name), serializeNotebook(toNotebook(name, cells)));
      const before = readFileSync(join(dir, "01-passes.ipynb"), "utf8");
      const args = [
        "scripts/browser-test.mjs",
        "--frontend=lab",
        `--dir=${dir}`,
        `--screenshots=${join(dir, "shots")}`,
        "--timeout=120",
        "--figure-timeout=5",
      ];
      const result = spawnSync(process.execPath, args, { encoding: "utf8", cwd: ROOT });
      const report = result.stdout + result.stderr;
      assert.equal(result.status, 1, report);
      assert.match(
        report,
        /✓ lab +01-passes\.ipynb .* figures 1\/1 drawn \(1 by jupyterlab-plotly, 0 by the HTML view\), 1 live displays/,
        report,
      );
      const typeError = section(report, "02-type-error.ipynb");
      assert.match(
        typeError,
        /cell 0: execute_reply status "error"[^✓✗]*Type 'number' is not assignable to type 'string'/,
        report,
      );
      assert.doesNotMatch(typeError, /with no stderr/, "a cell that shows its error is not called silent");
      const broken = section(report, "03-broken-page.ipynb");
      assert.match(broken, /request to a non-loopback address: http:\/\/remote\.invalid\/pixel\.png/, report);
      assert.match(broken, /only 0 of 1 figures drawn/, report);
      assert.match(broken, /page error: .*page boom/, report);
      assert.match(broken, /cell 3: live display .* was never updated in place/, report);
      assert.match(broken, /cell 3: live display did not finish: "step 1 \/ 10 …"/, report);
      const silenced = section(report, "04-silent-error.ipynb");
      assert.match(silenced, /cell 0: execute_reply status "error"[^✓✗]*cell 0 error: Error: nobody sees this/, report);
      assert.doesNotMatch(silenced, /with no stderr/, "a cell that shows its error is not called silent");
      assert.match(
        section(report, "05-stale-figure.ipynb"),
        /cell 0: the figures drawn .*\["scatter",null,1,null\].* are not the ones its outputs hold .*\["scatter",null,3,null\].*a display update was not drawn/,
        report,
      );
      const runtime = section(report, "06-runtime-error.ipynb");
      assert.match(runtime, /cell 0: execute_reply status "error"/, report);
      assert.match(runtime, /cell 0 (stderr|error): .*boom at runtime/, report);
      assert.match(report, /^browser: 1 passed, 5 failed$/m);
      assert.equal(readFileSync(join(dir, "01-passes.ipynb"), "utf8"), before, "the notebook on disk is not modified");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  "--compare fails on a cell that printed other text than the executed copy (Notebook 7)",
  { timeout: 600_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "browser-test-compare-"));
    try {
      const name = "07-different-output.ipynb";
      const notebook = toNotebook(name, [code("console.log('two is', 1 + 1, 'after 0.5 s');")]);
      writeFileSync(join(dir, name), serializeNotebook(notebook));
      const executed = structuredClone(notebook); // what nbclient would have written, but with another number
      executed.cells[0].outputs = [{ output_type: "stream", name: "stdout", text: ["two is 3 after 1.7 s\n"] }];
      mkdirSync(join(dir, "executed"));
      writeFileSync(join(dir, "executed", name), JSON.stringify(executed));
      const args = [
        "scripts/browser-test.mjs",
        "--frontend=notebook7",
        `--dir=${dir}`,
        `--screenshots=${join(dir, "shots")}`,
        "--timeout=120",
        `--compare=${join(dir, "executed")}`,
      ];
      const result = spawnSync(process.execPath, args, { encoding: "utf8", cwd: ROOT });
      const report = result.stdout + result.stderr;
      assert.equal(result.status, 1, report);
      assert.match(
        section(report, name, "notebook7"),
        /not the same output as the executed copy: cell 0, output line 1: .* printed "two is 3 after ‹time›", the browser "two is 2 after ‹time›"/,
        report,
      );
      assert.match(report, /^browser: 0 passed, 1 failed$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
