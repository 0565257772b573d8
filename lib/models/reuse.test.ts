import { test } from "node:test";
import assert from "node:assert/strict";
import type { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { useFastKernels, useReferenceKernels } from "../fast/kernels";
import { BatchNorm1d } from "../normalization/batchnorm1d";
import { ReLU, Sigmoid, Tanh } from "../layers/activations";
import type { Layer } from "../layers/layer";
import { Linear } from "../layers/linear";
import { mlp } from "./mlp";
import { Sequential } from "../layers/sequential";
import { randomBatch } from "../layers/test-helpers";

/** Every layer kind with `{ reuse }` support, with non-trivial parameters (γ, β, b ≠ 0). */
function layers(): Layer[] {
  const rng = makeRng(11);
  const made: Layer[] = [
    new Linear(5, 5, { rng }),
    new ReLU(),
    new Sigmoid(),
    new Tanh(),
    new BatchNorm1d(5),
    new Sequential([new Linear(5, 4, { rng }), new BatchNorm1d(4), new Sigmoid(), new Linear(4, 5, { rng })]),
  ];
  for (const layer of made)
    for (const p of layer.parameters()) p.value.data.set(rng.normalArray(p.value.size, 0.3, 0.9));
  return made;
}

/** forward then backward on (x, dOut); returns out, dX (copied) and the parameters' grads. */
function pass(
  layer: Layer,
  x: Matrix,
  dOut: Matrix,
  reuse: boolean,
): { out: Matrix; dX: Matrix; grads: Float64Array[] } {
  layer.zeroGrad();
  const out = layer.forward(x, { reuse });
  const outCopy = out.clone();
  const dX = layer.backward(dOut, { reuse });
  return { out: outCopy, dX: dX.clone(), grads: layer.parameters().map((p) => p.grad.data.slice()) };
}

for (const [kernelName, select] of [
  ["readable", useReferenceKernels],
  ["fast", useFastKernels],
] as const) {
  for (const [k, layer] of layers().entries()) {
    test(
      `${k}. ${layer.name}, ${kernelName} kernels: { reuse: true ` +
        `} gives exactly the fresh path's out, dX and gradients`,
      () => {
        select();
        const rng = makeRng(12);
        for (let call = 0; call < 3; call++) {
          // later calls overwrite the buffers of earlier ones
          const x = randomBatch(rng, 6, 5);
          const dOut = randomBatch(rng, 6, 5, -0.2, 1.1);
          const fresh = pass(layer, x, dOut, false);
          const reused = pass(layer, x, dOut, true);
          assert.deepEqual(reused.out.data, fresh.out.data);
          assert.deepEqual(reused.dX.data, fresh.dX.data);
          assert.deepEqual(reused.grads, fresh.grads);
        }
        useReferenceKernels();
      },
    );
  }
}

test("a model's reused results alternate between two matrices per shape; fresh results are new matrices", () => {
  const rng = makeRng(13);
  const net = mlp({ inputSize: 5, hiddenSizes: [4, 4], outputSize: 3, activation: "sigmoid", batchNorm: true, rng });
  const x = randomBatch(rng, 6, 5);
  const dOut = randomBatch(rng, 6, 3);
  const first = net.forward(x, { reuse: true });
  const firstDX = net.backward(dOut, { reuse: true });
  const second = net.forward(x, { reuse: true }); // into the other set: `first` stays intact (see Workspace)
  const secondDX = net.backward(dOut, { reuse: true });
  assert.notEqual(second, first);
  assert.notEqual(secondDX, firstDX);
  assert.equal(net.forward(x, { reuse: true }), first);
  assert.equal(net.backward(dOut, { reuse: true }), firstDX);
  assert.equal(net.forward(x, { reuse: true }), second);
  const fresh = net.forward(x);
  assert.notEqual(fresh, first);
  assert.notEqual(fresh, second);
  assert.notEqual(net.forward(x), fresh, "each plain forward returns a matrix the caller may keep");
  assert.notEqual(net.backward(dOut), firstDX);
});

test("a layer outside a model reuses one matrix per shape", () => {
  const rng = makeRng(16);
  const layer = new Linear(3, 2, { rng });
  const x = randomBatch(rng, 4, 3);
  const first = layer.forward(x, { reuse: true });
  assert.equal(layer.forward(x, { reuse: true }), first);
});

test("a reused buffer follows the batch size: a smaller last batch gets its own, of the right shape", () => {
  const rng = makeRng(14);
  const layer = new Linear(3, 2, { rng });
  const full = layer.forward(randomBatch(rng, 8, 3), { reuse: true });
  const last = layer.forward(randomBatch(rng, 5, 3), { reuse: true });
  assert.deepEqual(last.shape, [5, 2]);
  assert.notEqual(last, full);
});

test("a plain forward between two reusing ones leaves the caller's fresh output untouched", () => {
  const rng = makeRng(15);
  const layer = new Sigmoid();
  const kept = layer.forward(randomBatch(rng, 4, 3));
  const copy = kept.clone();
  layer.forward(randomBatch(rng, 4, 3), { reuse: true });
  layer.forward(randomBatch(rng, 4, 3), { reuse: true });
  assert.deepEqual(kept.data, copy.data);
});
