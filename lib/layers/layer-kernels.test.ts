import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { Sigmoid } from "./activations";
import { layerKernels, readableLayerKernels, type LayerKernels } from "./layer-kernels";
import { Linear } from "./linear";
import { softmaxCrossEntropy } from "./losses";

/** Runs `run` with every pass of the slot wrapped to count its calls; puts the slot back afterwards. */
function countingCalls(run: () => void): Record<string, number> {
  const counts: Record<string, number> = {};
  const saved = { ...layerKernels };
  for (const name of Object.keys(saved) as (keyof LayerKernels)[]) {
    const pass = saved[name] as (...args: unknown[]) => unknown;
    (layerKernels as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      counts[name] = (counts[name] ?? 0) + 1;
      return pass(...args);
    };
  }
  try {
    run();
  } finally {
    Object.assign(layerKernels, saved);
  }
  return counts;
}

test("the slot holds the readable passes until something else is registered", () => {
  assert.deepEqual({ ...layerKernels }, { ...readableLayerKernels });
});

test("Sigmoid, Linear and softmaxCrossEntropy make one call per pass through layerKernels", () => {
  const rng = makeRng(3);
  const linear = new Linear(4, 3, { rng });
  const sigmoid = new Sigmoid();
  const x = new Matrix(5, 4, rng.normalArray(20));
  const counts = countingCalls(() => {
    const logits = sigmoid.forward(linear.forward(x));
    const { dLogits } = softmaxCrossEntropy(logits, Int32Array.from([0, 1, 2, 0, 1]));
    linear.backward(sigmoid.backward(dLogits));
  });
  assert.deepEqual(counts, {
    addRow: 1,
    sigmoidForward: 1,
    softmaxCrossEntropyRows: 1,
    sigmoidBackward: 1,
    addColumnSums: 1,
  });
});

test("a pass put in the slot is the one the layer runs (the layer never asks which)", () => {
  const saved = layerKernels.sigmoidForward;
  layerKernels.sigmoidForward = (_x, out) => out.fill(0.25);
  try {
    assert.deepEqual(Array.from(new Sigmoid().forward(Matrix.from([[1, -1]])).data), [0.25, 0.25]);
  } finally {
    layerKernels.sigmoidForward = saved;
  }
});
