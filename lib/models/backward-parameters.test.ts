import { test } from "node:test";
import assert from "node:assert/strict";
import { kernels, type GemmArgs } from "../core/gemm";
import type { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { BatchNorm1d } from "../normalization/batchnorm1d";
import { Sigmoid, Tanh } from "../layers/activations";
import { backwardParameters, type Layer } from "../layers/layer";
import { Linear } from "../layers/linear";
import { Sequential } from "../layers/sequential";
import { randomBatch } from "../layers/test-helpers";

function model(seed: number, first: "linear" | "batchnorm"): Sequential {
  const rng = makeRng(seed);
  const head: Layer[] =
    first === "linear" ? [new Linear(4, 6, { rng })] : [new BatchNorm1d(4), new Linear(4, 6, { rng })];
  const net = new Sequential([
    ...head,
    new Tanh(),
    new Sequential([new Linear(6, 5, { rng, bias: false }), new Sigmoid()]),
    new Linear(5, 3, { rng }),
  ]);
  for (const p of net.parameters()) p.value.data.set(rng.normalArray(p.value.size, 0.2, 0.8)); // γ, β, b ≠ 0
  return net;
}

/** The parameters' gradients after one forward and `run(dOut)`. */
function gradientsAfter(net: Sequential, run: (dOut: Matrix) => void): Float64Array[] {
  const rng = makeRng(2);
  net.zeroGrad();
  net.forward(randomBatch(rng, 7, 4));
  run(randomBatch(rng, 7, 3, -0.3, 1.1));
  return net.parameters().map((p) => p.grad.data.slice());
}

for (const first of ["linear", "batchnorm"] as const) {
  test(`Sequential.backwardParameters gives exactly backward's gradients (first layer ${first})`, () => {
    const net = model(1, first);
    const expected = gradientsAfter(net, (dOut) => net.backward(dOut));
    const actual = gradientsAfter(net, (dOut) => net.backwardParameters(dOut));
    assert.ok(
      expected.every((grad) => grad.some((g) => g !== 0)),
      "every parameter gets a gradient",
    );
    assert.deepEqual(actual, expected);
  });
}

test("backwardParameters skips only the first Linear's dX = dOut·Wᵀ", () => {
  const net = model(3, "linear");
  const gemm = kernels.gemm;
  let productsWithWTransposed = 0;
  kernels.gemm = (args: GemmArgs) => {
    if (args.transposeB) productsWithWTransposed += 1; // dX = dOut·Wᵀ, once per Linear
    gemm(args);
  };
  try {
    gradientsAfter(net, (dOut) => net.backward(dOut));
    assert.equal(productsWithWTransposed, 3);
    productsWithWTransposed = 0;
    gradientsAfter(net, (dOut) => net.backwardParameters(dOut));
    assert.equal(productsWithWTransposed, 2);
  } finally {
    kernels.gemm = gemm;
  }
});

test("backwardParameters(layer, dOut) falls back to backward for a layer without the method", () => {
  const calls: string[] = [];
  const layer = { backward: (dOut: Matrix) => (calls.push("backward"), dOut) } as unknown as Layer;
  backwardParameters(layer, randomBatch(makeRng(4), 2, 2));
  assert.deepEqual(calls, ["backward"]);
});
