import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { latex, latexBundle, markdown, matrixBundle, summaryBundle } from "./display";
import { type DisplayMessage, setDisplaySink } from "./jupyter";

test("matrixBundle: an HTML table with indices, shape caption and a text fallback", () => {
  const rng = makeRng(3);
  const m = new Matrix(2, 3, Float64Array.from(rng.normalArray(6)));
  const bundle = matrixBundle(m, { name: "x", digits: 3 });
  const html = bundle["text/html"] as string;
  assert.match(html, /<caption[^>]*>x: \[2, 3\]<\/caption>/);
  assert.equal(html.match(/<td>/g)?.length, 6);
  assert.ok(html.includes(`<td>${m.get(1, 2).toPrecision(3)}</td>`));
  assert.match(bundle["text/plain"] as string, /^x: \[2, 3\]\n/);
});

test("matrixBundle elides the middle of large matrices", () => {
  const m = new Matrix(
    100,
    50,
    Float64Array.from({ length: 5000 }, (_, i) => i),
  );
  const html = matrixBundle(m, { maxRows: 4, maxCols: 6 })["text/html"] as string;
  assert.equal(html.match(/<tr>/g)?.length, 1 + 5); // header + 2 rows, ⋮, 2 rows
  assert.ok(html.includes("<th>99</th>") && html.includes("<th>49</th>"));
  assert.ok(html.includes("<td>4999</td>"));
  assert.ok(!html.includes("<td>2500</td>"));
  assert.ok(html.includes("⋮") && html.includes("⋯"));
});

test("latexBundle wraps the TeX of a mathjs-like expression in $$ for markdown and latex", () => {
  const expression = { toTex: () => "\\frac{x}{2}", toString: () => "x / 2" };
  const bundle = latexBundle(expression);
  assert.equal(bundle["text/latex"], "$$\\frac{x}{2}$$");
  assert.equal(bundle["text/markdown"], "$$\\frac{x}{2}$$");
  assert.equal(bundle["text/plain"], "x / 2");
});

test("summaryBundle lists every layer and the total", () => {
  const summary = {
    inputShape: [null, 2] as [null, number],
    rows: [
      { index: 0, name: "Linear(2→16)", outputShape: [null, 16] as [null, number], parameterCount: 32 },
      { index: 1, name: "ReLU", outputShape: [null, 16] as [null, number], parameterCount: 0 },
    ],
    totalParameters: 32,
  };
  const bundle = summaryBundle(summary);
  const html = bundle["text/html"] as string;
  assert.ok(html.includes("<td>Linear(2→16)</td><td>[N, 16]</td><td>32</td>"));
  assert.match(html, /total<\/th><th><\/th><th>32</);
  assert.match(bundle["text/plain"] as string, /total parameters: 32/);
});

test("the show helpers send one display_data each and return nothing (tslab would print a Promise)", () => {
  const sent: [DisplayMessage, boolean][] = [];
  setDisplaySink((message, update) => sent.push([message, update]));
  try {
    assert.equal(markdown("**hi**"), undefined);
    latex("x^2");
  } finally {
    setDisplaySink(null);
  }
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[0], [
    { data: { "text/markdown": "**hi**", "text/plain": "**hi**" }, metadata: {}, transient: {} },
    false,
  ]);
  assert.equal(sent[1][0].data["text/latex"], "$$x^2$$");
});
