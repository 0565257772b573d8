import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "../core/random";
import { layerGradientErrors, randomBatch } from "../layers/test-helpers";
import { batchNormBackward, batchNormForward } from "../normalization/batchnorm-functional";
import { batchNormKernels } from "../normalization/batchnorm-kernels";
import type { BatchNormOptions } from "../normalization/batchnorm-options";
import { BatchNorm1d } from "../normalization/batchnorm1d";
import { assertClose, goldenMatrix, goldenNumber, loadGolden } from "../normalization/golden-fixture";
import { batchNormBackwardFused, batchNormForwardFused } from "./batchnorm-fused";
import { useFastKernels, useReferenceKernels } from "./kernels";

/** A layer with random γ and β ≠ 0, so that a wrong path cannot hide behind γ = 1, β = 0. */
function randomLayer(seed: number, D: number, options: BatchNormOptions = {}): BatchNorm1d {
  const rng = makeRng(seed);
  const layer = new BatchNorm1d(D, options);
  layer.gamma.value.data.set(rng.normalArray(D, 1, 0.5));
  layer.beta.value.data.set(rng.normalArray(D, 0.3, 0.7));
  return layer;
}

/** Runs `run` with the fast kernels selected, as after importing the library, then restores the readable ones. */
function withFastKernels<T>(run: () => T): T {
  useFastKernels();
  try {
    return run();
  } finally {
    useReferenceKernels();
  }
}

test("useFastKernels puts the fused passes in BatchNorm1d's slot; useReferenceKernels the readable functions", () => {
  useFastKernels({ wasm: false });
  assert.equal(batchNormKernels.forward, batchNormForwardFused);
  assert.equal(batchNormKernels.backward, batchNormBackwardFused);
  useReferenceKernels();
  assert.equal(batchNormKernels.forward, batchNormForward);
  assert.equal(batchNormKernels.backward, batchNormBackward);
});

// Golden values: /usr/bin/python3 scripts/golden/make_golden.py  (PyTorch 1.13, float64) → golden.json
test("the layer through the fused passes matches torch.nn.BatchNorm1d", () => {
  const g = loadGolden("batchNormTraining");
  const gamma = goldenMatrix(g, "gamma");
  const layer = new BatchNorm1d(gamma.cols, { eps: goldenNumber(g, "eps") });
  layer.gamma.value.data.set(gamma.data);
  layer.beta.value.data.set(goldenMatrix(g, "beta").data);
  withFastKernels(() => {
    assertClose(layer.forward(goldenMatrix(g, "x")), goldenMatrix(g, "out"), "out");
    assertClose(layer.backward(goldenMatrix(g, "dOut")), goldenMatrix(g, "dX"), "dX");
  });
  assertClose(layer.gamma.grad, goldenMatrix(g, "dGamma"), "dGamma");
  assertClose(layer.beta.grad, goldenMatrix(g, "dBeta"), "dBeta");
});

for (const options of [
  {},
  { trainingVariance: "unbiased" },
  { convention: "cs231n" },
  { momentum: null },
] as BatchNormOptions[]) {
  for (const reuse of [false, true]) {
    test(
      `fused and readable kernels give the layer the same numbers ` +
        `over three steps (${JSON.stringify(options)}, reuse: ${reuse})`,
      () => {
        const fused = randomLayer(5, 4, options);
        const plain = randomLayer(5, 4, options);
        const rng = makeRng(6);
        for (let step = 0; step < 3; step++) {
          const x = randomBatch(rng, 7, 4);
          const dOut = randomBatch(rng, 7, 4, -0.2, 0.9);
          const [out, dX] = withFastKernels(() => [
            fused.forward(x, { reuse }).clone(),
            fused.backward(dOut, { reuse }).clone(),
          ]);
          assert.deepEqual(out.data, plain.forward(x, { reuse }).data, "out");
          assert.deepEqual(dX.data, plain.backward(dOut, { reuse }).data, "dX");
        }
        assert.deepEqual(fused.gamma.grad.data, plain.gamma.grad.data, "gamma.grad");
        assert.deepEqual(fused.beta.grad.data, plain.beta.grad.data, "beta.grad");
        assert.deepEqual(fused.runningMean.data, plain.runningMean.data, "runningMean");
        assert.deepEqual(fused.runningVar.data, plain.runningVar.data, "runningVar");
      },
    );
  }
}

test("the layer through the fused passes passes the finite-difference check (x, gamma, beta)", () => {
  const layer = randomLayer(8, 5, { eps: 1e-3 });
  const rng = makeRng(9);
  const errors = withFastKernels(() =>
    layerGradientErrors(layer, randomBatch(rng, 6, 5), randomBatch(rng, 6, 5, 0.4, 1.1)),
  );
  for (const [name, error] of Object.entries(errors)) assert.ok(error < 1e-7, `${name}: relError ${error}`);
});

test("without reuse, a returned out or dX is not overwritten by later calls (the workspace stays inside)", () => {
  const layer = randomLayer(10, 3);
  const rng = makeRng(11);
  const [x1, x2, dOut] = [randomBatch(rng, 5, 3), randomBatch(rng, 5, 3, -1, 2), randomBatch(rng, 5, 3)];
  withFastKernels(() => {
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
});

test("with reuse, the fused passes return the layer's own buffers, the same matrix at every call of one shape", () => {
  const layer = randomLayer(12, 3);
  const rng = makeRng(13);
  const [x, dOut] = [randomBatch(rng, 5, 3), randomBatch(rng, 5, 3)];
  withFastKernels(() => {
    const out = layer.forward(x, { reuse: true });
    const dX = layer.backward(dOut, { reuse: true });
    assert.equal(layer.forward(x, { reuse: true }), out);
    assert.equal(layer.backward(dOut, { reuse: true }), dX);
  });
});
