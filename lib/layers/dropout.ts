/**
 * `Dropout`: inverted dropout (Srivastava et al. 2014, in the form PyTorch uses).
 *
 *   training   mask[i][j] = (uᵢⱼ ≥ p) / (1 − p),  uᵢⱼ ~ U[0, 1)   (kept with probability 1 − p)
 *              out = x ⊙ mask,   dX = dOut ⊙ mask
 *   eval       out = x,          dX = dOut
 *
 * Scaling the kept units by 1/(1 − p) during training keeps E[out] = x, so nothing
 * needs rescaling at evaluation time. Shapes: x, out, mask: [N, D].
 */
import { assertMatrix, assertOptions, assertRng, assertShape, InputError, missingForward, shown } from "../core/checks";
import { Matrix } from "../core/matrix";
import type { Rng, RngState } from "../core/random";
import { Module } from "./layer";

/** Options of `Dropout`: the seeded generator the masks are drawn from. */
export interface DropoutOptions {
  rng: Rng;
}

/** What `backward` needs from `forward`. */
interface DropoutCache {
  mask: Matrix; // [N, D]: 0 or 1/(1 − p) in training, all ones in eval
}

/** Inverted dropout with drop probability p ∈ [0, 1). See the file comment. */
export class Dropout extends Module {
  readonly name: string;
  private readonly rng: Rng;
  protected override cache: DropoutCache | undefined = undefined;
  private rngBeforeForward: RngState | null = null; // see beginForward (scratch)

  constructor(
    readonly p: number,
    options: DropoutOptions,
  ) {
    super();
    this.name = `Dropout(p=${p})`;
    if (!(typeof p === "number" && Number.isFinite(p) && p >= 0 && p < 1)) {
      throw new InputError(`Dropout: p is the probability of dropping a unit and must lie in [0, 1), got ${shown(p)}.`);
    }
    const example = `new Dropout(${p}, { rng: makeRng(1337) })`;
    if (options !== undefined)
      assertOptions(options, `${this.name} options`, `{ rng: makeRng(1337) }, as in ${example}`);
    if (options === undefined || options.rng === undefined)
      throw new InputError(`${this.name}: pass a seeded generator, e.g. ${example}.`);
    assertRng(options.rng, `${this.name} options.rng`);
    this.rng = options.rng;
  }

  /** inputSize: this layer keeps the width (declared, so `Sequential` can tell it from a layer that does not say). */
  override outputSize(inputSize: number): number {
    return inputSize;
  }

  /** Remembers the cache and where the generator stands (see `Layer.beginForward`). */
  override beginForward(): void {
    super.beginForward();
    this.rngBeforeForward = this.rng.getState();
  }

  /** When the batch was rejected: puts back the cache and rewinds the generator, so the next mask is as before. */
  override endForward(accepted: boolean): void {
    super.endForward(accepted);
    if (!accepted && this.rngBeforeForward !== null) this.rng.setState(this.rngBeforeForward);
    this.rngBeforeForward = null;
  }

  /** x: [N, D] → x ⊙ mask in training, x in eval. */
  forward(x: Matrix): Matrix {
    assertMatrix(x, `${this.name}.forward x`);
    this.checkInput(x);
    const keep = 1 - this.p;
    const mask = this.training
      ? x.map(() => (this.rng.uniform() >= this.p ? 1 / keep : 0)) // drop with probability p, scale the rest
      : Matrix.full(x.rows, x.cols, 1);
    this.cache = { mask };
    return x.mul(mask);
  }

  /** dOut: [N, D] → dX = dOut ⊙ mask (the same mask as the last forward). */
  backward(dOut: Matrix): Matrix {
    assertMatrix(dOut, `${this.name}.backward dOut`);
    if (this.cache === undefined) return missingForward(`${this.name}.backward`);
    const { mask } = this.cache;
    assertShape(
      dOut,
      [mask.rows, mask.cols],
      `${this.name}.backward dOut`,
      "dOut must have the shape of the last forward's output.",
    );
    return dOut.mul(mask);
  }
}
