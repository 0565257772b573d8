// What if the layers did not allocate in the training step? `node bench/what-if.mjs`
//
// Measures W1 steps/s with the layers as written, then with prototype patches (applied here, to
// the prototypes, in this process only) that each remove one source of allocation found by
// bench/allocations.mjs, keeping the maths and the order of operations. The patches are sketches
// of changes proposed to the owners of lib/layers and lib/normalization, not library code: they
// reach into private fields (Linear's cache), and the BatchNorm1d one covers only the PyTorch
// running-statistics convention that W1 uses. At the end it checks that the patched step gives
// the same losses as the original. Caveat of out-buffers: a layer's output is overwritten by its
// next forward, so a caller that keeps two outputs of the same layer must copy the first.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { lab, w1Step, rate } from "./tasks.mjs";
const { Matrix, Linear, BatchNorm1d, Sigmoid } = lab;
lab.useFastKernels();
const orig = {
  linF: Linear.prototype.forward,
  linB: Linear.prototype.backward,
  bnF: BatchNorm1d.prototype.forward,
  bnB: BatchNorm1d.prototype.backward,
  sigF: Sigmoid.prototype.forward,
  sigB: Sigmoid.prototype.backward,
};
const buf = (obj, key, rows, cols) => {
  let m = obj[key];
  if (!m || m.rows !== rows || m.cols !== cols) m = obj[key] = new Matrix(rows, cols);
  return m;
};
const patches = {
  // 1. dW += xᵀ·dOut straight into the grad (Matrix.matmulTransposeA(other, out, accumulate))
  dwAccumulate() {
    Linear.prototype.backward = function (dOut) {
      const { x } = this.cache;
      x.matmulTransposeA(dOut, this.weight.grad, true);
      if (this.bias) {
        const g = this.bias.grad.data,
          d = dOut.data,
          C = dOut.cols;
        for (let i = 0; i < dOut.rows; i++) for (let j = 0; j < C; j++) g[j] += d[i * C + j];
      }
      return dOut.matmulTransposeB(this.weight.value, buf(this, "_dX", dOut.rows, this.inFeatures));
    };
  },
  // 2. Linear forward into a reused out buffer, bias added in place
  linearOut() {
    Linear.prototype.forward = function (x) {
      this.cache = { x };
      const out = x.matmul(this.weight.value, buf(this, "_out", x.rows, this.outFeatures));
      if (this.bias) {
        const b = this.bias.value.data,
          o = out.data,
          C = out.cols;
        for (let i = 0; i < out.rows; i++) for (let j = 0; j < C; j++) o[i * C + j] += b[j];
      }
      return out;
    };
  },
  // 3. BatchNorm1d training path through the fused passes + workspace
  fusedBn() {
    BatchNorm1d.prototype.forward = function (x) {
      if (!this.training) return orig.bnF.call(this, x);
      this._ws ??= new lab.Workspace();
      const { out, mean, variance, cache } = lab.batchNormForwardFused(x, this.gamma.value, this.beta.value, this.eps, {
        workspace: this._ws,
        reuse: true,
      });
      const m = this.momentum,
        N = x.rows; // PyTorch running stats, inline
      for (let j = 0; j < this.numFeatures; j++) {
        this.runningMean.data[j] = (1 - m) * this.runningMean.data[j] + m * mean.data[j];
        this.runningVar.data[j] = (1 - m) * this.runningVar.data[j] + (m * variance.data[j] * N) / (N - 1);
      }
      this._fc = cache;
      return out;
    };
    BatchNorm1d.prototype.backward = function (dOut) {
      const { dX, dGamma, dBeta } = lab.batchNormBackwardFused(dOut, this._fc, { workspace: this._ws, reuse: true });
      for (let j = 0; j < this.numFeatures; j++) {
        this.gamma.grad.data[j] += dGamma.data[j];
        this.beta.grad.data[j] += dBeta.data[j];
      }
      return dX;
    };
  },
  // 4. Sigmoid with plain loops into reused buffers
  sigmoidOut() {
    Sigmoid.prototype.forward = function (x) {
      const out = buf(this, "_out", x.rows, x.cols),
        o = out.data,
        xs = x.data;
      for (let i = 0; i < xs.length; i++) {
        const v = xs[i];
        if (v >= 0) o[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          o[i] = e / (1 + e);
        }
      }
      this._o = out;
      return out;
    };
    Sigmoid.prototype.backward = function (dOut) {
      const dX = buf(this, "_dX", dOut.rows, dOut.cols),
        d = dX.data,
        g = dOut.data,
        o = this._o.data;
      for (let i = 0; i < g.length; i++) d[i] = g[i] * o[i] * (1 - o[i]);
      return dX;
    };
  },
};
const restore = () => {
  Linear.prototype.forward = orig.linF;
  Linear.prototype.backward = orig.linB;
  BatchNorm1d.prototype.forward = orig.bnF;
  BatchNorm1d.prototype.backward = orig.bnB;
  Sigmoid.prototype.forward = orig.sigF;
  Sigmoid.prototype.backward = orig.sigB;
};
/** @type {[string, string[]][]} */
const configs = [
  ["as written", []],
  ["+ Linear.backward: dW += xᵀ·dOut into grad, dX buffer", ["dwAccumulate"]],
  ["+ Linear.forward out buffer", ["dwAccumulate", "linearOut"]],
  ["+ BatchNorm1d via lib/fast fused passes", ["dwAccumulate", "linearOut", "fusedBn"]],
  ["+ Sigmoid loops into buffers (all four)", ["dwAccumulate", "linearOut", "fusedBn", "sigmoidOut"]],
];
// Each configuration runs in a fresh process (patching prototypes inside a warm process would
// leave the JIT's earlier assumptions behind), configurations interleaved round by round.
if (process.argv[2] === "--measure") {
  const [label, names] = configs[Number(process.argv[3])];
  names.forEach((n) => patches[n]());
  const batchNorm = process.argv[4] === "bn";
  console.log(JSON.stringify({ label, batchNorm, rate: rate(w1Step(batchNorm), 0.6) }));
} else {
  const results = new Map();
  for (let round = 0; round < 5; round++) {
    for (let c = 0; c < configs.length; c++) {
      for (const variant of ["bn", "plain"]) {
        const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--measure", String(c), variant], {
          encoding: "utf8",
        });
        const { rate: r } = JSON.parse(run.stdout);
        const key = `${c} ${variant}`;
        (results.get(key) ?? results.set(key, []).get(key)).push(r);
      }
    }
  }
  const median = (key) => {
    const v = results.get(key).sort((a, b) => a - b);
    return v[v.length >> 1].toFixed(0);
  };
  console.log("| layers | W1 with BN, steps/s | W1 without BN, steps/s |\n| --- | ---: | ---: |");
  configs.forEach(([label], c) => console.log(`| ${label} | ${median(`${c} bn`)} | ${median(`${c} plain`)} |`));
  restore();
  const a = w1Step(true);
  const lossesAsWritten = Array.from({ length: 20 }, () => a());
  Object.keys(patches).forEach((n) => patches[n]());
  const b = w1Step(true);
  const lossesPatched = Array.from({ length: 20 }, () => b());
  const difference = Math.max(...lossesAsWritten.map((v, i) => Math.abs(v - lossesPatched[i])));
  console.log(`\nlargest loss difference over 20 steps, all patches vs as written: ${difference.toExponential(1)}`);
  console.log(
    `(medians of 5 rounds, 0.6 s of CPU time each, one process per measurement, GEMM kernel ${lab.kernels.name})`,
  );
}
