/**
 * The kinds of bad input of issue 12, one test each: plain JavaScript values where the library
 * expects its own types, NaN hidden or stored, a rejected call that changed state, a misleading
 * message. Each failed (unclear error, silent wrong result or changed state) before the checks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "./core/checks";
import { kernels } from "./core/gemm";
import { Matrix } from "./core/matrix";
import { makeRng } from "./core/random";
import { encodeIdx } from "./data/idx";
import { loadMnist, MNIST_FILES } from "./data/mnist";
import { standardize } from "./data/preprocess";
import { makeSpiral } from "./data/synthetic";
import { useFastKernels, useReferenceKernels } from "./fast/kernels";
import { gradcheckParameters, numericalGradient, numericalGradientOf } from "./gradcheck";
import { ReLU } from "./layers/activations";
import { Linear } from "./layers/linear";
import { softmaxCrossEntropy } from "./layers/losses";
import { mlp } from "./models/mlp";
import { Sequential } from "./layers/sequential";
import { BatchNorm1d } from "./normalization/batchnorm1d";
import { SGD } from "./optim/sgd";
import { fit } from "./train/fit";

/** Asserts `run` throws an InputError whose message matches `message`. */
function rejects(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: Error) =>
    error instanceof InputError && message.test(error.message) ? true : assert.fail(`${error.name}: ${error.message}`),
  );
}

test("Matrix.from rejects null, a flat array and non-numbers instead of reading .length or converting", () => {
  rejects(() => Matrix.from(null as never), /^Matrix\.from rows: expected nested arrays, .*got null/);
  rejects(
    () => Matrix.from([1, 2, 3] as never),
    /got an array of 3 numbers: for one row write Matrix\.from\(\[\[1, 2, 3\]\]\) or Matrix\.row\(values\)/,
  );
  rejects(() => Matrix.from([[1, null, 3]] as never), /^Matrix\.from row 0: entry 1 is null, not a number/);
  rejects(
    () =>
      Matrix.from([
        [1, 2],
        [3, "a"],
      ] as never),
    /^Matrix\.from row 1: entry 1 is the string "a", not a number/,
  );
  rejects(() => Matrix.row(["1", 2] as never), /^Matrix\.row values: entry 0 is the string "1"/);
  assert.ok(Number.isNaN(Matrix.from([[NaN]]).get(0, 0)), "a NaN the caller wrote is a number, kept as it is");
});

test("a plain array as a matrix's data is rejected with the fix", () => {
  rejects(
    () => new Matrix(1, 2, [1, 2] as never),
    /^Matrix: data must be a Float64Array, got an array of 2 numbers; pass Float64Array\.from\(values\)/,
  );
});

test("nested arrays where a Matrix is expected name the argument and say to use Matrix.from", () => {
  const layer = new Linear(2, 3, { rng: makeRng(1) });
  rejects(
    () => layer.forward([[1, 2]] as never),
    new RegExp(
      /^Linear\(2→3\)\.forward x: expected a Matrix, got nested arrays \(1 rows\); /.source +
        /convert nested arrays with Matrix\.from\(rows\)/.source,
    ),
  );
  rejects(
    () => softmaxCrossEntropy([[1, 2]] as never, [0]),
    /^softmaxCrossEntropy logits: expected a Matrix, got nested arrays/,
  );
  rejects(
    () => Matrix.from([[1, 2]]).matmul([[1], [2]] as never),
    /^Matrix\.matmul other: expected a Matrix, got nested arrays \(2 rows\)/,
  );
});

test("a seed number where a generator is expected says to call makeRng", () => {
  rejects(
    () => new Linear(2, 3, { rng: 42 as never }),
    /^Linear\(2→3\) options\.rng: expected a generator from makeRng\(seed\), got the number 42; pass makeRng\(42\)/,
  );
  rejects(
    () => new Linear(2, 3, makeRng(1) as never),
    /Linear\(2→3\): pass a seeded generator.*\(a generator passed alone goes inside the options: \{ rng \}\)/,
  );
  rejects(
    () => mlp({ inputSize: 2, hiddenSizes: [3], outputSize: 2, rng: 7 as never }),
    /^mlp options\.rng: expected a generator .*got the number 7/,
  );
  rejects(() => makeSpiral({ rng: 1 as never }), /^makeSpiral options\.rng: expected a generator/);
});

test("a layer class given to Sequential is rejected at construction, not at forward", () => {
  rejects(
    () => new Sequential([new Linear(2, 3, { rng: makeRng(1) }), ReLU as never]),
    new RegExp(
      /^Sequential layers\[1\]: expected a layer, got the class ReLU itself, /.source +
        /not an instance of it; create one: new ReLU\(…\)/.source,
    ),
  );
  rejects(
    () => new Sequential([{}] as never),
    /^Sequential layers\[0\]: expected a layer, got an object with keys \{\}/,
  );
});

test("selectRows rejects out-of-range, negative and fractional indices instead of returning zeros", () => {
  const m = Matrix.from([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  rejects(() => m.selectRows([5]), /^Matrix\.selectRows indices: index 5 \(position 0\) is outside 0…2/);
  rejects(() => m.selectRows([0, -1]), /index -1 \(position 1\)/);
  rejects(() => m.selectRows([0.5]), /index 0\.5 \(position 0\)/);
  rejects(
    () => m.selectRows("01" as never),
    /expected an Int32Array or number\[\] of row indices, got the string "01"/,
  );
  rejects(() => m.rowAt(3), /^Matrix\.rowAt i: index 3/);
});

test("ReLU keeps NaN as torch.relu does (a NaN from upstream is not hidden as 0); its gradient there is 0", () => {
  const relu = new ReLU();
  const out = relu.forward(Matrix.from([[NaN, -1, 2, 0]]));
  assert.ok(Number.isNaN(out.get(0, 0)));
  assert.deepEqual(Array.from(out.data.subarray(1)), [0, 2, 0]);
  assert.deepEqual(Array.from(relu.backward(Matrix.from([[1, 1, 1, 1]])).data), [0, 0, 1, 0]); // torch: grad·(out > 0)
});

test("BatchNorm1d training rejects a NaN batch, naming row and column, and its running statistics stay usable", () => {
  const layer = new BatchNorm1d(2);
  layer.forward(
    Matrix.from([
      [1, 2],
      [3, 5],
      [0, 1],
    ]),
  );
  rejects(
    () =>
      layer.forward(
        Matrix.from([
          [1, 2],
          [NaN, 5],
        ]),
      ),
    /^BatchNorm1d\(2\)\.forward x: found NaN at row 1, column 0/,
  );
  layer.eval();
  assert.ok(layer.forward(Matrix.from([[1, 1]])).data.every(Number.isFinite), "eval is not NaN for good");
});

test(
  "BatchNorm1d never stores a variance that overflowed: finite " +
    "inputs of 1e200 are rejected before the running statistics move",
  () => {
    const layer = new BatchNorm1d(2);
    const [mean, variance] = [layer.runningMean.data.slice(), layer.runningVar.data.slice()];
    rejects(
      () =>
        layer.forward(
          Matrix.from([
            [1, 1e200],
            [2, -1e200],
          ]),
        ),
      new RegExp(
        /^BatchNorm1d\(2\)\.forward: the batch variance: found Infinity at row 0, column 1; /.source +
          /.*The running statistics were not updated/.source,
      ),
    );
    assert.deepEqual([layer.runningMean.data, layer.runningVar.data, layer.numBatchesTracked], [mean, variance, 0]);
  },
);

test("standardize rejects non-finite training data instead of poisoning everything it standardizes later", () => {
  rejects(
    () =>
      standardize(
        Matrix.from([
          [1, 2],
          [3, Infinity],
        ]),
      ),
    /^standardize train: found Infinity at row 1, column 1; remove or impute it/,
  );
});

test("gradient checking with h = 0 or NaN is rejected, not reported as a wrong backward", () => {
  const x = Matrix.from([[1, 2]]);
  for (const h of [0, NaN, -1e-5]) {
    rejects(
      () => numericalGradientOf(() => x.sum(), x, h),
      /^numericalGradientOf: the step h must be a finite number > 0/,
    );
    rejects(() => numericalGradient((v) => v, x, x, h), /^numericalGradient: the step h must be a finite number > 0/);
  }
  const layer = new Linear(2, 1, { rng: makeRng(2) });
  rejects(
    () =>
      gradcheckParameters(
        layer.parameters(),
        () => 0,
        () => undefined,
        { h: 0 },
      ),
    /^gradcheckParameters: the step h/,
  );
});

test("after a forward rejected half-way through a model, the backward of the previous good batch still works", () => {
  const rng = makeRng(3);
  const make = () => mlp({ inputSize: 3, hiddenSizes: [4], outputSize: 2, batchNorm: true, rng: makeRng(4) });
  const [model, reference] = [make(), make()];
  const x = new Matrix(5, 3, rng.normalArray(15)),
    dOut = new Matrix(5, 2, rng.normalArray(10));
  model.forward(x);
  reference.forward(x);
  rejects(
    () => model.forward(new Matrix(1, 3, rng.normalArray(3))),
    /^BatchNorm1d\(4\)\.forward: expected more than 1 value/,
  );
  assert.deepEqual(model.backward(dOut).data, reference.backward(dOut).data);
  assert.deepEqual(
    model.parameters().map((p) => p.grad.data),
    reference.parameters().map((p) => p.grad.data),
  );
});

test("fit checks every label and the validation width before its first step", async () => {
  const rng = makeRng(5);
  const model = mlp({ inputSize: 2, hiddenSizes: [4], outputSize: 3, batchNorm: true, rng });
  const optimizer = new SGD(model.parameters(), { learningRate: 0.1 });
  const train = { x: new Matrix(40, 2, rng.normalArray(80)), y: Int32Array.from({ length: 40 }, (_, i) => i % 3) };
  let steps = 0;
  const onStep = () => void (steps += 1);
  train.y[37] = 3;
  await assert.rejects(
    fit(model, train, { epochs: 2, batchSize: 8, optimizer, rng, onStep }),
    /^InputError: fit train\.y: labels\[37\] = 3, but each label must be a whole number in \[0, 3\)/,
  );
  train.y[37] = 1;
  const validation = { x: new Matrix(4, 3), y: new Int32Array(4) };
  await assert.rejects(
    fit(model, train, { epochs: 2, batchSize: 8, optimizer, rng, onStep, validation }),
    /^InputError: fit validation\.x: has 3 features, the training set 2/,
  );
  assert.equal(steps, 0);
});

test("fit keeps its history when something stops training mid-run: the error carries it", async () => {
  const rng = makeRng(6);
  const model = mlp({ inputSize: 2, hiddenSizes: [4], outputSize: 2, rng });
  const train = { x: new Matrix(20, 2, rng.normalArray(40)), y: Int32Array.from({ length: 20 }, (_, i) => i % 2) };
  const onStep = ({ step }: { step: number }) => {
    if (step === 3) throw new Error("stop at step 3");
  };
  await assert.rejects(
    fit(model, train, {
      epochs: 2,
      batchSize: 4,
      optimizer: new SGD(model.parameters(), { learningRate: 0.1 }),
      rng,
      onStep,
    }),
    (error: Error & { history?: { steps: number; loss: number[] } }) => {
      assert.equal(error.message, "stop at step 3");
      assert.equal(error.history?.steps, 3);
      assert.equal(error.history?.loss.length, 3);
      return true;
    },
  );
});

test("matmul with out aliasing an operand is rejected by every kernel alike", () => {
  try {
    for (const select of [useReferenceKernels, () => useFastKernels({ wasm: false }), () => useFastKernels()]) {
      select();
      const a = Matrix.from([
          [1, 2],
          [3, 4],
        ]),
        b = Matrix.from([
          [0, 1],
          [1, 0],
        ]);
      rejects(() => a.matmul(b, a), /^Matrix\.matmul: out shares memory with an operand/);
      rejects(() => a.matmulTransposeA(b, b, true), /^Matrix\.matmulTransposeA: out shares memory/);
      rejects(() => a.matmulTransposeB(a, new Matrix(2, 2, a.data.subarray(0, 4)), false), /out shares memory/);
      assert.deepEqual(
        a.matmul(b).toArray(),
        [
          [2, 1],
          [4, 3],
        ],
        `${kernels.name}: a separate out still works`,
      );
    }
  } finally {
    useReferenceKernels();
  }
});

test("a data file holding 0 images says so, instead of blaming a trainLimit nobody passed", () => {
  const folder = mkdtempSync(join(tmpdir(), "mnist-empty-"));
  try {
    writeFileSync(join(folder, MNIST_FILES.trainImages), encodeIdx([0, 28, 28], []));
    writeFileSync(join(folder, MNIST_FILES.trainLabels), encodeIdx([0], []));
    writeFileSync(join(folder, MNIST_FILES.testImages), encodeIdx([1, 28, 28], new Array(784).fill(0)));
    writeFileSync(join(folder, MNIST_FILES.testLabels), encodeIdx([1], [3]));
    assert.throws(
      () => loadMnist({ dir: folder }),
      (error: Error) => {
        assert.match(
          error.message,
          /^loadMnist: .*train-images-idx3-ubyte holds no images \(its header says 0 × 28 × 28\)/,
        );
        assert.doesNotMatch(error.message, /trainLimit/);
        return true;
      },
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
