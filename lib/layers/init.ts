/**
 * Weight initialization: where gradient descent starts.
 *
 * Every initializer draws each entry independently from a normal distribution N(0, std²);
 * only the standard deviation differs:
 *   initGaussian   std = scale                              (a fixed, hand-picked scale, e.g. 0.01)
 *   initXavier     std = √(2 / (fanIn + fanOut))            (Glorot & Bengio 2010, "Glorot normal"; for tanh/sigmoid)
 *   initHe         std = √(2 / fanIn)                       (He et al. 2015, "Kaiming normal"; for ReLU)
 * A weight matrix of `Linear(Din, Dout)` is `[Din, Dout]`, so fanIn = Din, fanOut = Dout.
 */
import { assertNonNegative, assertPositiveInteger, assertRng } from "../core/checks";
import { Matrix } from "../core/matrix";
import type { Rng } from "../core/random";

/**
 * A `[rows, cols]` matrix of independent N(0, scale²) numbers.
 * `scale` ≥ 0; `scale = 0` gives the all-zeros matrix (useful to show why symmetric starts fail).
 */
export function initGaussian(rng: Rng, rows: number, cols: number, scale: number): Matrix {
  assertRng(rng, "initGaussian rng");
  assertPositiveInteger(rows, "rows", "initGaussian");
  assertPositiveInteger(cols, "cols", "initGaussian");
  assertNonNegative(scale, "scale", "initGaussian");
  return new Matrix(rows, cols, rng.normalArray(rows * cols, 0, scale));
}

/**
 * Xavier/Glorot normal initialization, `[fanIn, fanOut]`: std = √(2 / (fanIn + fanOut)).
 * Keeps the variance of activations and of gradients roughly constant through tanh/sigmoid layers.
 * PyTorch twin: `torch.nn.init.xavier_normal_` (on a weight stored transposed, `[fanOut, fanIn]`).
 */
export function initXavier(rng: Rng, fanIn: number, fanOut: number): Matrix {
  assertRng(rng, "initXavier rng");
  assertPositiveInteger(fanIn, "fanIn", "initXavier");
  assertPositiveInteger(fanOut, "fanOut", "initXavier");
  return initGaussian(rng, fanIn, fanOut, Math.sqrt(2 / (fanIn + fanOut)));
}

/**
 * He/Kaiming normal initialization, `[fanIn, fanOut]`: std = √(2 / fanIn).
 * The factor 2 makes up for ReLU zeroing half of its inputs, so activations keep their variance.
 * PyTorch twin: `torch.nn.init.kaiming_normal_(w, nonlinearity="relu")` (mode "fan_in").
 */
export function initHe(rng: Rng, fanIn: number, fanOut: number): Matrix {
  assertRng(rng, "initHe rng");
  assertPositiveInteger(fanIn, "fanIn", "initHe");
  assertPositiveInteger(fanOut, "fanOut", "initHe");
  return initGaussian(rng, fanIn, fanOut, Math.sqrt(2 / fanIn));
}
