import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng, type Rng } from "../core/random";
import { gradcheckParameters, numericalGradientOf, relError } from "../gradcheck";
import { Sigmoid, ReLU, Tanh } from "./activations";
import { Dropout } from "./dropout";
import { Linear } from "./linear";
import { softmaxCrossEntropy } from "./losses";
import { formatModelSummary, Sequential } from "./sequential";
import { randomBatch } from "./test-helpers";

function smallModel(rng: Rng): Sequential {
  const model = new Sequential([
    new Linear(4, 6, { rng }),
    new Tanh(),
    new Linear(6, 5, { rng, bias: false }),
    new Sigmoid(),
    new Linear(5, 3, { rng }),
  ]);
  for (const p of model.parameters())
    if (p.name.endsWith("bias")) p.value.data.set(rng.normalArray(p.value.size, 0.3, 0.5)); // b ≠ 0
  return model;
}

test("forward and backward chain the layers in order and in reverse", () => {
  const rng = makeRng(41);
  const a = new Linear(3, 4, { rng });
  const b = new ReLU();
  const model = new Sequential([a, b]);
  const x = randomBatch(rng, 5, 3);
  const out = model.forward(x);
  assert.deepEqual(out.toArray(), b.forward(a.forward(x)).toArray());
  const dOut = randomBatch(rng, 5, 4);
  const dX = model.backward(dOut);
  assert.deepEqual(model.layers, [a, b]);
  assert.deepEqual(dX.toArray(), a.backward(b.backward(dOut)).toArray());
});

test("parameters are named by layer index and share value and grad with the layers", () => {
  const model = smallModel(makeRng(42));
  const params = model.parameters();
  assert.deepEqual(
    params.map((p) => p.name),
    ["0.weight", "0.bias", "2.weight", "4.weight", "4.bias"],
  );
  const first = model.layers[0] as Linear;
  assert.equal(params[0].value, first.weight.value);
  assert.equal(params[0].grad, first.weight.grad);
  new Sequential([model, new ReLU()]).parameters().forEach((p, k) => assert.equal(p.name, `0.${params[k].name}`));
});

test("the whole model with softmax cross-entropy passes the gradient check (every parameter and x)", () => {
  const rng = makeRng(43);
  const model = smallModel(rng);
  const x = randomBatch(rng, 7, 4);
  const labels = [0, 2, 1, 1, 0, 2, 2];
  const loss = () => softmaxCrossEntropy(model.forward(x), labels).loss;
  let dX = new Matrix(0, 0);
  const rows = gradcheckParameters(model.parameters(), loss, () => {
    model.zeroGrad();
    dX = model.backward(softmaxCrossEntropy(model.forward(x), labels).dLogits);
  });
  for (const row of rows) assert.ok(row.passed, `${row.name}: relError ${row.relError}`);
  assert.equal(rows.length, 5);
  assert.ok(relError(dX, numericalGradientOf(loss, x)) < 1e-7);
});

test("gradients accumulate across two backward passes and zeroGrad clears every layer", () => {
  const rng = makeRng(44);
  const model = smallModel(rng);
  const x = randomBatch(rng, 3, 4);
  const dOut = randomBatch(rng, 3, 3);
  model.forward(x);
  model.backward(dOut);
  const once = model.parameters().map((p) => p.grad.clone());
  model.backward(dOut);
  model
    .parameters()
    .forEach((p, k) =>
      p.grad.data.forEach((g, i) => assert.ok(Math.abs(g - 2 * once[k].data[i]) <= 1e-15 * Math.abs(g))),
    );
  model.zeroGrad();
  for (const p of model.parameters()) assert.ok(p.grad.data.every((g) => g === 0));
});

test("train() and eval() reach every layer", () => {
  const dropout = new Dropout(0.5, { rng: makeRng(1) });
  const model = new Sequential([new Linear(2, 2, { rng: makeRng(2) }), dropout]);
  model.eval();
  assert.equal(model.training, false);
  assert.equal(dropout.training, false);
  model.train();
  assert.equal(dropout.training, true);
});

test("the same seed builds bit-identical models", () => {
  const a = smallModel(makeRng(45)).parameters();
  const b = smallModel(makeRng(45)).parameters();
  a.forEach((p, k) => assert.deepEqual(p.value.data, b[k].value.data));
});

test("summary lists output shapes and parameter counts, and formats as a table", () => {
  const summary = smallModel(makeRng(46)).summary(4);
  assert.deepEqual(
    summary.rows.map((r) => [r.index, r.name, r.outputShape, r.parameterCount]),
    [
      [0, "Linear(4→6)", [null, 6], 4 * 6 + 6],
      [1, "Tanh", [null, 6], 0],
      [2, "Linear(6→5)", [null, 5], 6 * 5],
      [3, "Sigmoid", [null, 5], 0],
      [4, "Linear(5→3)", [null, 3], 5 * 3 + 3],
    ],
  );
  assert.equal(summary.totalParameters, 30 + 30 + 18);
  assert.deepEqual(smallModel(makeRng(46)).summary(4, { batchSize: 32 }).rows[4].outputShape, [32, 3]);
  const text = formatModelSummary(summary);
  assert.match(text, /^input \[N, 4\]\n/);
  assert.match(text, / {2}0 {2}Linear\(4→6\) {2}\[N, 6\]\s+30\n/);
  assert.match(text, /total parameters: 78$/);
});

test("an empty layer list and a bad input size are clear errors; layer errors pass through", () => {
  assert.throws(() => new Sequential([]), /Sequential: pass a non-empty array of layers/);
  const model = smallModel(makeRng(47));
  assert.throws(() => model.summary(0), /Sequential.summary: inputSize must be a whole number ≥ 1, got 0/);
  assert.throws(
    () => model.forward(Matrix.zeros(2, 3)),
    /Linear\(4→6\)\.forward x: expected shape \[N, 4\], got \[2, 3\]/,
  );
  assert.throws(
    () => smallModel(makeRng(48)).backward(Matrix.zeros(2, 3)),
    /Linear\(5→3\)\.backward: backward called before forward/,
  );
});
