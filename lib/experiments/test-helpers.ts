/** Helpers for the experiments tests (not exported from the library): a small BN net and a batch. */
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { Tanh } from "../layers/activations";
import { Linear } from "../layers/linear";
import { Sequential } from "../layers/sequential";
import { BatchNorm1d } from "../normalization/batchnorm1d";

/** Linear(4→6, no bias) → BatchNorm1d(6) → Tanh → Linear(6→5) → Tanh → Linear(5→3), Xavier weights. */
export function smallNet(seed: number): Sequential {
  const rng = makeRng(seed);
  return new Sequential([
    new Linear(4, 6, { rng, init: "xavier", bias: false }),
    new BatchNorm1d(6),
    new Tanh(),
    new Linear(6, 5, { rng, init: "xavier" }),
    new Tanh(),
    new Linear(5, 3, { rng, init: "xavier" }),
  ]);
}

export function smallBatch(seed: number): { x: Matrix; y: number[] } {
  const rng = makeRng(seed);
  const x = new Matrix(8, 4, rng.normalArray(32, 0.7, 1.5)); // mean ≠ 0, varied scale
  return { x, y: [0, 1, 2, 0, 1, 2, 2, 1] };
}
