import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { arrayKernels, addInto } from "../core/array-kernels";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { Sigmoid } from "../layers/activations";
import { layerKernels, readableLayerKernels } from "../layers/layer-kernels";
import { softmaxCrossEntropy } from "../layers/losses";
import { layerGradientErrors, randomBatch } from "../layers/test-helpers";
import { readableSGDKernels, sgdKernels } from "../optim/sgd-kernels";
import { wasmLayerKernels } from "./elementwise-wasm";
import { loadWasmInstance } from "./gemm-wasm";
import { useFastKernels, useReferenceKernels } from "./kernels";

const instance = loadWasmInstance();
const skip = instance === null && "dist/wasm/gemm.wasm is not built (npm run build) or WebAssembly SIMD is unavailable";
const fast = instance === null ? null : wasmLayerKernels(instance);

const bits = new BigInt64Array(1),
  value = new Float64Array(bits.buffer);
/** How many doubles lie between a and b (0: the same number; NaN only equals NaN). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  value[0] = a;
  const ia = bits[0];
  value[0] = b;
  const ib = bits[0];
  return Math.sign(a) !== Math.sign(b) ? Infinity : Number(ia > ib ? ia - ib : ib - ia);
}

/** e^x for every x through the module's SIMD loop (lanes and tail), and by its scalar exp. */
function wasmExp(x: Float64Array): { lanes: Float64Array; scalar: Float64Array } {
  const at = 65536,
    heap = instance!.heap(at + 16 * x.length);
  heap.set(x, at / 8);
  instance!.exports.expArray(at, at + 8 * x.length, x.length);
  return {
    lanes: heap.slice(at / 8 + x.length, at / 8 + 2 * x.length),
    scalar: x.map((v) => instance!.exports.exp(v)),
  };
}

test(
  "the module's eˣ is within 2 ulp of Math.exp from −745 to 709.7 " +
    "(measured: 95 % equal, the rest 1 ulp, one in 10⁶ 2 ulp), lanes = scalar",
  { skip },
  () => {
    const rng = makeRng(5);
    let worst = 0,
      equal = 0,
      total = 0;
    for (const [low, high] of [
      [-745.1, 709.7],
      [-1, 1],
      [-40, 0],
      [-1e-8, 1e-8],
      [-745.1, -700],
      [700, 709.78],
    ]) {
      // odd: the scalar tail too
      const x = Float64Array.from({ length: 200_001 }, () => low + (high - low) * rng.uniform());
      const { lanes, scalar } = wasmExp(x);
      for (let i = 0; i < x.length; i++) {
        assert.equal(ulps(lanes[i], scalar[i]), 0, `lane and scalar differ at x = ${x[i]}`);
        const error = ulps(lanes[i], Math.exp(x[i]));
        worst = Math.max(worst, error);
        equal += error === 0 ? 1 : 0;
        total += 1;
      }
    }
    assert.ok(worst <= 2, `worst ${worst} ulp`);
    assert.ok(equal / total > 0.9, `only ${equal} of ${total} equal to Math.exp`);
  },
);

test("the module's eˣ at the edges: 0, ±∞, NaN, overflow to ∞, underflow through subnormals to 0", { skip }, () => {
  const x = Float64Array.from([
    0,
    -0,
    1,
    -1,
    Infinity,
    -Infinity,
    NaN,
    709.78,
    709.79,
    1000,
    -708.4,
    -720,
    -745.1,
    -745.2,
    -1000,
    1e-300,
  ]);
  const { lanes, scalar } = wasmExp(x);
  for (let i = 0; i < x.length; i++) {
    assert.ok(ulps(lanes[i], Math.exp(x[i])) <= 1, `exp(${x[i]}) = ${lanes[i]}, Math.exp ${Math.exp(x[i])}`);
    assert.ok(ulps(scalar[i], lanes[i]) === 0, `scalar exp(${x[i]})`);
  }
});

/** Random x of `count` numbers with the extremes the sigmoid must survive. */
function sigmoidInputs(count: number, seed: number): Float64Array {
  const x = Float64Array.from(makeRng(seed).normalArray(count, 0, 6));
  [0, -0, 1000, -1000, 36.7, -36.7, 709, -745.5].forEach((v, i) => {
    if (i < count) x[i] = v;
  });
  return x;
}

test(
  "wasm sigmoidForward = the readable loop to 1e-15 relative on odd lengths and extremes; sigmoidBackward bit for bit",
  { skip },
  () => {
    for (const count of [1, 2, 3, 7, 601, 6000]) {
      const x = sigmoidInputs(count, count);
      const [expected, actual] = [new Float64Array(count), new Float64Array(count)];
      readableLayerKernels.sigmoidForward(x, expected);
      fast!.sigmoidForward(x, actual);
      for (let k = 0; k < count; k++) {
        assert.ok(
          Math.abs(actual[k] - expected[k]) <= 1e-15 * expected[k] || actual[k] === expected[k],
          `σ(${x[k]}): ${actual[k]} vs ${expected[k]}`,
        );
      }
      const dOut = Float64Array.from(makeRng(count + 1).normalArray(count));
      const [dXExpected, dXActual] = [new Float64Array(count), new Float64Array(count)];
      readableLayerKernels.sigmoidBackward(dOut, expected, dXExpected);
      fast!.sigmoidBackward(dOut, expected, dXActual);
      assert.deepEqual(dXActual, dXExpected);
    }
  },
);

test(
  "wasm softmaxCrossEntropyRows = the readable loop to 1e-13 relative on odd shapes, logits up to 1e4",
  { skip },
  () => {
    const rng = makeRng(23);
    for (const [n, c] of [
      [1, 1],
      [1, 2],
      [7, 3],
      [5, 17],
      [60, 10],
      [61, 10],
    ]) {
      const z = new Matrix(n, c, rng.normalArray(n * c, 0, 5));
      if (n * c > 3) z.data[2] = 1e4;
      const labels = Int32Array.from({ length: n }, () => rng.int(c));
      const [p, dZ, pFast, dZFast] = [0, 1, 2, 3].map(() => new Matrix(n, c));
      const loss = readableLayerKernels.softmaxCrossEntropyRows(z, labels, p, dZ);
      const lossFast = fast!.softmaxCrossEntropyRows(z, labels, pFast, dZFast);
      assert.ok(Math.abs(lossFast - loss) <= 1e-13 * Math.abs(loss), `[${n}, ${c}] loss ${lossFast} vs ${loss}`);
      for (const [a, b] of [
        [pFast, p],
        [dZFast, dZ],
      ]) {
        for (let k = 0; k < a.size; k++)
          assert.ok(
            Math.abs(a.data[k] - b.data[k]) <= 1e-13 * Math.abs(b.data[k]) + 1e-300,
            `[${n}, ${c}] at ${k}: ${a.data[k]} vs ${b.data[k]}`,
          );
      }
    }
  },
);

// Golden values from PyTorch 1.13 (float64): /usr/bin/python3 scripts/golden/cross_entropy.py →
// lib/layers/golden-cross-entropy.json
const golden = JSON.parse(
  readFileSync(resolve(__dirname, "../../../lib/layers/golden-cross-entropy.json"), "utf8"),
) as {
  cases: { name: string; logits: number[][]; labels: number[]; loss: number; dLogits: number[][] }[];
};

test(
  "through the wasm passes, softmaxCrossEntropy still matches PyTorch to 1e-10 and Sigmoid passes finite differences",
  { skip },
  () => {
    useFastKernels();
    try {
      assert.notEqual(
        layerKernels.softmaxCrossEntropyRows,
        readableLayerKernels.softmaxCrossEntropyRows,
        "the wasm pass is in the slot",
      );
      for (const c of golden.cases) {
        const { loss, dLogits } = softmaxCrossEntropy(Matrix.from(c.logits), Int32Array.from(c.labels));
        assert.ok(Math.abs(loss - c.loss) <= 1e-10 * Math.abs(c.loss), `${c.name}: loss ${loss} vs ${c.loss}`);
        const expected = Matrix.from(c.dLogits);
        for (let k = 0; k < expected.size; k++)
          assert.ok(
            Math.abs(dLogits.data[k] - expected.data[k]) <= 1e-10 * Math.abs(expected.data[k]) + 1e-300,
            `${c.name} dLogits`,
          );
      }
      const rng = makeRng(31);
      const errors = layerGradientErrors(new Sigmoid(), randomBatch(rng, 7, 5), randomBatch(rng, 7, 5));
      for (const [name, error] of Object.entries(errors)) assert.ok(error < 1e-7, `${name}: ${error}`);
    } finally {
      useReferenceKernels();
    }
  },
);

test(
  "useFastKernels fills layerKernels with the wasm passes (readable " +
    "ones without wasm); useReferenceKernels puts every readable pass back",
  () => {
    useFastKernels({ wasm: false });
    assert.deepEqual({ ...layerKernels }, { ...readableLayerKernels });
    useFastKernels();
    if (instance !== null) assert.notEqual(layerKernels.sigmoidForward, readableLayerKernels.sigmoidForward);
    useReferenceKernels();
    assert.deepEqual({ ...layerKernels }, { ...readableLayerKernels });
    assert.deepEqual({ ...sgdKernels }, { ...readableSGDKernels });
    assert.equal(arrayKernels.addInto, addInto);
  },
);
