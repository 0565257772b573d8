import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../core/checks";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { SGD } from "../optim/sgd";
import { stepDecay } from "../optim/schedules";
import { fit, type FitOptions } from "./fit";
import { TrainingDivergedError } from "./history";
import { separableBlobs, TinyLinear } from "./test-helpers";

function setup(seed: number, learningRate = 0.1, perClass = 50) {
  const rng = makeRng(seed);
  const train = separableBlobs(rng, perClass);
  const model = new TinyLinear(2, 3, rng);
  const optimizer = new SGD(model.parameters(), { learningRate, momentum: 0.9 });
  return { rng, train, model, optimizer };
}

test("reaches > 95% training accuracy on separable blobs", async () => {
  const { rng, train, model, optimizer } = setup(1);
  const history = await fit(model, train, { epochs: 10, batchSize: 16, optimizer, rng });
  assert.ok(history.trainAccuracy[9] > 0.95, `accuracy ${history.trainAccuracy.join(", ")}`);
  assert.ok(history.loss[history.loss.length - 1] < history.loss[0] / 5, "loss fell");
  assert.deepEqual(
    [history.steps, history.epochs, history.loss.length, history.trainAccuracy.length],
    [100, 10, 100, 10],
  );
  assert.equal(model.training, true);
});

/** Three epochs of `setup(seed)` with a fixed validation set: the history (wall time zeroed) and the weights. */
async function fitThreeEpochs(seed: number, options: Pick<FitOptions, "batchSize" | "trainAccuracy">) {
  const { rng, train, model, optimizer } = setup(seed);
  const history = await fit(model, train, {
    epochs: 3,
    optimizer,
    rng,
    validation: separableBlobs(makeRng(9), 10),
    ...options,
  });
  return { history: { ...history, seconds: 0 }, weights: Array.from(model.weight.value.data) };
}

test("the same seed gives a bit-identical history", async () => {
  const [a, b] = [await fitThreeEpochs(2, { batchSize: 7 }), await fitThreeEpochs(2, { batchSize: 7 })];
  assert.deepEqual(a, b);
  assert.equal(a.history.validationAccuracy.length, 3);
});

test("trainAccuracy: false skips the training-set pass and changes nothing else", async () => {
  const measured = await fitThreeEpochs(3, { batchSize: 16 });
  const skipped = await fitThreeEpochs(3, { batchSize: 16, trainAccuracy: false });
  assert.equal(measured.history.trainAccuracy.length, 3);
  assert.deepEqual(skipped.history.trainAccuracy, []);
  assert.deepEqual(skipped.history, { ...measured.history, trainAccuracy: [] });
  assert.deepEqual(skipped.weights, measured.weights);
});

test("a huge learning rate throws TrainingDivergedError that keeps the history", async () => {
  const { rng, train, model, optimizer } = setup(3, 1e307, 20); // a linear softmax model only blows up once θ overflows
  let error: unknown;
  try {
    await fit(model, train, { epochs: 5, batchSize: 10, optimizer, rng });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof TrainingDivergedError, String(error));
  const { history, step, epoch } = error;
  assert.equal(history.loss.length, step);
  assert.ok(history.loss.slice(0, -1).every(Number.isFinite) && !Number.isFinite(history.loss[step - 1]));
  assert.ok(step > 1, "the first step still had a finite loss");
  assert.match(error.message, new RegExp(`at step ${step} \\(epoch ${epoch + 1}, learning rate 1e\\+307\\)`));
  assert.match(error.message, /lower the learning rate.*standardize.*BatchNorm/i);
  assert.ok(
    model.weight.value.data.every((w) => !Number.isNaN(w)),
    "the parameters keep their last values",
  );
});

test("dropLast skips the short batch: 6 steps per epoch instead of 7 for N = 150, B = 25 + …", async () => {
  const steps = async (dropLast: boolean) => {
    const { rng, train, model, optimizer } = setup(4); // N = 150
    return (await fit(model, train, { epochs: 2, batchSize: 40, optimizer, rng, dropLast })).steps;
  };
  assert.equal(await steps(false), 2 * 4); // ⌈150/40⌉ = 4
  assert.equal(await steps(true), 2 * 3); // ⌊150/40⌋ = 3
});

test("callbacks are called once per step and per epoch, and awaited in order", async () => {
  const { rng, train, model, optimizer } = setup(5);
  const log: string[] = [];
  const history = await fit(model, train, {
    epochs: 2,
    batchSize: 50,
    optimizer,
    rng,
    onStep: async ({ step, totalSteps, loss }) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.push(`step ${step}/${totalSteps} ${Number.isFinite(loss)}`);
    },
    onEpoch: ({ epoch, history: h }) => void log.push(`epoch ${epoch} ${h.trainAccuracy.length}`),
  });
  assert.deepEqual(log, [
    "step 1/6 true",
    "step 2/6 true",
    "step 3/6 true",
    "epoch 0 1",
    "step 4/6 true",
    "step 5/6 true",
    "step 6/6 true",
    "epoch 1 2",
  ]);
  assert.equal(history.steps, 6);
});

test("without Promise-returning callbacks fit runs to the end before returning its promise", () => {
  const { rng, train, model, optimizer } = setup(6);
  let steps = 0;
  void fit(model, train, { epochs: 2, batchSize: 30, optimizer, rng, onStep: () => void (steps += 1) });
  assert.equal(steps, 10); // nothing was deferred to a later tick
});

test("maxSteps stops mid-epoch and a schedule sets the rate of each epoch", async () => {
  const { rng, train, model, optimizer } = setup(7);
  const schedule = stepDecay({ initial: 0.2, dropEvery: 1, factor: 0.5 });
  const history = await fit(model, train, { epochs: 10, batchSize: 50, optimizer, rng, schedule, maxSteps: 7 });
  assert.deepEqual([history.steps, history.epochs, history.trainAccuracy.length], [7, 3, 3]);
  assert.deepEqual(history.learningRate, [0.2, 0.1, 0.05]);
  assert.equal(optimizer.learningRate, 0.05);
});

test("rejects NaN in the data, mismatched labels, and bad epochs or batchSize", async () => {
  const { rng, train, model, optimizer } = setup(8);
  const options: FitOptions = { epochs: 1, batchSize: 10, optimizer, rng };
  const x = train.x.clone();
  x.set(17, 1, NaN);
  await assert.rejects(fit(model, { x, y: train.y }, options), /fit train.x: found NaN at row 17, column 1/);
  await assert.rejects(
    fit(model, { x: Matrix.zeros(3, 2), y: new Int32Array(4) }, options),
    /fit train: x has 3 rows but y has 4 labels/,
  );
  await assert.rejects(fit(model, train, { ...options, epochs: 0 }), /fit: epochs must be a whole number ≥ 1, got 0/);
  await assert.rejects(
    fit(model, train, { ...options, batchSize: -1 }),
    /fit: batchSize must be a whole number ≥ 1, got -1/,
  );
  await assert.rejects(fit(model, train, { ...options, batchSize: 1000, dropLast: true }), InputError);
  const validation = { x: Matrix.full(2, 2, Infinity), y: new Int32Array(2) };
  await assert.rejects(
    fit(model, train, { ...options, validation }),
    /fit validation.x: found Infinity at row 0, column 0/,
  );
  x.set(17, 1, -Infinity);
  await assert.rejects(fit(model, { x, y: train.y }, options), /fit train.x: found -Infinity at row 17, column 1/);
});

test("rejects an empty training or validation set before the first step", async () => {
  const { rng, train, model, optimizer } = setup(8);
  const options: FitOptions = { epochs: 1, batchSize: 10, optimizer, rng };
  const empty = { x: Matrix.zeros(0, 2), y: new Int32Array(0) };
  await assert.rejects(fit(model, empty, options), /^InputError: fit train.x: got an empty batch \[0, 2\]/);
  await assert.rejects(
    fit(model, train, { ...options, validation: empty }),
    /^InputError: fit validation.x: got an empty batch \[0, 2\]/,
  );
  assert.equal(optimizer.stepCount, 0);
});

test("a loss that explodes while staying finite stops at the default threshold 1e3 · max(1, first loss)", async () => {
  const { rng, train, model, optimizer } = setup(9, 1e4, 20); // α = 10⁴: logits grow to ~10⁵, the loss stays finite
  const error = await fit(model, train, { epochs: 5, batchSize: 10, optimizer, rng }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof TrainingDivergedError, String(error));
  const { history, step, loss } = error;
  assert.ok(
    Number.isFinite(loss) && loss > 1e3 * Math.max(1, history.loss[0]),
    `loss ${loss}, first ${history.loss[0]}`,
  );
  assert.equal(history.loss[step - 1], loss);
  assert.ok(
    history.loss.slice(0, -1).every((l) => l <= 1e3 * Math.max(1, history.loss[0])),
    "earlier steps stayed under the threshold",
  );
});

/** The same exploding run (learning rate 1e4) with a given divergence threshold: 5 epochs of 6 steps. */
function explodingRun(divergenceThreshold: number) {
  const { rng, train, model, optimizer } = setup(9, 1e4, 20);
  return fit(model, train, { epochs: 5, batchSize: 10, optimizer, rng, divergenceThreshold });
}

test("divergenceThreshold: Infinity lets the same exploding run finish; a low threshold stops early", async () => {
  const history = await explodingRun(Infinity);
  assert.equal(history.steps, 5 * 6);
  assert.ok(Math.max(...history.loss) > 1e3 * Math.max(1, history.loss[0]), "the run did explode");
  const error = await explodingRun(5).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(
    error instanceof TrainingDivergedError && error.loss > 5 && error.history.loss.slice(0, -1).every((l) => l <= 5),
    String(error),
  );
});

test("a healthy run never trips the default threshold, and a threshold ≤ 0 is rejected", async () => {
  const { rng, train, model, optimizer } = setup(10);
  const history = await fit(model, train, { epochs: 3, batchSize: 16, optimizer, rng });
  assert.equal(history.epochs, 3);
  await assert.rejects(
    fit(model, train, { epochs: 1, batchSize: 16, optimizer, rng, divergenceThreshold: 0 }),
    /divergenceThreshold must be > 0/,
  );
});
