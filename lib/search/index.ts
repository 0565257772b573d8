/**
 * search: hyperparameter (超参数) search — sampling on the right scale, grid and random search, coarse-to-fine, parallel
 * trials.
 */
export type { Dimension, DimensionKind, ParameterValue } from "./dimensions";
export { choice, integer, logUniform, oneMinusLogUniform, uniform } from "./dimensions";
export type { ConfigOf, GridTrialsOptions, RandomTrialsOptions, SearchSpace, Trial, TrialConfig } from "./space";
export { describeSpace, gridTrials, randomTrials, trialSeed } from "./space";
export type {
  EarlyStopRule,
  SearchOptions,
  TrialContext,
  TrialFunction,
  TrialOutput,
  TrialResult,
  TrialStatus,
} from "./run";
export { TrialStoppedError, earlyStopReason, runSearch, runTrial } from "./run";
export type { ParallelSearchOptions } from "./parallel";
export { runSearchParallel } from "./parallel";
export type { FormatResultsOptions, SortOptions } from "./table";
export { bestResult, formatResults, sortResults } from "./table";
export type { CoarseToFineOptions, EdgeWarningOptions, NarrowOptions, SearchRound } from "./coarse-to-fine";
export { coarseToFine, edgeWarnings, narrowSpace } from "./coarse-to-fine";
export type { ResultGroup, SearchScatterOptions } from "./figures";
export { searchScatter } from "./figures";
export type { TrialDataName } from "./trials";
export { builtInTrialsModule, mlpTrial, trialData } from "./trials";
