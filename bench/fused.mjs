// The fused BatchNorm1d passes of lib/fast (batchNormForwardFused / batchNormBackwardFused with
// results in a reused workspace), measured like bnCall in tasks.mjs: forward + backward, training mode.
import { lab } from "./tasks.mjs";

export function fusedBnCall(n, d) {
  const rng = lab.makeRng(7);
  const gamma = new lab.Matrix(1, d, rng.normalArray(d));
  const beta = new lab.Matrix(1, d, rng.normalArray(d));
  const x = new lab.Matrix(n, d, rng.normalArray(n * d, 1, 2));
  const dOut = new lab.Matrix(n, d, rng.normalArray(n * d));
  const workspace = new lab.Workspace();
  return () => {
    const { cache } = lab.batchNormForwardFused(x, gamma, beta, 1e-5, { workspace, reuse: true });
    return lab.batchNormBackwardFused(dOut, cache, { workspace, reuse: true });
  };
}
