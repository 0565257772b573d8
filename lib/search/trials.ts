/**
 * Ready-made trial functions for the notebooks and the benchmark. Workers load them from the
 * compiled library: `runSearchParallel(trials, { module: builtInTrialsModule, exportName: "mlpTrial" })`.
 * Data sets are made once per thread and cached.
 */
import { join } from "node:path";
import { InputError } from "../core/checks";
import type { Parameter } from "../core/parameter";
import type { Dataset } from "../data/dataset";
import { loadMnist } from "../data/mnist";
import { standardize, trainValidationSplit } from "../data/preprocess";
import { makeSpiral } from "../data/synthetic";
import { makeRng } from "../core/random";
import { mlp } from "../models/mlp";
import { Adam } from "../optim/adam";
import { MomentumEWA } from "../optim/momentum-ewa";
import type { Optimizer } from "../optim/optimizer";
import { RMSprop } from "../optim/rmsprop";
import { inverseTimeDecay } from "../optim/schedules";
import { SGD } from "../optim/sgd";
import { fit } from "../train/fit";
import type { TrialContext, TrialOutput } from "./run";
import type { TrialConfig } from "./space";

/** Path of this module once compiled (dist/lib/search/trials.js): what workers load. */
export const builtInTrialsModule: string = join(__dirname, "trials.js");

/**
 * The data sets `mlpTrial` knows: "spiral" (450 train / 150 validation, 2-D, 3 classes) or "mnist" (2 000 / 500, 784-D,
 * 10 classes).
 */
export type TrialDataName = "spiral" | "mnist";

const cache = new Map<TrialDataName, { train: Dataset; validation: Dataset; classes: number }>();

/** The fixed data of `mlpTrial` (seeded, the same in every thread). */
export function trialData(name: TrialDataName): { train: Dataset; validation: Dataset; classes: number } {
  let data = cache.get(name);
  if (!data) {
    if (name === "spiral") {
      const split = trainValidationSplit(makeSpiral({ pointsPerClass: 200, classes: 3, rng: makeRng(7) }), {
        validationFraction: 0.25,
        rng: makeRng(8),
      });
      data = { ...split, classes: 3 };
    } else if (name === "mnist") {
      const { train, test } = loadMnist({ trainLimit: 2000, testLimit: 500 });
      const scaler = standardize(train);
      data = { train: scaler.apply(train), validation: scaler.apply(test), classes: 10 };
    } else {
      throw new InputError(`mlpTrial: unknown dataset ${JSON.stringify(name)}; use "spiral" or "mnist".`);
    }
    cache.set(name, data);
  }
  return data;
}

function makeOptimizer(name: string, params: Parameter[], learningRate: number, beta: number): Optimizer {
  if (name === "sgd") return new SGD(params, { learningRate });
  if (name === "momentum") return new MomentumEWA(params, { learningRate, beta, biasCorrection: true });
  if (name === "rmsprop") return new RMSprop(params, { learningRate });
  if (name === "adam") return new Adam(params, { learningRate, beta1: beta });
  throw new InputError(
    `mlpTrial: optimizer must be "sgd", "momentum", "rmsprop" or "adam", got ${JSON.stringify(name)}.`,
  );
}

/**
 * Trains an MLP with `fit` and reports validation accuracy. Config (defaults in brackets):
 *   learningRate α (required), optimizer ["sgd" | "momentum" (EWA, bias-corrected) | "rmsprop" | "adam"],
 *   beta [0.9] (momentum β, Adam's β₁), hiddenSize [64], layers [2], batchSize [32],
 *   batchNorm [false], epochs [10], decayRate [0] (α = α₀ / (1 + decayRate·epoch)), dataset ["spiral"].
 * Returns validationAccuracy (last epoch), bestValidationAccuracy, trainAccuracy, finalLoss
 * (mean over the last epoch), and the curves validationCurve, lossCurve (mean loss per epoch).
 */
export async function mlpTrial(config: TrialConfig, context: TrialContext): Promise<TrialOutput> {
  const {
    learningRate,
    optimizer = "sgd",
    beta = 0.9,
    hiddenSize = 64,
    layers = 2,
    batchSize = 32,
    batchNorm = false,
    epochs = 10,
    decayRate = 0,
    dataset = "spiral",
  } = config;
  if (typeof learningRate !== "number") throw new InputError("mlpTrial: the config needs a numeric learningRate.");
  const { train, validation, classes } = trialData(dataset as TrialDataName);
  const hiddenSizes = Array.from({ length: Number(layers) }, () => Number(hiddenSize));
  const model = mlp({
    inputSize: train.x.cols,
    hiddenSizes,
    outputSize: classes,
    batchNorm: Boolean(batchNorm),
    rng: context.rng,
  });
  const history = await fit(model, train, {
    epochs: Number(epochs),
    batchSize: Number(batchSize),
    rng: context.rng,
    validation,
    optimizer: makeOptimizer(String(optimizer), model.parameters(), learningRate, Number(beta)),
    schedule:
      Number(decayRate) > 0 ? inverseTimeDecay({ initial: learningRate, decayRate: Number(decayRate) }) : undefined,
    onEpoch: context.onEpoch,
  });
  const perEpoch = history.loss.length / history.epochs;
  const lossCurve = Array.from({ length: history.epochs }, (_, e) =>
    mean(history.loss.slice(Math.round(e * perEpoch), Math.round((e + 1) * perEpoch))),
  );
  const validationCurve = history.validationAccuracy;
  return {
    validationAccuracy: validationCurve[validationCurve.length - 1],
    bestValidationAccuracy: Math.max(...validationCurve),
    trainAccuracy: history.trainAccuracy[history.trainAccuracy.length - 1],
    finalLoss: lossCurve[lossCurve.length - 1],
    validationCurve,
    lossCurve,
  };
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}
