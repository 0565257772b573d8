// Proves the real-browser test can fail: notebooks with a type error, an error thrown by a cell that silenced
// its stderr, a request to another host, a figure that never draws and a page error are each reported, next
// to one that passes.
// Needs classic Jupyter Notebook 6 and /usr/bin/chromium, like `npm run test:browser`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { serializeNotebook, toNotebook } from "../notebooks.mjs";

const code = (source) => ({ type: "code", source });
const html = (markup) => code(`import * as tslab from "tslab";\ntslab.display.html(${JSON.stringify(markup)});`);
const NOTEBOOKS = {
  "01-passes.ipynb": [code("const two: number = 1 + 1;"), code("console.log('two is', two);")],
  "02-type-error.ipynb": [code("const text: string = 1;"), code("console.log('never runs');")],
  // The error still reaches the page: the patched tslab publishes it as an `error` message, not on stderr
  // (a cell cannot lose that message any more, so the "lost message" report has no fixture here).
  "04-silent-error.ipynb": [code("process.stderr.write = () => true;\nthrow new Error('nobody sees this');")],
  "03-broken-page.ipynb": [
    html('<img src="http://remote.invalid/pixel.png" alt="remote">'),
    html('<div class="bnlab-plot">no plotly here</div>'),
    html("<script>setTimeout(function () { throw new Error('page boom'); }, 0);</script>"),
  ],
};

test("the browser test reports error cells, remote requests, undrawn figures and page errors", { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "browser-test-test-"));
  try {
    for (const [name, cells] of Object.entries(NOTEBOOKS)) writeFileSync(join(dir, name), serializeNotebook(toNotebook(name, cells)));
    const before = readFileSync(join(dir, "01-passes.ipynb"), "utf8");
    const args = ["scripts/browser-test.mjs", `--dir=${dir}`, `--screenshots=${join(dir, "shots")}`, "--timeout=120", "--figure-timeout=5"];
    const result = spawnSync(process.execPath, args, { encoding: "utf8" });
    const report = result.stdout + result.stderr;
    assert.equal(result.status, 1, report);
    assert.match(report, /✓ 01-passes\.ipynb/);
    assert.match(report, /✗ 02-type-error\.ipynb[^✓✗]*cell 0: execute_reply status "error"[^✓✗]*Type 'number' is not assignable to type 'string'/);
    const broken = /✗ 03-broken-page\.ipynb[^✓✗]*/.exec(report)?.[0] ?? "";
    assert.match(broken, /request to a non-loopback address: http:\/\/remote\.invalid\/pixel\.png/, report);
    assert.match(broken, /only 0 of 1 figures drawn/, report);
    assert.match(broken, /page error: .*page boom/, report);
    const silenced = /✗ 04-silent-error\.ipynb[^✓✗]*/.exec(report)?.[0] ?? "";
    assert.match(silenced, /cell 0: execute_reply status "error"[^✓✗]*cell 0 error: nobody sees this/, report);
    const typeError = /✗ 02-type-error\.ipynb[^✓✗]*/.exec(report)?.[0] ?? "";
    for (const shown of [typeError, silenced]) assert.doesNotMatch(shown, /with no stderr/, "a cell that shows its error is not called silent");
    assert.match(report, /^browser: 1 passed, 3 failed$/m);
    assert.equal(readFileSync(join(dir, "01-passes.ipynb"), "utf8"), before, "the notebook on disk is not modified");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
