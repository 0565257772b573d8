// A forward that a LATER layer rejects (an overflow half-way, a custom layer that throws) leaves the model as it
// was: the caches of the layers that ran, BatchNorm's running statistics, under both kernel sets. And a custom
// Module that changes the width without saying so (`outputSize`) gets an error naming its class and the method.
import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError, type Shaped } from "./core/checks";
import { Matrix } from "./core/matrix";
import { makeRng } from "./core/random";
import { assertSameState, snapshotState } from "./core/test-state";
import { useFastKernels, useReferenceKernels } from "./fast/kernels";
import { BatchNorm1d } from "./normalization/batchnorm1d";
import { trainStep } from "./train/step";
import { SGD } from "./optim/sgd";
import { ReLU } from "./layers/activations";
import { Module } from "./layers/layer";
import { Linear } from "./layers/linear";
import { Sequential } from "./layers/sequential";
import { randomBatch } from "./layers/test-helpers";
import { Dropout } from "./layers/dropout";
import { DistributionNoise } from "./experiments/noise";

/** Passes x through, or throws when told to (a stand-in for any layer that rejects a batch half-way). */
class Tripwire extends Module {
  readonly name = "Tripwire";
  armed = false;
  forward(x: Matrix): Matrix {
    if (this.armed) throw new InputError("Tripwire.forward: rejected");
    return x;
  }
  backward(dOut: Matrix): Matrix {
    return dOut;
  }
}

/** Twin models (same seed): `model` sees a rejected batch, `twin` does not; then both go back through batch A. */
function twins(seed: number, make: (rng: ReturnType<typeof makeRng>) => Sequential): [Sequential, Sequential] {
  return [make(makeRng(seed)), make(makeRng(seed))];
}

function assertSameBackward(model: Sequential, twin: Sequential, dOut: Matrix): void {
  model.zeroGrad();
  twin.zeroGrad();
  assert.deepEqual(model.backward(dOut).data, twin.backward(dOut).data);
  model.parameters().forEach((p, k) => assert.deepEqual(p.grad.data, twin.parameters()[k].grad.data, p.name));
}

for (const [kernelSet, select] of [
  ["readable kernels", useReferenceKernels],
  ["fast kernels", () => useFastKernels()],
] as const) {
  test(`an overflow half-way through a model leaves every layer as it was (${kernelSet})`, () => {
    select();
    try {
      // layer 3 (BatchNorm1d) rejects batch B: its variance of values near 1e200 overflows; layers 0–2 have run on B
      const make = (rng: ReturnType<typeof makeRng>) =>
        new Sequential([
          new Linear(2, 3, { rng }),
          new ReLU(),
          new Linear(3, 3, { rng }),
          new BatchNorm1d(3),
          new Linear(3, 2, { rng }),
        ]);
      const [model, twin] = twins(5, make);
      const rng = makeRng(6);
      const a = randomBatch(rng, 4, 2);
      model.forward(a);
      twin.forward(a);
      const before = snapshotState(model);
      const b = new Matrix(3, 2, Float64Array.from([1e200, -1e200, 2e200, 1e200, -3e200, 5e199]));
      assert.throws(() => model.forward(b), /BatchNorm1d\(3\)\.forward: the batch variance/);
      assertSameState(before, snapshotState(model), "after the rejected batch");
      assertSameBackward(model, twin, randomBatch(rng, 4, 2));
    } finally {
      useReferenceKernels();
    }
  });

  test(`a batch rejected after a BatchNorm has run does not move its running statistics (${kernelSet})`, () => {
    select();
    try {
      const make = (rng: ReturnType<typeof makeRng>) =>
        new Sequential([
          new Linear(2, 3, { rng }),
          new BatchNorm1d(3),
          new ReLU(),
          new Sequential([new Linear(3, 3, { rng }), new Tripwire()]),
          new Linear(3, 2, { rng }),
        ]);
      const [model, twin] = twins(7, make);
      const rng = makeRng(8);
      const a = randomBatch(rng, 5, 2);
      model.forward(a);
      twin.forward(a);
      const before = snapshotState(model);
      ((model.layers[3] as Sequential).layers[1] as Tripwire).armed = true; // the nested model's last layer rejects
      assert.throws(() => model.forward(randomBatch(rng, 6, 2)), /Tripwire\.forward: rejected/);
      ((model.layers[3] as Sequential).layers[1] as Tripwire).armed = false;
      assertSameState(before, snapshotState(model), "after the rejected batch");
      assertSameBackward(model, twin, randomBatch(rng, 5, 2));
    } finally {
      useReferenceKernels();
    }
  });
}

for (const [kernelSet, select] of [
  ["readable kernels", useReferenceKernels],
  ["fast kernels", () => useFastKernels()],
] as const) {
  test(`with reuse a rejected trainStep leaves no trace; the last good backward still works (${kernelSet})`, () => {
    select();
    try {
      // layer 3 rejects the batch after layers 0–2 (a BatchNorm among them) have written their reused buffers
      const make = (rng: ReturnType<typeof makeRng>) =>
        new Sequential([
          new Linear(2, 3, { rng }),
          new BatchNorm1d(3),
          new ReLU(),
          new Tripwire(),
          new Linear(3, 2, { rng }),
        ]);
      const [model, twin] = twins(9, make);
      const rng = makeRng(10);
      const steps = [0, 1, 2].map(() => randomBatch(rng, 4, 2)); // three steps: both buffer sets hold numbers
      for (const x of steps) {
        for (const net of [model, twin]) {
          const optimizer = new SGD(net.parameters(), { learningRate: 0.1 });
          trainStep(net, optimizer, x, Int32Array.from([0, 1, 1, 0]));
        }
      }
      const kept = model.forward(steps[2], { reuse: true }); // a result the caller still holds
      twin.forward(steps[2], { reuse: true });
      const keptCopy = kept.data.slice();
      const before = snapshotState(model);
      (model.layers[3] as Tripwire).armed = true;
      const optimizer = new SGD(model.parameters(), { learningRate: 0.1 });
      assert.throws(
        () => trainStep(model, optimizer, randomBatch(rng, 4, 2), Int32Array.from([1, 0, 0, 1])),
        /Tripwire\.forward: rejected/,
      );
      (model.layers[3] as Tripwire).armed = false;
      assertSameState(before, snapshotState(model), "after the rejected step");
      assert.deepEqual(kept.data, keptCopy, "the last good result is intact");
      assertSameBackward(model, twin, randomBatch(rng, 4, 2));
    } finally {
      useReferenceKernels();
    }
  });
}

test("a layer object placed twice in a model is refused, nested models included", () => {
  const rng = makeRng(12);
  const relu = new ReLU();
  assert.throws(
    () => new Sequential([new Linear(2, 3, { rng }), relu, new Linear(3, 3, { rng }), relu]),
    (error: Error) =>
      error instanceof InputError &&
      /^Sequential layers\[3\]: the same ReLU object as layers\[1\];.*create a new one for layers\[3\]/.test(
        error.message,
      ),
  );
  const norm = new BatchNorm1d(3);
  assert.throws(
    () => new Sequential([new Linear(2, 3, { rng }), norm, new Sequential([new Linear(3, 3, { rng }), norm])]),
    /Sequential layers\[2\]\.layers\[1\]: the same BatchNorm1d\(3\) object as layers\[1\]/,
  );
  const inner = new Sequential([new Linear(3, 3, { rng }), new ReLU()]);
  assert.throws(() => new Sequential([new Linear(2, 3, { rng }), inner, inner]), /layers\[2\]: the same Sequential/);
});

/** A custom layer that keeps the first `width` features but does not say so (Module's outputSize keeps the width). */
class FirstColumns extends Module {
  readonly name = "FirstColumns";
  constructor(readonly width: number) {
    super();
  }
  forward(x: Matrix): Matrix {
    return new Matrix(
      x.rows,
      this.width,
      Float64Array.from({ length: x.rows * this.width }, (_, k) => x.get(Math.floor(k / this.width), k % this.width)),
    );
  }
  backward(dOut: Matrix): Matrix {
    return dOut;
  }
  override checkInput(x: Shaped): void {
    super.checkInput(x);
  }
}

test("a custom layer that changes the width without outputSize gets an error naming its class and the method", () => {
  const rng = makeRng(10);
  const x = randomBatch(rng, 3, 4);
  // Linear's check sees 4 features, not 2
  const checked = new Sequential([new FirstColumns(2), new Linear(2, 1, { rng })]);
  assert.throws(
    () => checked.forward(x),
    (error: Error) => {
      assert.ok(error instanceof InputError);
      assert.match(
        error.message,
        new RegExp(
          /expected shape \[N, 2\].*Note: the width checked here assumes FirstColumns keeps the width; /.source +
            /if it changes it, implement outputSize\(inputSize: number\): number in class FirstColumns/.source,
          "s",
        ),
      );
      return true;
    },
  );
  const first = new Linear(4, 4, { rng });
  const unchecked = new Sequential([first, new FirstColumns(2), new ReLU()]); // nothing after it checks the width
  const before = snapshotState(unchecked);
  assert.throws(
    () => unchecked.forward(x),
    new RegExp(
      /Sequential layer 1 \(FirstColumns\) returned 2 features per row, expected 4; /.source +
        /implement outputSize\(inputSize: number\): number in class FirstColumns/.source,
    ),
  );
  assertSameState(before, snapshotState(unchecked), "after the width error");
});

test("built-in layers all say their width, so no hint is added to their own errors", () => {
  const rng = makeRng(11);
  const model = new Sequential([new Linear(4, 3, { rng }), new BatchNorm1d(3), new ReLU(), new Linear(2, 1, { rng })]);
  assert.throws(
    () => model.forward(randomBatch(rng, 3, 4)),
    (error: Error) => !/Note:/.test(error.message) && /Linear\(2→1\)/.test(error.message),
  );
});

test(
  "a rejected batch rewinds Dropout's and DistributionNoise's " + "generators: the next batch draws what it would have",
  () => {
    const make = (rng: ReturnType<typeof makeRng>) =>
      new Sequential([
        new Linear(3, 4, { rng }),
        new Dropout(0.5, { rng: makeRng(31) }),
        new DistributionNoise(4, { rng: makeRng(32) }),
        new Tripwire(),
      ]);
    const [model, twin] = twins(30, make);
    const rng = makeRng(33);
    const a = randomBatch(rng, 5, 3);
    (model.layers[3] as Tripwire).armed = true;
    assert.throws(() => model.forward(a), /Tripwire\.forward: rejected/);
    (model.layers[3] as Tripwire).armed = false;
    assert.deepEqual(
      model.forward(a).data,
      twin.forward(a).data,
      "the masks and noise after a rejected batch are the twin's",
    );
  },
);

test("an accepted batch moves a BatchNorm1d's running statistics as on its own, in a model and in a nested one", () => {
  const x = randomBatch(makeRng(40), 5, 3);
  const [alone, flat, nested] = [new BatchNorm1d(3), new BatchNorm1d(3), new BatchNorm1d(3)];
  const flatModel = new Sequential([flat, new ReLU()]);
  const nestedModel = new Sequential([new Sequential([nested, new ReLU()]), new ReLU()]); // committed by the outer
  for (let step = 0; step < 3; step++) {
    alone.forward(x);
    flatModel.forward(x, { reuse: true });
    nestedModel.forward(x);
  }
  for (const norm of [flat, nested]) {
    assert.equal(norm.numBatchesTracked, 3);
    assert.deepEqual(norm.runningMean.data, alone.runningMean.data);
    assert.deepEqual(norm.runningVar.data, alone.runningVar.data);
  }
});

test("a trainStep whose loss throws leaves the model as it was: the loss is part of the forward's transaction", () => {
  for (const select of [useReferenceKernels, () => useFastKernels()]) {
    select();
    try {
      const make = (rng: ReturnType<typeof makeRng>) =>
        new Sequential([new Linear(3, 4, { rng }), new BatchNorm1d(4), new ReLU(), new Linear(4, 2, { rng })]);
      const [model, twin] = twins(50, make);
      const rng = makeRng(51);
      const x = randomBatch(rng, 5, 3);
      const labels = Int32Array.from([0, 1, 1, 0, 1]);
      for (const net of [model, twin]) trainStep(net, new SGD(net.parameters(), { learningRate: 0.1 }), x, labels);
      const optimizer = new SGD(model.parameters(), { learningRate: 0.1 });
      const before = snapshotState(model, optimizer);
      const throwingLoss = () => {
        throw new Error("my loss: boom");
      };
      assert.throws(() => trainStep(model, optimizer, randomBatch(rng, 5, 3), labels, throwingLoss), /boom/);
      assertSameState(before, snapshotState(model, optimizer), "after the loss threw");
      assertSameBackward(model, twin, randomBatch(rng, 5, 2));
    } finally {
      useReferenceKernels();
    }
  }
});
