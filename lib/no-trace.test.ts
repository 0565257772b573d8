/**
 * "A rejected call leaves no trace", for every stateful public call: warm the objects up (so
 * caches, running statistics and optimizer buffers hold real numbers), snapshot everything
 * reachable from them bit for bit, make the call fail, and compare.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "./core/checks";
import { Matrix } from "./core/matrix";
import { makeRng, type Rng } from "./core/random";
import { gradcheckParameters, numericalGradient, numericalGradientOf } from "./gradcheck";
import { ReLU, Sigmoid, Tanh } from "./layers/activations";
import { Dropout } from "./layers/dropout";
import type { Layer } from "./layers/layer";
import { softmaxCrossEntropy } from "./layers/losses";
import { Linear } from "./layers/linear";
import { mlp } from "./models/mlp";
import { BatchNorm1d } from "./normalization/batchnorm1d";
import { LayerNorm } from "./normalization/layernorm";
import { calibrateBatchNorm } from "./normalization/population-statistics";
import { runningAverage } from "./normalization/running-statistics";
import { Adam } from "./optim/adam";
import { MomentumEWA } from "./optim/momentum-ewa";
import type { OptimizerBase } from "./optim/optimizer";
import { RMSprop } from "./optim/rmsprop";
import { SGD } from "./optim/sgd";
import { batches } from "./train/batches";
import { fit } from "./train/fit";
import { trainStep } from "./train/step";
import { internalCovariateShift } from "./experiments/ics";
import { lossAlongGradient } from "./experiments/landscape";
import { layerOutputs, traceStep } from "./experiments/trace";
import { useFastKernels, useReferenceKernels } from "./fast/kernels";
import { assertSameState, snapshotState } from "./core/test-state";

/** One failing call: the objects it could change, the call, and what its error must say. */
interface Case {
  roots: unknown[];
  call: () => unknown;
  message: RegExp;
  inputError?: boolean; // default true; false when the error is the caller's own (a throwing loss)
}

function batch(rng: Rng, rows: number, cols: number): Matrix {
  return new Matrix(rows, cols, rng.normalArray(rows * cols, 0.4, 1.3));
}

/** A BN MLP 4 → 5 → 3 → 3 with γ, β ≠ 0, warmed by one forward and backward. */
function warmModel(rng: Rng) {
  const model = mlp({ inputSize: 4, hiddenSizes: [5, 3], outputSize: 3, batchNorm: true, rng });
  for (const p of model.parameters()) if (p.value.rows === 1) p.value.data.set(rng.normalArray(p.value.size, 0.3, 0.8));
  model.forward(batch(rng, 6, 4));
  model.backward(batch(rng, 6, 3));
  return model;
}

/** Every layer kind, warmed by one forward and backward on [6, 4]. */
function warmLayers(rng: Rng): Layer[] {
  const layers: Layer[] = [
    new Linear(4, 4, { rng }),
    new ReLU(),
    new Sigmoid(),
    new Tanh(),
    new Dropout(0.3, { rng: makeRng(3) }),
    new BatchNorm1d(4),
    new BatchNorm1d(4, { trainingVariance: "unbiased" }),
    new LayerNorm(4),
    warmModel(rng),
  ];
  for (const layer of layers) {
    const width = layer === layers[8] ? 3 : 4;
    layer.forward(batch(rng, 6, 4));
    layer.backward(batch(rng, 6, width));
  }
  return layers;
}

function layerCases(): [string, () => Case][] {
  const cases: [string, () => Case][] = [];
  for (const [k, name] of [
    "Linear",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "Dropout",
    "BatchNorm1d",
    "BatchNorm1d unbiased",
    "LayerNorm",
    "Sequential",
  ].entries()) {
    const setup = () => ({ rng: makeRng(20 + k), layer: warmLayers(makeRng(20 + k))[k] });
    cases.push([
      `${name}.forward(nested arrays)`,
      () => {
        const { rng, layer } = setup();
        return {
          roots: [layer],
          call: () => layer.forward(batch(rng, 3, 4).toArray() as never),
          message: /forward x: expected a Matrix, got nested arrays/,
        };
      },
    ]);
    cases.push([
      `${name}.forward(empty batch)`,
      () => {
        const { layer } = setup();
        return {
          roots: [layer],
          call: () => layer.forward(new Matrix(0, 4)),
          message: /forward x: got an empty batch/,
        };
      },
    ]);
    cases.push([
      `${name}.backward(wrong shape)`,
      () => {
        const { rng, layer } = setup();
        return {
          roots: [layer],
          call: () => layer.backward(batch(rng, 5, 3)),
          message: /\.backward dOut: expected shape/,
        };
      },
    ]);
    cases.push([
      `${name}.backward(null)`,
      () => {
        const { layer } = setup();
        return {
          roots: [layer],
          call: () => layer.backward(null as never),
          message: /backward dOut: expected a Matrix, got null/,
        };
      },
    ]);
  }
  for (const unbiased of [false, true]) {
    const bn = () => ({ rng: makeRng(30), layer: warmLayers(makeRng(30))[unbiased ? 6 : 5] as BatchNorm1d });
    cases.push([
      `BatchNorm1d${unbiased ? " unbiased" : ""}.forward(batch of 1)`,
      () => {
        const { rng, layer } = bn();
        return {
          roots: [layer],
          call: () => layer.forward(batch(rng, 1, 4)),
          message: /^BatchNorm1d\(4\)\.forward: expected more than 1 value per feature/,
        };
      },
    ]);
    cases.push([
      `BatchNorm1d${unbiased ? " unbiased" : ""}.forward(NaN batch)`,
      () => {
        const { rng, layer } = bn();
        const x = batch(rng, 5, 4);
        x.set(2, 1, NaN);
        return {
          roots: [layer],
          call: () => layer.forward(x),
          message: /^BatchNorm1d\(4\)\.forward x: found NaN at row 2, column 1/,
        };
      },
    ]);
  }
  return cases;
}

function sequentialCases(): [string, () => Case][] {
  return [
    [
      "Sequential.forward(batch of 1 reaching a BatchNorm)",
      () => {
        const model = warmModel(makeRng(40));
        return {
          roots: [model],
          call: () => model.forward(batch(makeRng(41), 1, 4)),
          message: /^BatchNorm1d\(5\)\.forward: expected more than 1 value/,
        };
      },
    ],
    [
      "Sequential.forward(NaN batch, BatchNorm inside)",
      () => {
        const model = warmModel(makeRng(42));
        const x = batch(makeRng(43), 4, 4);
        x.set(3, 0, -Infinity);
        return {
          roots: [model],
          call: () => model.forward(x),
          message: /^Sequential\.forward x .*found -Infinity at row 3, column 0/,
        };
      },
    ],
    [
      "Sequential.forward(wrong width)",
      () => {
        const model = warmModel(makeRng(44));
        return {
          roots: [model],
          call: () => model.forward(batch(makeRng(45), 4, 5)),
          message: /^Linear\(4→5\)\.forward x: expected shape \[N, 4\], got \[4, 5\]/,
        };
      },
    ],
  ];
}

function trainingCases(): [string, () => Case][] {
  const setup = (seed: number) => {
    const model = warmModel(makeRng(seed));
    const optimizer = new SGD(model.parameters(), { learningRate: 0.1, momentum: 0.9 });
    trainStep(model, optimizer, batch(makeRng(seed + 1), 6, 4), Int32Array.from([0, 1, 2, 0, 1, 2]));
    return { model, optimizer, x: batch(makeRng(seed + 2), 4, 4) };
  };
  const data = (seed: number, rows: number) => ({
    x: batch(makeRng(seed), rows, 4),
    y: Int32Array.from({ length: rows }, (_, i) => i % 3),
  });
  return [
    [
      "trainStep(label out of range)",
      () => {
        const { model, optimizer, x } = setup(50);
        return {
          roots: [model, optimizer],
          call: () => trainStep(model, optimizer, x, Int32Array.from([0, 7, 1, 2])),
          message: /^trainStep yBatch: labels\[1\] = 7, .*\[0, 3\)/,
        };
      },
    ],
    [
      "trainStep(fractional label in a number[])",
      () => {
        const { model, optimizer, x } = setup(51);
        return {
          roots: [model, optimizer],
          call: () => trainStep(model, optimizer, x, [0, 1, 1.5, 2] as never),
          message: /^trainStep yBatch: labels\[2\] = 1\.5/,
        };
      },
    ],
    [
      "trainStep(NaN in x)",
      () => {
        const { model, optimizer, x } = setup(52);
        x.set(1, 2, NaN);
        return {
          roots: [model, optimizer],
          call: () => trainStep(model, optimizer, x, Int32Array.from([0, 1, 2, 0])),
          message: /^Sequential\.forward x .*: found NaN at row 1, column 2/,
        };
      },
    ],
    [
      "trainStep(x of the wrong width)",
      () => {
        const { model, optimizer } = setup(53);
        return {
          roots: [model, optimizer],
          call: () => trainStep(model, optimizer, batch(makeRng(1), 4, 3), Int32Array.from([0, 1, 2, 0])),
          message: /^Linear\(4→5\)\.forward x: expected shape/,
        };
      },
    ],
    [
      "fit(one bad label)",
      () => {
        const { model, optimizer } = setup(54);
        const train = data(55, 12);
        train.y[9] = 3;
        const rng = makeRng(56);
        return {
          roots: [model, optimizer, rng],
          call: () => fit(model, train, { epochs: 2, batchSize: 4, optimizer, rng }),
          message: /^fit train\.y: labels\[9\] = 3/,
        };
      },
    ],
    [
      "fit(validation of the wrong width)",
      () => {
        const { model, optimizer } = setup(57);
        const validation = { x: batch(makeRng(58), 5, 6), y: new Int32Array(5) };
        const rng = makeRng(59);
        return {
          roots: [model, optimizer, rng],
          call: () => fit(model, data(60, 12), { epochs: 2, batchSize: 4, optimizer, rng, validation }),
          message: /^fit validation\.x: has 6 features/,
        };
      },
    ],
    [
      "fit(a last batch of 1 reaching a BatchNorm)",
      () => {
        const { model, optimizer } = setup(61);
        const rng = makeRng(62);
        return {
          roots: [model, optimizer, rng],
          call: () => fit(model, data(63, 9), { epochs: 1, batchSize: 4, optimizer, rng }),
          message: /^BatchNorm1d\(5\)\.forward: expected more than 1 value/,
        };
      },
    ],
  ];
}

function optimizerCases(): [string, () => Case][] {
  const makers: [string, (model: ReturnType<typeof warmModel>) => OptimizerBase][] = [
    ["SGD", (m) => new SGD(m.parameters(), { learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3 })],
    ["MomentumEWA", (m) => new MomentumEWA(m.parameters(), { learningRate: 0.1, biasCorrection: true })],
    ["RMSprop", (m) => new RMSprop(m.parameters(), { learningRate: 0.01 })],
    ["Adam", (m) => new Adam(m.parameters(), { weightDecay: 1e-3 })],
  ];
  return makers.map(([name, make]) => [
    `${name}.step(NaN gradient)`,
    () => {
      const model = warmModel(makeRng(70));
      const optimizer = make(model);
      optimizer.step(); // buffers hold numbers now
      model.parameters()[1].grad.set(0, 1, NaN);
      return {
        roots: [model, optimizer],
        call: () => optimizer.step(),
        message: new RegExp(`^${name}\\.step gradient of "1\\.gamma": found NaN at row 0, column 1`),
      };
    },
  ]);
}

function checkAndDataCases(): [string, () => Case][] {
  const throwingLoss = (after: number) => {
    let calls = 0;
    return () => {
      if (++calls > after) throw new Error("boom");
      return 1;
    };
  };
  return [
    [
      "numericalGradientOf(loss that throws)",
      () => {
        const values = batch(makeRng(80), 3, 3);
        return {
          roots: [values],
          call: () => numericalGradientOf(throwingLoss(5), values),
          message: /boom/,
          inputError: false,
        };
      },
    ],
    [
      "numericalGradient(h = 0)",
      () => {
        const x = batch(makeRng(81), 2, 2);
        return {
          roots: [x],
          call: () => numericalGradient((v) => v, x, x, 0),
          message: /^numericalGradient: the step h must be a finite number > 0, got 0/,
        };
      },
    ],
    [
      "gradcheckParameters(computeLoss that throws)",
      () => {
        const model = warmModel(makeRng(82));
        const x = batch(makeRng(83), 6, 4),
          y = Int32Array.from([0, 1, 2, 0, 1, 2]);
        const loss = throwingLoss(7);
        const gradients = () => {
          model.zeroGrad();
          model.backward(softmaxCrossEntropy(model.forward(x), y).dLogits);
        };
        model.eval(); // a forward in eval mode changes no running statistic: only the check itself could leave a trace
        return {
          roots: [model.parameters()],
          call: () => gradcheckParameters(model.parameters(), loss, gradients),
          message: /boom/,
          inputError: false,
        };
      },
    ],
    [
      "gradcheckParameters(h = NaN)",
      () => {
        const model = warmModel(makeRng(84));
        return {
          roots: [model],
          call: () =>
            gradcheckParameters(
              model.parameters(),
              () => 0,
              () => model.zeroGrad(),
              { h: NaN },
            ),
          message: /^gradcheckParameters: the step h must be a finite number > 0, got NaN/,
        };
      },
    ],
    [
      "batches(seed number as rng)",
      () => {
        const dataset = { x: batch(makeRng(85), 4, 2), y: new Int32Array(4) };
        return {
          roots: [dataset],
          call: () => batches(dataset, { batchSize: 2, rng: 42 as never }),
          message:
            /^batches options\.rng: expected a generator from makeRng\(seed\), got the number 42; pass makeRng\(42\)/,
        };
      },
    ],
    [
      "batches(fractional batchSize)",
      () => {
        const dataset = { x: batch(makeRng(86), 4, 2), y: new Int32Array(4) };
        const rng = makeRng(87);
        return {
          roots: [dataset, rng],
          call: () => batches(dataset, { batchSize: 1.5, rng }),
          message: /^batches: batchSize must be a whole number/,
        };
      },
    ],
    [
      "runningAverage(NaN batch, in place)",
      () => {
        const running = batch(makeRng(88), 1, 3),
          bad = Matrix.row([1, Infinity, 2]);
        return {
          roots: [running],
          call: () => runningAverage(running, bad, 0.1, running),
          message: /^runningAverage batch: found Infinity at row 0, column 1/,
        };
      },
    ],
    [
      "calibrateBatchNorm(NaN in the second batch)",
      () => {
        const layer = warmLayers(makeRng(89))[5] as BatchNorm1d;
        const second = batch(makeRng(90), 3, 4);
        second.set(1, 3, NaN);
        return {
          roots: [layer],
          call: () => calibrateBatchNorm(layer, [batch(makeRng(91), 3, 4), second]),
          message: /^populationStatistics batch 1: found NaN at row 1, column 3/,
        };
      },
    ],
    [
      "Matrix.matmul(out aliasing an operand)",
      () => {
        const a = batch(makeRng(92), 3, 3),
          b = batch(makeRng(93), 3, 3);
        return {
          roots: [a, b],
          call: () => a.matmul(b, a),
          message: /^Matrix\.matmul: out shares memory with an operand/,
        };
      },
    ],
    [
      "Matrix.selectRows(index out of range, into out)",
      () => {
        const m = batch(makeRng(94), 3, 2),
          out = batch(makeRng(95), 2, 2);
        return {
          roots: [m, out],
          call: () => m.selectRows([0, 5], out),
          message: /^Matrix\.selectRows indices: index 5 \(position 1\) is outside 0…2/,
        };
      },
    ],
  ];
}

function experimentCases(): [string, () => Case][] {
  const setup = (seed: number) => ({ model: warmModel(makeRng(seed)), x: batch(makeRng(seed + 1), 4, 4) });
  return [
    [
      "traceStep(label out of range)",
      () => {
        const { model, x } = setup(100);
        return {
          roots: [model],
          call: () => traceStep(model, x, [0, 1, 2, 3]),
          message: /^traceStep labels: labels\[3\] = 3/,
        };
      },
    ],
    [
      "layerOutputs(batch of 1 reaching a BatchNorm)",
      () => {
        const { model } = setup(101);
        return {
          roots: [model],
          call: () => layerOutputs(model, batch(makeRng(1), 1, 4)),
          message: /^BatchNorm1d\(5\)\.forward: expected more than 1 value/,
        };
      },
    ],
    [
      "lossAlongGradient(NaN in x)",
      () => {
        const { model, x } = setup(102);
        x.set(0, 3, NaN);
        return {
          roots: [model],
          call: () => lossAlongGradient(model, x, [0, 1, 2, 0], [0.1]),
          message: /^lossAlongGradient x \(BatchNorm1d\(5\) would store it\): found NaN at row 0, column 3/,
        };
      },
    ],
    [
      "internalCovariateShift(labels of the wrong length)",
      () => {
        const { model, x } = setup(103);
        return {
          roots: [model],
          call: () => internalCovariateShift(model, x, [0, 1], { layer: 3, learningRate: 0.1 }),
          message: /^internalCovariateShift labels: expected 4 labels/,
        };
      },
    ],
  ];
}

const allCases = [
  ...layerCases(),
  ...sequentialCases(),
  ...trainingCases(),
  ...optimizerCases(),
  ...checkAndDataCases(),
  ...experimentCases(),
];
for (const [kernelSet, select] of [
  ["readable kernels", useReferenceKernels],
  ["fast kernels", () => useFastKernels()],
] as const) {
  for (const [name, make] of allCases) {
    test(`rejected, no trace (${kernelSet}): ${name}`, async () => {
      select(); // BatchNorm's fused passes and their workspace, or the readable functions
      try {
        const { roots, call, message, inputError = true } = make();
        const before = snapshotState(...roots);
        // eslint-disable-next-line @typescript-eslint/require-await -- so a synchronous throw rejects
        const attempt = async () => call();
        await assert.rejects(attempt, (error: Error) => {
          assert.ok(
            !inputError || error instanceof InputError,
            `expected an InputError, got ${error.name}: ${error.message}`,
          );
          assert.match(error.message, message);
          return true;
        });
        assertSameState(before, snapshotState(...roots), name);
      } finally {
        useReferenceKernels();
      }
    });
  }
}
