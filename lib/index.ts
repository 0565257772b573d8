/**
 * batchnorm-lab: a small, exact float64 library for teaching Batch Normalization.
 * Notebooks load it with one line: `import * as lab from "..";` (after `npm run build`).
 *
 * This is the teaching API, by name: what the notebooks, the docs and the README use, grouped in
 * the order the course meets it (lib/README.md draws the floors behind it). Input checks, workspaces,
 * kernel internals, tuning constants and option types are in `lib/internal.ts`, for tests and tools.
 * The notebook display helpers (which need tslab) live apart, in `lib/notebook/`.
 * Importing this module selects the fast kernels (`useFastKernels()`, see lib/fast/kernels.ts).
 */

// Matrices, randomness, parameters
export { Matrix } from "./core/matrix";
export { makeRng, type Rng, type RngState } from "./core/random";
export { Parameter } from "./core/parameter";
export { InputError } from "./core/checks";
export { exp, log, tanh, exp10, cosSinTurns } from "./core/math";

// Layers, losses, initialization, and the model builder
export { Module, type Layer } from "./layers/layer";
export { Linear } from "./layers/linear";
export { ReLU, Sigmoid, Tanh } from "./layers/activations";
export { Dropout } from "./layers/dropout";
export { Sequential } from "./layers/sequential";
export { softmaxCrossEntropy, meanSquaredError } from "./layers/losses";
export { initGaussian, initHe, initXavier } from "./layers/init";
export { mlp } from "./models/mlp";

// Batch normalization: pure functions, the layer, test time, and LayerNorm
export {
  batchNormForward,
  batchNormBackward,
  batchNormInference,
  batchNormInferenceBackward,
  type BatchNormCache,
} from "./normalization/batchnorm-functional";
export { batchNormBackwardStaged } from "./normalization/batchnorm-staged";
export { BatchNorm1d } from "./normalization/batchnorm1d";
export { populationStatistics, calibrateBatchNormLayers } from "./normalization/population-statistics";
export { foldBatchNorm } from "./normalization/fold";
export { layerNormForward, layerNormBackward } from "./normalization/layernorm-functional";
export { LayerNorm } from "./normalization/layernorm";
export { BatchNorm2d, toChannelsLast, fromChannelsLast } from "./normalization/batchnorm2d";

// Gradient checking
export {
  numericalGradient,
  numericalGradientOf,
  relError,
  normRatio,
  allclose,
  maxAbsDiff,
  gradcheckParameters,
  formatGradcheckReport,
} from "./gradcheck";

// Optimizers and learning-rate schedules
export type { Optimizer } from "./optim/optimizer";
export { SGD } from "./optim/sgd";
export { MomentumEWA } from "./optim/momentum-ewa";
export { RMSprop } from "./optim/rmsprop";
export { Adam } from "./optim/adam";
export { stepDecay, exponentialDecay, inverseTimeDecay, type LearningRateSchedule } from "./optim/schedules";

// Training and evaluation
export { trainStep } from "./train/step";
export { fit } from "./train/fit";
export { TrainingDivergedError, type History } from "./train/history";
export { accuracy, evaluate } from "./train/metrics";

// Data
export type { Dataset } from "./data/dataset";
export { makeSpiral, makeMoons, makeCircles, makeBlobs } from "./data/synthetic";
export { standardize, trainValidationSplit, subsetDataset } from "./data/preprocess";
export { loadMnist } from "./data/mnist";

// Figures (plotly figure objects; `show.plot` from lib/notebook draws them)
export type { Series } from "./plots/figure";
export { lineChart, logLogChart, histogram, barChart, heatmap } from "./plots/charts";
export { classScatter, decisionBoundary } from "./plots/classes";
export { trainingCurves, percentileBands } from "./plots/training";
export { sideBySide } from "./plots/subplots";
export { sliderFigure, type SliderStep } from "./plots/explorable";

// Experiments: diagnostics, internal covariate shift, noise, the loss landscape
export { activationDiagnostics, weightDiagnostics, type ActivationDiagnostics } from "./experiments/diagnostics";
export {
  valueStatistics,
  densityHistogram,
  percentilesOf,
  saturationFraction,
  updateToDataRatio,
} from "./experiments/statistics";
export { layerOutputs, traceStep, saveState, type StepTrace } from "./experiments/trace";
export { internalCovariateShift, gradientDifference } from "./experiments/ics";
export { lossAlongGradient } from "./experiments/landscape";
export { DistributionNoise } from "./experiments/noise";
export { PercentileTracker } from "./experiments/tracker";
export { seedSpread, differsBeyondNoise, type SeedSpread } from "./experiments/seeds";
export { trainModeAccuracy } from "./experiments/train-mode";

// Hyperparameter search
export { uniform, logUniform, oneMinusLogUniform, choice } from "./search/dimensions";
export { randomTrials, gridTrials, type Trial } from "./search/space";
export { runSearch, type EarlyStopRule, type TrialResult, type TrialStatus } from "./search/run";
export { runSearchParallel } from "./search/parallel";
export { bestResult, formatResults } from "./search/table";
export { coarseToFine, edgeWarnings } from "./search/coarse-to-fine";
export { searchScatter } from "./search/figures";
export { mlpTrial, trialData, builtInTrialsModule } from "./search/trials";

// Exercise checks
export { checkClose, checkGradient, checkIdenticallyZero, checkShape, checkTrue } from "./check/exercise";
export { expandPolynomial, isZeroPolynomial } from "./check/polynomial";

// Kernels: the slots behind the multiply and BatchNorm's training passes, and choosing what fills them
export { kernels } from "./core/gemm";
export { batchNormKernels } from "./normalization/batchnorm-kernels";
// lib/fast selects itself on import
export { useFastKernels, useReferenceKernels, batchNormForwardFused, batchNormBackwardFused } from "./fast";
export { Workspace } from "./core/workspace";
