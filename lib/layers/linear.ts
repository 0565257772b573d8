/**
 * `Linear`: the fully connected layer.
 *
 *   forward    out = x·W + b                 x: [N, Din], W: [Din, Dout], b: [1, Dout], out: [N, Dout]
 *   backward   dW += xᵀ·dOut                 [Din, Dout]
 *              dB += Σᵢ dOut[i]              [1, Dout]  (sum over the batch)
 *              dX  = dOut·Wᵀ                 [N, Din]
 *
 * Note: PyTorch's `nn.Linear` stores its weight as `[Dout, Din]` and computes x·Wᵀ + b;
 * here W is `[Din, Dout]` (so that one example is one row), i.e. the transpose of PyTorch's.
 */
import {
  assertMatrix,
  assertNonEmpty,
  assertOptions,
  assertPositiveInteger,
  assertRng,
  assertShape,
  InputError,
  missingForward,
  type Shaped,
} from "../core/checks";
import { Matrix } from "../core/matrix";
import { Parameter } from "../core/parameter";
import type { Rng } from "../core/random";
import { initGaussian, initHe, initXavier } from "./init";
import { Module, type PassOptions } from "./layer";
import { layerKernels } from "./layer-kernels";

/** How to draw the initial weights: He (ReLU), Xavier (tanh/sigmoid) or N(0, scale²). See `init.ts`. */
export type LinearInit = "he" | "xavier" | { gaussian: number };

/** Options of `Linear`. The `rng` is required: every weight in the kit comes from a seed. */
export interface LinearOptions {
  /** Add a learned bias b (default true). Turn it off before BatchNorm, whose β makes b redundant. */
  bias?: boolean;
  /** The seeded generator the weights are drawn from, e.g. `makeRng(1337)`. */
  rng: Rng;
  /** Weight initialization (default "he"). The bias starts at 0. */
  init?: LinearInit;
}

/** What `backward` needs from `forward`. */
interface LinearCache {
  x: Matrix; // [N, Din], the input of the last forward (kept by reference, not copied)
}

/** The fully connected layer out = x·W + b. See the file comment for the formulas and shapes. */
export class Linear extends Module {
  readonly name: string;
  /** W: [inFeatures, outFeatures]. */
  readonly weight: Parameter;
  /** b: [1, outFeatures], or `undefined` when made with `bias: false` (check `hasBias` or narrow with `if`). */
  readonly bias: Parameter | undefined;
  protected override cache: LinearCache | undefined = undefined;
  // xᵀ·dOut of the last backward, reused: no allocation per step. Not `matmulTransposeA(dOut, grad, true)`:
  // the kernels add the product term by term, so grad + (xᵀ·dOut) would round differently from a sum of gradients.
  private dWeight: Matrix | undefined;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions,
  ) {
    super();
    this.name = `Linear(${inFeatures}→${outFeatures})`;
    assertPositiveInteger(inFeatures, "inFeatures", "Linear");
    assertPositiveInteger(outFeatures, "outFeatures", "Linear");
    const example = `new Linear(${inFeatures}, ${outFeatures}, { rng: makeRng(1337) })`;
    if (options !== undefined)
      assertOptions(options, `${this.name} options`, `{ rng: makeRng(1337) }, as in ${example}`);
    if (options === undefined || options.rng === undefined) {
      const alone =
        typeof (options as { normal?: unknown } | undefined)?.normal === "function"
          ? " (a generator passed alone goes inside the options: { rng })"
          : "";
      throw new InputError(`${this.name}: pass a seeded generator, e.g. ${example}${alone}.`);
    }
    assertRng(options.rng, `${this.name} options.rng`);
    const { bias = true, rng, init = "he" } = options;
    this.weight = new Parameter("weight", initialWeights(rng, inFeatures, outFeatures, init, this.name));
    this.bias = bias ? new Parameter("bias", Matrix.zeros(1, outFeatures)) : undefined;
  }

  /** True when the layer has a learned bias b. */
  get hasBias(): boolean {
    return this.bias !== undefined;
  }

  /** x: [N, inFeatures] → out = x·W + b: [N, outFeatures] (fresh, or this layer's buffer with `{ reuse: true }`). */
  forward(x: Matrix, options?: PassOptions): Matrix {
    assertMatrix(x, `${this.name}.forward x`);
    this.checkInput(x);
    this.cache = { x };
    const out = x.matmul(this.weight.value, this.resultMatrix("out", x.rows, this.outFeatures, options)); // x·W
    if (this.bias) layerKernels.addRow(out, this.bias.value); // + b, broadcast over the rows
    return out;
  }

  /** The checks of `forward`: x is a non-empty [N, inFeatures]. */
  override checkInput(x: Shaped): void {
    const where = `${this.name}.forward x`;
    assertNonEmpty(x, where);
    assertShape(x, [null, this.inFeatures], where, `${this.name} takes ${this.inFeatures} features per row.`);
  }

  /**
   * dOut: [N, outFeatures] → dX: [N, inFeatures] (fresh, or this layer's buffer with `{ reuse: true }`); accumulates dW
   * and dB.
   */
  backward(dOut: Matrix, options?: PassOptions): Matrix {
    this.backwardParameters(dOut); // dW, dB
    // dX = dOut·Wᵀ
    return dOut.matmulTransposeB(this.weight.value, this.resultMatrix("dX", dOut.rows, this.inFeatures, options));
  }

  /** The parameters' half of `backward`: dW += xᵀ·dOut, dB += Σᵢ dOut[i], no dX (a first layer's dX is never read). */
  backwardParameters(dOut: Matrix): void {
    assertMatrix(dOut, `${this.name}.backward dOut`);
    if (this.cache === undefined) return missingForward(`${this.name}.backward`);
    const { x } = this.cache;
    assertShape(
      dOut,
      [x.rows, this.outFeatures],
      `${this.name}.backward dOut`,
      "dOut must have the shape of the last forward's output.",
    );
    this.dWeight ??= new Matrix(this.inFeatures, this.outFeatures);
    this.weight.accumulate(x.matmulTransposeA(dOut, this.dWeight)); // dW += xᵀ·dOut (product into a reused buffer)
    if (this.bias) layerKernels.addColumnSums(this.bias.grad, dOut); // dB += Σᵢ dOut[i]
  }

  /** [weight, bias] (or [weight] without a bias). */
  override parameters(): Parameter[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  /** outFeatures, whatever the input size (for `Sequential.summary`). */
  override outputSize(_inputSize: number): number {
    return this.outFeatures;
  }
}

function initialWeights(rng: Rng, fanIn: number, fanOut: number, init: LinearInit, where: string): Matrix {
  if (init === "he") return initHe(rng, fanIn, fanOut);
  if (init === "xavier") return initXavier(rng, fanIn, fanOut);
  if (typeof init === "object" && init !== null && typeof init.gaussian === "number") {
    return initGaussian(rng, fanIn, fanOut, init.gaussian);
  }
  throw new InputError(`${where}: init must be "he", "xavier" or { gaussian: scale }, got ${JSON.stringify(init)}.`);
}
