/**
 * A typed search space and the trials drawn from it (grid search, random search).
 *
 *   const space = { learningRate: logUniform(1e-4, 1), beta: oneMinusLogUniform(0.9, 0.999), hiddenSize: choice([32,
 *   64]) };
 *   const trials = randomTrials(space, { count: 20, seed: 1 });   // trials[k].config.learningRate: number
 *
 * Every trial carries its own `seed` = trialSeed(searchSeed, id), so a trial trains the same
 * model whichever process runs it and whatever ran before it.
 */
import { InputError, assertPositiveInteger } from "../core/checks";
import { makeRng } from "../core/random";
import type { Dimension, ParameterValue } from "./dimensions";

/** Hyperparameter name → its dimension. */
export type SearchSpace = { readonly [name: string]: Dimension<number> | Dimension<string> | Dimension<boolean> };

/** The configuration a space produces: `{ learningRate: number, optimizer: string, … }`. */
export type ConfigOf<S extends SearchSpace> = { [K in keyof S]: S[K] extends Dimension<infer T> ? T : never };

/** Any configuration (what a trial function receives). */
export type TrialConfig = Record<string, ParameterValue>;

/** One point of the space to train and evaluate. */
export interface Trial<C extends TrialConfig = TrialConfig> {
  /** 0, 1, 2, … in the order the trials were made (continues across coarse-to-fine rounds). */
  id: number;
  /** Seeds everything the trial draws (initial weights, shuffles): makeRng(seed). */
  seed: number;
  /** Round of a coarse-to-fine search (0 otherwise). */
  round: number;
  config: C;
}

/**
 * The seed of trial `id` in a search seeded with `searchSeed`: a splitmix32 hash of both, so
 * nearby ids get unrelated seeds and the value never depends on the order trials are run in.
 */
export function trialSeed(searchSeed: number, id: number): number {
  let z = (Math.imul(Math.trunc(searchSeed) | 0, 0x9e3779b9) + Math.imul(id + 1, 0x85ebca6b)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return ((z ^ (z >>> 16)) >>> 0) % 2147483647;
}

/** Options of `randomTrials`. */
export interface RandomTrialsOptions {
  /** The trial budget (a whole number ≥ 1). */
  count: number;
  /** Seeds the sampling of configurations and each trial's own seed. */
  seed: number;
  /** First trial id (default 0; coarse-to-fine continues the numbering). */
  firstId?: number;
  /** Round number stored in each trial (default 0). */
  round?: number;
}

/** Random search: `count` configurations, each dimension sampled independently on its own scale. */
export function randomTrials<S extends SearchSpace>(
  space: S,
  { count, seed, firstId = 0, round = 0 }: RandomTrialsOptions,
): Trial<ConfigOf<S>>[] {
  assertPositiveInteger(count, "count", "randomTrials");
  const names = checkSpace(space, "randomTrials");
  const rng = makeRng(trialSeed(seed, -1 - round)); // the sampling stream, apart from the trial seeds
  return Array.from({ length: count }, (_, k) => {
    const config: TrialConfig = {};
    for (const name of names) config[name] = space[name].sample(rng);
    return { id: firstId + k, seed: trialSeed(seed, firstId + k), round, config: config as ConfigOf<S> };
  });
}

/** Options of `gridTrials`. */
export interface GridTrialsOptions {
  /** Points per continuous dimension: one number for all, or per name (choice dimensions use all their values). */
  points: number | Record<string, number>;
  /** Seeds each trial's own seed. */
  seed: number;
}

/**
 * Grid search: every combination of each dimension's `grid(points)`, the first dimension
 * varying slowest. n points on each of d dimensions cost nᵈ trials yet try only n values of each.
 */
export function gridTrials<S extends SearchSpace>(space: S, { points, seed }: GridTrialsOptions): Trial<ConfigOf<S>>[] {
  const names = checkSpace(space, "gridTrials");
  const axes = names.map(
    (name) => space[name].grid(typeof points === "number" ? points : (points[name] ?? 1)) as ParameterValue[],
  );
  let configs: TrialConfig[] = [{}];
  names.forEach((name, d) => {
    configs = configs.flatMap((partial) => axes[d].map((value) => ({ ...partial, [name]: value })));
  });
  return configs.map((config, id) => ({ id, seed: trialSeed(seed, id), round: 0, config: config as ConfigOf<S> }));
}

/** One line per dimension: "learningRate: logUniform(0.0001, 1)". */
export function describeSpace(space: SearchSpace): string {
  return Object.keys(space)
    .map((name) => `${name}: ${space[name].describe()}`)
    .join("\n");
}

function checkSpace(space: SearchSpace, where: string): string[] {
  const names = Object.keys(space ?? {});
  if (names.length === 0)
    throw new InputError(`${where}: the search space is empty; e.g. { learningRate: logUniform(1e-4, 1) }.`);
  for (const name of names) {
    if (typeof space[name]?.sample !== "function") {
      throw new InputError(
        `${where}: "${name}" is not a dimension; use uniform, logUniform, oneMinusLogUniform, integer or choice.`,
      );
    }
  }
  return names;
}
