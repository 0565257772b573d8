/**
 * Property test over random invalid inputs, seeded and bounded in time: a random public call gets
 * a random value of the wrong kind (or out of range) in one argument; it must throw an `InputError`
 * whose message starts with the function and argument, and leave every object of the warmed-up
 * world (model, layers, optimizer, generator, data) bit for bit as it was.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "./core/checks";
import { Matrix } from "./core/matrix";
import { makeRng, type Rng } from "./core/random";
import { standardize } from "./data/preprocess";
import { numericalGradientOf } from "./gradcheck";
import { ReLU } from "./layers/activations";
import { Linear } from "./layers/linear";
import { softmaxCrossEntropy } from "./layers/losses";
import { mlp } from "./models/mlp";
import { Sequential } from "./layers/sequential";
import { BatchNorm1d } from "./normalization/batchnorm1d";
import { Adam } from "./optim/adam";
import { SGD } from "./optim/sgd";
import { lineChart } from "./plots/charts";
import { batches } from "./train/batches";
import { fit } from "./train/fit";
import { evaluate } from "./train/metrics";
import { trainStep } from "./train/step";
import { assertSameState, snapshotState } from "./core/test-state";

/** Values of the wrong kind, per kind of argument; every one must be rejected where that kind is expected. */
const badValues: Record<string, (rng: Rng) => unknown[]> = {
  matrix: (rng) => [
    null,
    undefined,
    42,
    NaN,
    "x",
    true,
    [1, 2, 3],
    [
      [1, 2],
      [3, 4],
    ],
    new Float64Array(4),
    {},
    { rows: 2, cols: 2 },
    { rows: 1, cols: 2, data: [1, 2] },
    ReLU,
    () => Matrix.zeros(2, 2),
    rng,
  ],
  labels: () => [
    null,
    undefined,
    3,
    "012",
    {},
    Matrix.zeros(1, 4),
    [0, 1, 2],
    [0, 1, 2, 0, 1],
    [0, 1.5, 2, 0],
    [0, -1, 2, 0],
    [0, 1, 3, 0],
    [0, NaN, 1, 2],
    Int32Array.from([9, 0, 0, 0]),
  ],
  rng: () => [42, NaN, "1337", {}, Math.random, new Float64Array(4), Matrix.zeros(1, 1), [1, 2]],
  layer: () => [null, 42, {}, ReLU, Linear, Matrix.zeros(2, 2), () => undefined, "ReLU"],
  positive: () => [0, -1e-5, NaN, Infinity, -Infinity, "1e-3", null],
  indices: () => [[6], [-1], [0.5], [NaN], "01", null, 3, [[0]], [0, 1, 99]],
  series: () => [
    null,
    42,
    "loss",
    {},
    [null],
    [{ name: "a", y: "abc" }],
    [{ name: "a", y: [1, "2"] }],
    [{ name: "a" }],
    [{ name: "a", y: [1], x: "0" }],
  ],
  options: () => [null, 42, "fast", [1], true],
};

/** The warmed world: a BN model after two training steps, single layers after a forward and backward, data. */
function world() {
  const rng = makeRng(7);
  const model = mlp({ inputSize: 4, hiddenSizes: [5], outputSize: 3, batchNorm: true, rng });
  const optimizer = new Adam(model.parameters(), { learningRate: 0.01 });
  const data = { x: new Matrix(6, 4, rng.normalArray(24, 0.5, 2)), y: Int32Array.from([0, 1, 2, 0, 1, 2]) };
  for (let step = 0; step < 2; step++) trainStep(model, optimizer, data.x, data.y);
  const [linear, bn, relu] = [new Linear(4, 3, { rng }), new BatchNorm1d(4), new ReLU()];
  for (const layer of [linear, bn, relu]) {
    const out = layer.forward(data.x);
    layer.backward(new Matrix(out.rows, out.cols, rng.normalArray(out.size)));
  }
  return { rng, model, optimizer, data, linear, bn, relu };
}

type World = ReturnType<typeof world>;

/** A public call with one argument slot filled by a bad value of `kind`; its error must match `where`. */
const targets: { kind: string; where: RegExp; call: (w: World, bad: never) => unknown }[] = [
  { kind: "matrix", where: /^Linear\(4→3\)\.forward x: /, call: (w, bad) => w.linear.forward(bad) },
  { kind: "matrix", where: /^Linear\(4→3\)\.backward dOut: /, call: (w, bad) => w.linear.backward(bad) },
  { kind: "matrix", where: /^ReLU\.forward x: /, call: (w, bad) => w.relu.forward(bad) },
  { kind: "matrix", where: /^BatchNorm1d\(4\)\.forward x: /, call: (w, bad) => w.bn.forward(bad) },
  { kind: "matrix", where: /^BatchNorm1d\(4\)\.backward dOut: /, call: (w, bad) => w.bn.backward(bad) },
  { kind: "matrix", where: /^Sequential\.forward x: /, call: (w, bad) => w.model.forward(bad) },
  { kind: "matrix", where: /^Sequential\.backward dOut: /, call: (w, bad) => w.model.backward(bad) },
  { kind: "matrix", where: /^trainStep xBatch: /, call: (w, bad) => trainStep(w.model, w.optimizer, bad, w.data.y) },
  { kind: "matrix", where: /^softmaxCrossEntropy logits: /, call: (w, bad) => softmaxCrossEntropy(bad, w.data.y) },
  { kind: "matrix", where: /^Matrix\.matmul other: /, call: (w, bad) => w.data.x.matmul(bad) },
  { kind: "matrix", where: /^standardize train: /, call: (_w, bad) => standardize(bad) },
  {
    kind: "labels",
    where: /^trainStep yBatch: /,
    call: (w, bad) => trainStep(w.model, w.optimizer, w.data.x.selectRows([0, 1, 2, 3]), bad),
  },
  {
    kind: "labels",
    where: /^softmaxCrossEntropy labels: /,
    call: (w, bad) => softmaxCrossEntropy(w.data.x.selectRows([0, 1, 2, 3]).matmul(Matrix.full(4, 3, 0.1)), bad),
  },
  { kind: "rng", where: /^Linear\(4→3\) options\.rng: /, call: (_w, bad) => new Linear(4, 3, { rng: bad }) },
  { kind: "rng", where: /^batches( options\.rng)?: /, call: (w, bad) => batches(w.data, { batchSize: 2, rng: bad }) },
  {
    kind: "rng",
    where: /^fit( options\.rng)?: /,
    call: (w, bad) => fit(w.model, w.data, { epochs: 1, batchSize: 3, optimizer: w.optimizer, rng: bad }),
  },
  { kind: "layer", where: /^Sequential layers\[1\]: /, call: (w, bad) => new Sequential([w.relu, bad]) },
  { kind: "layer", where: /^evaluate model: /, call: (w, bad) => evaluate(bad, w.data) },
  {
    kind: "positive",
    where: /^numericalGradientOf: the step h /,
    call: (w, bad) => numericalGradientOf(() => 1, w.linear.weight.value, bad),
  },
  { kind: "positive", where: /^Adam: learningRate /, call: (w, bad) => void (w.optimizer.learningRate = bad) },
  { kind: "positive", where: /^BatchNorm1d\(4\): eps /, call: (_w, bad) => new BatchNorm1d(4, { eps: bad }) },
  { kind: "indices", where: /^Matrix\.selectRows indices: /, call: (w, bad) => w.data.x.selectRows(bad) },
  {
    kind: "series",
    where: /^lineChart( series\[\d\](\.[xy])?)?: /,
    call: (_w, bad) => lineChart(bad, { title: "t", xTitle: "x", yTitle: "y" }),
  },
  { kind: "options", where: /^BatchNorm1d\(4\) options: /, call: (_w, bad) => new BatchNorm1d(4, bad) },
  { kind: "options", where: /^SGD options: /, call: (w, bad) => new SGD(w.model.parameters(), bad) },
  { kind: "options", where: /^fit options: /, call: (w, bad) => fit(w.model, w.data, bad) },
  { kind: "options", where: /^mlp options: /, call: (_w, bad) => mlp(bad) },
];

test(
  "random invalid inputs to public calls: an InputError " + "naming the function and argument, and no state change",
  async () => {
    const w = world();
    const roots = [w.model, w.optimizer, w.rng, w.data, w.linear, w.bn, w.relu];
    const rng = makeRng(2024);
    const started = performance.now();
    let cases = 0;
    const seen = new Set<string>();
    for (; cases < 200 || performance.now() - started < 1500; cases++) {
      const target = rng.choice(targets);
      const bad = rng.choice(badValues[target.kind](makeRng(cases)));
      const before = snapshotState(...roots);
      const shown = typeof bad === "function" ? `function ${bad.name}` : (JSON.stringify(bad) ?? String(bad));
      const label = `case ${cases}: ${target.where.source} with ${shown}`;
      // eslint-disable-next-line @typescript-eslint/require-await -- so a synchronous throw rejects
      const attempt = async () => target.call(w, bad as never);
      await assert.rejects(attempt, (error: Error) => {
        assert.ok(error instanceof InputError, `${label}: ${error.name}: ${error.message}`);
        assert.match(error.message, target.where, label);
        return true;
      });
      assertSameState(before, snapshotState(...roots), label);
      seen.add(`${target.where.source}|${String(bad)}`);
    }
    assert.ok(seen.size > 60, `varied cases: ${seen.size} distinct`);
  },
);
