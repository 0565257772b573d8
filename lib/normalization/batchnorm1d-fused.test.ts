import { test } from "node:test";
import assert from "node:assert/strict";
import { kernels, useReferenceKernels } from "../core/gemm";
import { makeRng } from "../core/random";
import { useFastKernels } from "../fast/kernels";
import { layerGradientErrors, randomBatch } from "../layers/test-helpers";
import { BatchNorm1d, type BatchNormOptions } from "./batchnorm1d";
import { assertClose, goldenMatrix, goldenNumber, loadGolden } from "./golden-fixture";

/** A layer with random γ and β ≠ 0, so that a wrong path cannot hide behind γ = 1, β = 0. */
function randomLayer(seed: number, D: number, options: BatchNormOptions): BatchNorm1d {
  const rng = makeRng(seed);
  const layer = new BatchNorm1d(D, options);
  layer.gamma.value.data.set(rng.normalArray(D, 1, 0.5));
  layer.beta.value.data.set(rng.normalArray(D, 0.3, 0.7));
  return layer;
}

// Golden values: /usr/bin/python3 scripts/golden/make_golden.py  (PyTorch 1.13, float64) → golden.json
test("the fused path matches torch.nn.BatchNorm1d", () => {
  const g = loadGolden("batchNormTraining");
  const gamma = goldenMatrix(g, "gamma");
  const layer = new BatchNorm1d(gamma.cols, { eps: goldenNumber(g, "eps"), fused: true });
  layer.gamma.value.data.set(gamma.data);
  layer.beta.value.data.set(goldenMatrix(g, "beta").data);
  assertClose(layer.forward(goldenMatrix(g, "x")), goldenMatrix(g, "out"), "out");
  assertClose(layer.backward(goldenMatrix(g, "dOut")), goldenMatrix(g, "dX"), "dX");
  assertClose(layer.gamma.grad, goldenMatrix(g, "dGamma"), "dGamma");
  assertClose(layer.beta.grad, goldenMatrix(g, "dBeta"), "dBeta");
});

for (const options of [{}, { trainingVariance: "unbiased" }, { convention: "cs231n" }, { momentum: null }] as BatchNormOptions[]) {
  test(`fused and plain paths give the same numbers over three steps (${JSON.stringify(options)})`, () => {
    const fused = randomLayer(5, 4, { ...options, fused: true });
    const plain = randomLayer(5, 4, { ...options, fused: false });
    const rng = makeRng(6);
    for (let step = 0; step < 3; step++) {
      const x = randomBatch(rng, 7, 4);
      const dOut = randomBatch(rng, 7, 4, -0.2, 0.9);
      assert.deepEqual(fused.forward(x).data, plain.forward(x).data, "out");
      assert.deepEqual(fused.backward(dOut).data, plain.backward(dOut).data, "dX");
    }
    assert.deepEqual(fused.gamma.grad.data, plain.gamma.grad.data, "gamma.grad");
    assert.deepEqual(fused.beta.grad.data, plain.beta.grad.data, "beta.grad");
    assert.deepEqual(fused.runningMean.data, plain.runningMean.data, "runningMean");
    assert.deepEqual(fused.runningVar.data, plain.runningVar.data, "runningVar");
  });
}

test("the fused path passes the finite-difference check (x, gamma, beta)", () => {
  const layer = randomLayer(8, 5, { fused: true, eps: 1e-3 });
  const rng = makeRng(9);
  const errors = layerGradientErrors(layer, randomBatch(rng, 6, 5), randomBatch(rng, 6, 5, 0.4, 1.1));
  for (const [name, error] of Object.entries(errors)) assert.ok(error < 1e-7, `${name}: relError ${error}`);
});

test("a returned out or dX is not overwritten by later calls (the workspace stays inside)", () => {
  const layer = randomLayer(10, 3, { fused: true });
  const rng = makeRng(11);
  const [x1, x2, dOut] = [randomBatch(rng, 5, 3), randomBatch(rng, 5, 3, -1, 2), randomBatch(rng, 5, 3)];
  const out1 = layer.forward(x1);
  const kept = out1.clone();
  const dX1 = layer.backward(dOut);
  const keptDX = dX1.clone();
  const out2 = layer.forward(x2);
  const dX2 = layer.backward(dOut);
  assert.notDeepEqual(out2.data, kept.data); // the second call did compute something else…
  assert.notDeepEqual(dX2.data, keptDX.data);
  assert.deepEqual(out1.data, kept.data); // …and left the first results alone
  assert.deepEqual(dX1.data, keptDX.data);
});

test("by default the layer takes the fused path exactly when the fast kernels are active", () => {
  const layer = new BatchNorm1d(2);
  try {
    useReferenceKernels();
    assert.equal(layer.usesFusedPasses(), false);
    useFastKernels({ wasm: false });
    assert.equal(kernels.name, "packed-ts");
    assert.equal(layer.usesFusedPasses(), true);
    assert.equal(new BatchNorm1d(2, { fused: false }).usesFusedPasses(), false);
    useReferenceKernels();
    assert.equal(new BatchNorm1d(2, { fused: true }).usesFusedPasses(), true);
  } finally {
    useReferenceKernels(); // as this test file started: nothing here imports lib/fast's index
  }
});
