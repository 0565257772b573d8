/**
 * "Noisy BatchNorm" (Santurkar et al. 2018, §2.1): after a BatchNorm layer, inject a random,
 * ever-changing distribution shift, so that the next layer's input distribution moves at every
 * step — deliberately MORE internal covariate shift than a network without BN has.
 *
 * Training (one draw per forward pass, i.e. per step, per feature j):
 *   scale_j ~ U(1/maxScale, maxScale),  shift_j ~ U(−maxShift, maxShift)
 *   out_ij = scale_j · x_ij + shift_j          x, out: [N, D]
 *   dX_ij  = scale_j · dOut_ij
 * Evaluation: out = x (no noise). A simplification of the paper, which draws noise per example
 * from a distribution whose moments are resampled every step; the per-step, per-feature shift
 * and scale here keep the point: the moments of every unit change all the time.
 */
import {
  assertMatrix,
  assertNonEmpty,
  assertPositive,
  assertPositiveInteger,
  assertRng,
  assertShape,
  InputError,
  missingForward,
  type Shaped,
} from "../core/checks";
import { Matrix } from "../core/matrix";
import type { Rng, RngState } from "../core/random";
import { Module } from "../layers/layer";

/** Options of `DistributionNoise`. */
export interface DistributionNoiseOptions {
  /** The seeded generator of the noise. */
  rng: Rng;
  /** Shifts are drawn from U(−maxShift, maxShift) (default 1). */
  maxShift?: number;
  /** Scales are drawn from U(1/maxScale, maxScale) (default 2; must be ≥ 1). */
  maxScale?: number;
}

/** A random per-feature scale and shift, redrawn at every training forward; identity in eval mode. */
export class DistributionNoise extends Module {
  readonly name: string;
  readonly maxShift: number;
  readonly maxScale: number;
  private readonly rng: Rng;
  private scale: Matrix | null = null; // [1, D] of the last training forward; null after an eval forward
  private scaleBeforeForward: Matrix | null = null; // see beginForward (scratch)
  private rngBeforeForward: RngState | null = null; // see beginForward (scratch)

  constructor(
    readonly numFeatures: number,
    options: DistributionNoiseOptions,
  ) {
    super();
    this.name = `DistributionNoise(${numFeatures})`;
    assertPositiveInteger(numFeatures, "numFeatures", "DistributionNoise");
    if (options === undefined || options.rng === undefined)
      throw new InputError(`${this.name}: pass a seeded generator, { rng: makeRng(1337) }.`);
    assertRng(options.rng, `${this.name} options.rng`);
    const { rng, maxShift = 1, maxScale = 2 } = options;
    if (!(maxShift >= 0)) throw new InputError(`${this.name}: maxShift must be ≥ 0, got ${maxShift}.`);
    assertPositive(maxScale, "maxScale", this.name);
    if (maxScale < 1)
      throw new InputError(
        `${this.name}: maxScale must be ≥ 1 (scales are drawn from [1/maxScale, maxScale]), got ${maxScale}.`,
      );
    this.rng = rng;
    this.maxShift = maxShift;
    this.maxScale = maxScale;
  }

  /** inputSize: this layer keeps the width (declared, so `Sequential` can tell it from a layer that does not say). */
  override outputSize(inputSize: number): number {
    return inputSize;
  }

  /** Remembers the scale a forward replaces and where the generator stands (see `Layer.beginForward`). */
  override beginForward(): void {
    this.scaleBeforeForward = this.scale;
    this.rngBeforeForward = this.rng.getState();
  }

  /** When the batch was rejected: puts back the scale and rewinds the generator; then forgets both. */
  override endForward(accepted: boolean): void {
    if (!accepted) {
      this.scale = this.scaleBeforeForward;
      if (this.rngBeforeForward !== null) this.rng.setState(this.rngBeforeForward);
    }
    this.scaleBeforeForward = null;
    this.rngBeforeForward = null;
  }

  /** x: [N, D] → scale ⊙ x + shift (training) or x (evaluation). */
  forward(x: Matrix): Matrix {
    assertMatrix(x, `${this.name}.forward x`);
    this.checkInput(x);
    if (!this.training) {
      this.scale = null;
      return x;
    }
    const scale = Matrix.zeros(1, this.numFeatures).map(() => this.rng.uniform(1 / this.maxScale, this.maxScale));
    const shift = Matrix.zeros(1, this.numFeatures).map(() => this.rng.uniform(-this.maxShift, this.maxShift));
    this.scale = scale;
    return x.mulRow(scale).addRow(shift);
  }

  /** dOut: [N, D] → dX = scale ⊙ dOut (or dOut after an eval forward). No parameters. */
  /** The checks of `forward`: x is a non-empty [N, numFeatures]. */
  override checkInput(x: Shaped): void {
    assertNonEmpty(x, `${this.name}.forward x`);
    assertShape(x, [null, this.numFeatures], `${this.name}.forward x`);
  }

  backward(dOut: Matrix): Matrix {
    assertMatrix(dOut, `${this.name}.backward dOut`);
    if (this.training && this.scale === null) return missingForward(`${this.name}.backward`);
    return this.scale === null ? dOut : dOut.mulRow(this.scale);
  }
}
