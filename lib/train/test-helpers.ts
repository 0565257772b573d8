/**
 * Helpers for the training tests (not exported from the library): a tiny hand-rolled
 * linear classifier, so the loop is tested independently of lib/layers, and a
 * linearly separable data set.
 */
import { Matrix } from "../core/matrix";
import { Parameter } from "../core/parameter";
import type { Rng } from "../core/random";
import type { Dataset } from "../data/dataset";
import { Module } from "../layers/layer";

/** logits = x·W + b, W: [D, C] ~ N(0, 0.1²), b: [1, C] = 0. Records the mode seen by each forward. */
export class TinyLinear extends Module {
  readonly name = "TinyLinear";
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly modesSeen: boolean[] = [];
  private x: Matrix | undefined;

  constructor(D: number, C: number, rng: Rng) {
    super();
    this.weight = new Parameter("weight", new Matrix(D, C, rng.normalArray(D * C, 0, 0.1)));
    this.bias = new Parameter("bias", new Matrix(1, C));
  }

  forward(x: Matrix): Matrix {
    this.modesSeen.push(this.training);
    this.x = x;
    return x.matmul(this.weight.value).addRow(this.bias.value);
  }

  backward(dOut: Matrix): Matrix {
    if (!this.x) throw new Error("TinyLinear: backward before forward");
    this.weight.accumulate(this.x.matmulTransposeA(dOut)); // dW += xᵀ·dOut
    this.bias.accumulate(dOut.sumRows()); // dB += Σᵢ dOut[i]
    return dOut.matmulTransposeB(this.weight.value); // dX = dOut·Wᵀ
  }

  override parameters(): Parameter[] {
    return [this.weight, this.bias];
  }

  override outputSize(): number {
    return this.weight.value.cols; // C: trainStep and fit check the labels against it
  }
}

/** C Gaussian blobs in D dimensions, centers far apart (separable): N = perClass·C examples. */
export function separableBlobs(rng: Rng, perClass: number, C = 3, D = 2): Dataset {
  const centers = Array.from({ length: C }, () => Array.from({ length: D }, () => rng.uniform(-6, 6)));
  const x = new Matrix(perClass * C, D);
  const y = new Int32Array(perClass * C);
  for (let i = 0; i < perClass * C; i++) {
    y[i] = i % C;
    for (let j = 0; j < D; j++) x.set(i, j, centers[y[i]][j] + rng.normal(0, 0.5));
  }
  return { x, y };
}
