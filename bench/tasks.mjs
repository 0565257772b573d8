// The benchmark's tasks, and how the TypeScript library runs each one. The same task list goes
// to bench/reference_numpy.py and bench/reference_torch.py, so every figure has its twin.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
export const lab = require("../dist/lib/internal.js");

/** W1: the paper's MNIST network. */
export const W1 = { inputSize: 784, hiddenSizes: [100, 100, 100], outputSize: 10, batchSize: 60 };

/**
 * The matrix multiplies of one W1 training step (forward x·W, backward dW = xᵀ·dOut and
 * dX = dOut·Wᵀ), layer by layer; `count` is how many times a step does it (L2 and L3 are alike).
 */
export const gemmShapes = [
  { label: "x·W L1 [60,784]·[784,100]", count: 1, m: 60, n: 100, k: 784, transposeA: false, transposeB: false },
  { label: "x·W L2 [60,100]·[100,100]", count: 2, m: 60, n: 100, k: 100, transposeA: false, transposeB: false },
  { label: "x·W L4 [60,100]·[100,10]", count: 1, m: 60, n: 10, k: 100, transposeA: false, transposeB: false },
  { label: "xᵀ·dOut L1 [784,60]·[60,100]", count: 1, m: 784, n: 100, k: 60, transposeA: true, transposeB: false },
  { label: "xᵀ·dOut L2 [100,60]·[60,100]", count: 2, m: 100, n: 100, k: 60, transposeA: true, transposeB: false },
  { label: "xᵀ·dOut L4 [100,60]·[60,10]", count: 1, m: 100, n: 10, k: 60, transposeA: true, transposeB: false },
  { label: "dOut·Wᵀ L1 [60,100]·[100,784]", count: 1, m: 60, n: 784, k: 100, transposeA: false, transposeB: true },
  { label: "dOut·Wᵀ L2 [60,100]·[100,100]", count: 2, m: 60, n: 100, k: 100, transposeA: false, transposeB: true },
  { label: "dOut·Wᵀ L4 [60,10]·[10,100]", count: 1, m: 60, n: 100, k: 10, transposeA: false, transposeB: true },
];

export const bnShapes = [
  { n: 60, d: 100 },
  { n: 256, d: 1024 },
  { n: 4096, d: 256 },
];

/** The tasks as the Python references read them. */
export function pythonTasks() {
  return [
    { kind: "w1", name: "w1.bn", batchNorm: true },
    { kind: "w1", name: "w1.plain", batchNorm: false },
    { kind: "w1", name: "w1.bn.outside", batchNorm: true, noProducts: true },
    { kind: "w1", name: "w1.plain.outside", batchNorm: false, noProducts: true },
    ...bnShapes.map(({ n, d }) => ({ kind: "bn", name: `bn.${n}x${d}`, n, d })),
    ...gemmShapes.map((s) => ({ kind: "gemm", name: `gemm.${s.label}`, ...s })),
  ];
}

/**
 * The clock: "cpu" (default) counts this process's user + system CPU time, so that other
 * processes sharing the cores slow the figures down less; "wall" counts elapsed time.
 * Node's CPU time includes its GC and compiler helper threads; numpy's includes OpenBLAS's (one).
 */
let clock = "cpu";
export function setClock(name) {
  clock = name;
}
function now() {
  if (clock === "wall") return Number(process.hrtime.bigint()) / 1e9;
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Calls per second of fn() over about `seconds` of the clock, after a warm-up of a third of that
 * (at least 3 calls): the JIT compiles and the allocator grows during the first calls.
 */
export function rate(fn, seconds) {
  const warmupStart = now();
  for (let i = 0; i < 3 || now() - warmupStart < seconds / 3; i++) fn();
  let calls = 0;
  const start = now();
  for (;;) {
    fn();
    calls += 1;
    const elapsed = now() - start;
    if (elapsed >= seconds) return calls / elapsed;
  }
}

/** Selects a GEMM kernel by name: "reference", "packed-ts" or "wasm-simd"; returns the active name. */
export function selectKernel(name) {
  if (name === "reference") lab.useReferenceKernels();
  else lab.useFastKernels({ wasm: name === "wasm-simd" });
  return lab.kernels.name;
}

/** W1 as the library builds it: mlp() if present, else the same Sequential by hand. */
export function buildW1(batchNorm, rng) {
  const { inputSize, hiddenSizes, outputSize } = W1;
  if (typeof lab.mlp === "function") {
    return lab.mlp({ inputSize, hiddenSizes, outputSize, activation: "sigmoid", batchNorm, rng, init: "xavier" });
  }
  const layers = [];
  let size = inputSize;
  for (const hidden of hiddenSizes) {
    layers.push(new lab.Linear(size, hidden, { rng, init: "xavier", bias: !batchNorm }));
    if (batchNorm) layers.push(new lab.BatchNorm1d(hidden));
    layers.push(new lab.Sigmoid());
    size = hidden;
  }
  layers.push(new lab.Linear(size, outputSize, { rng, init: "xavier" }));
  return new lab.Sequential(layers);
}

/** A function doing one W1 training step (SGD, batch 60) on 10 fixed random mini-batches, round robin. */
export function w1Step(batchNorm) {
  const rng = lab.makeRng(1337);
  const model = buildW1(batchNorm, rng);
  model.train();
  const optimizer = new lab.SGD(model.parameters(), { learningRate: 0.1 });
  const { inputSize, batchSize } = W1;
  const xs = [],
    ys = [];
  for (let b = 0; b < 10; b++) {
    xs.push(new lab.Matrix(batchSize, inputSize, rng.normalArray(batchSize * inputSize)));
    ys.push(Int32Array.from({ length: batchSize }, () => rng.int(10)));
  }
  let step = 0;
  return () => {
    const b = step++ % 10;
    return lab.trainStep(model, optimizer, xs[b], ys[b]);
  };
}

/**
 * The profile's step: a W1 step (`w1Step`) whose matrix products do not multiply. While it runs,
 * kernels.gemm is a stand-in that writes into c the result the real kernel gave for the same c at
 * its first call (each layer has its own reused buffers), so what follows sees realistic numbers
 * (an exp of zeros is faster than of real inputs). Writing it is one copy of c per product, which
 * counts as "outside" here: TS's outside time is slightly overstated. numpy's twin (`w1.*.outside`)
 * returns its saved products without a copy.
 */
export function w1StepWithoutProducts(batchNorm) {
  const step = w1Step(batchNorm);
  const realGemm = lab.kernels.gemm; // the kernel selected when the task is made
  const saved = new Map(); // c → its first real product
  const standIn = (args) => {
    const result = saved.get(args.c);
    if (result !== undefined) return void args.c.set(result);
    realGemm(args);
    saved.set(args.c, args.c.slice());
  };
  return () => {
    lab.kernels.gemm = standIn;
    try {
      return step();
    } finally {
      lab.kernels.gemm = realGemm;
    }
  };
}

/** A function doing one BatchNorm1d forward + backward in training mode on x: [n, d]. */
export function bnCall(n, d) {
  const rng = lab.makeRng(7);
  const layer = new lab.BatchNorm1d(d);
  layer.gamma.value.data.set(rng.normalArray(d));
  layer.beta.value.data.set(rng.normalArray(d));
  const x = new lab.Matrix(n, d, rng.normalArray(n * d, 1, 2));
  const dOut = new lab.Matrix(n, d, rng.normalArray(n * d));
  return () => {
    layer.forward(x);
    return layer.backward(dOut);
  };
}

/** A function doing one product of the given shape through `kernel`. */
export function gemmCall(kernel, { m, n, k, transposeA, transposeB }) {
  const rng = lab.makeRng(3);
  const a = rng.normalArray(m * k),
    b = rng.normalArray(k * n),
    c = new Float64Array(m * n);
  return () => kernel({ m, n, k, a, b, c, transposeA, transposeB, accumulate: false });
}

/**
 * The wasm kernel without the copies: a and b already in wasm memory, c left there. Compared
 * with `gemmCall(wasm kernel)` this is what copying in and out costs at each shape.
 */
export function wasmComputeOnlyCall({ m, n, k, transposeA, transposeB }) {
  const bytes = readFileSync(lab.wasmGemmPath);
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  const aAt = 65536,
    bAt = aAt + 8 * m * k,
    cAt = bAt + 8 * k * n,
    scratchAt = cAt + 8 * m * n;
  const end = scratchAt + wasm.scratchBytes(n);
  wasm.memory.grow(Math.ceil(end / 65536));
  const heap = new Float64Array(wasm.memory.buffer);
  const rng = lab.makeRng(3);
  heap.set(rng.normalArray(m * k), aAt / 8);
  heap.set(rng.normalArray(k * n), bAt / 8);
  return () => wasm.gemm(m, n, k, aAt, bAt, cAt, +transposeA, +transposeB, 0, scratchAt);
}
