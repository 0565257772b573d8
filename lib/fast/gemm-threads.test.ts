import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GemmArgs, GemmKernel } from "../core/gemm";
import { makeRng, type Rng } from "../core/random";
import { gemmCases, type GemmCase } from "./compare-kernels";
import { loadTwoThreadGemm, splitBlocks } from "./gemm-threads";
import { wasmGemmKernel } from "./kernels";

const single = wasmGemmKernel();
const skip = (single === null || loadTwoThreadGemm(single) === null) && "the wasm builds are missing (npm run build) or shared memory is unavailable";

// The W1 products (forward x·W, dW = xᵀ·dOut, dX = dOut·Wᵀ of the first layer) and odd sizes.
const shapes = [[60, 100, 784], [784, 100, 60], [60, 784, 100], [1, 1, 1], [3, 7, 17], [17, 3, 7], [9, 5, 513], [61, 101, 13], [130, 5, 3]];

/** Runs `kernel` and the one-thread wasm kernel on the same operands; true if c agrees bit for bit. */
function sameBits(kernel: GemmKernel, rng: Rng, { m, n, k, transposeA, transposeB, accumulate }: GemmCase): boolean {
  const a = rng.normalArray(m * k, 0.5, 2), b = rng.normalArray(k * n, -0.3, 1), c0 = rng.normalArray(m * n);
  const args = (c: Float64Array): GemmArgs => ({ m, n, k, a, b, c, transposeA, transposeB, accumulate });
  const expected = c0.slice(), actual = accumulate ? c0.slice() : new Float64Array(m * n).fill(NaN);
  single!(args(expected));
  kernel(args(actual));
  return expected.every((value, i) => Object.is(value, actual[i]));
}

test("two threads give bit for bit the one-thread result: W1 shapes, odd sizes, every transpose and accumulate", { skip }, async () => {
  const parallel = loadTwoThreadGemm(single!, { minimumWork: 0, stealWork: false })!;
  assert.equal(await parallel.start(), true);
  const rng = makeRng(23);
  let calls = 0;
  for (const [m, n, k] of shapes) {
    for (const gemmCase of gemmCases(m, n, k)) {
      assert.ok(sameBits(parallel.gemm, rng, gemmCase), JSON.stringify(gemmCase));
      calls += 1;
    }
  }
  assert.deepEqual(parallel.counts, { parallel: calls, byWorker: calls, single: 0 }); // the worker computed every second block
  await parallel.close();
});

test("before the worker is ready the main thread computes both blocks, with the same bits", { skip }, async () => {
  const parallel = loadTwoThreadGemm(single!, { minimumWork: 0 })!;
  const rng = makeRng(29);
  for (const gemmCase of gemmCases(784, 100, 60)) assert.ok(sameBits(parallel.gemm, rng, gemmCase), JSON.stringify(gemmCase));
  assert.equal(parallel.counts.parallel, 8);
  await parallel.close();
});

test("small products stay on one thread; the worker starts only at the first large one", { skip }, async () => {
  const parallel = loadTwoThreadGemm(single!)!; // minimumWork 1e6
  const rng = makeRng(31);
  assert.ok(sameBits(parallel.gemm, rng, { m: 60, n: 100, k: 100, transposeA: false, transposeB: false, accumulate: false }));
  assert.deepEqual(parallel.counts, { parallel: 0, byWorker: 0, single: 1 });
  assert.ok(sameBits(parallel.gemm, rng, { m: 60, n: 100, k: 784, transposeA: false, transposeB: false, accumulate: true }));
  assert.equal(parallel.counts.parallel, 1);
  assert.equal(await parallel.start(), true); // started by the large product; now ready
  await parallel.close();
});

test("splitBlocks covers C exactly once, cutting at a multiple of 4 along the longer side", () => {
  for (const [m, n] of [[60, 100], [784, 100], [60, 784], [1, 1], [9, 5], [5, 9], [3, 3]]) {
    const blocks = splitBlocks(m, n);
    const covered = new Int32Array(m * n);
    for (const [rowBegin, rowEnd, colBegin, colEnd] of blocks) {
      for (let i = rowBegin; i < rowEnd; i++) for (let j = colBegin; j < colEnd; j++) covered[i * n + j] += 1;
    }
    assert.ok(covered.every((count) => count === 1), `[${m}, ${n}]: ${JSON.stringify(blocks)}`);
    const [[, rowEnd, , colEnd]] = blocks;
    const cut = n >= m ? colEnd : rowEnd, side = n >= m ? n : m;
    assert.equal(n >= m ? rowEnd : colEnd, n >= m ? m : n, "split along the longer side only");
    assert.ok(cut === side || cut % 4 === 0, `[${m}, ${n}]: cut at ${cut}`);
    assert.ok(cut >= side - cut, "the main thread's block is the larger");
  }
});

test("a worker that cannot start leaves a working one-thread kernel and says why", { skip }, async () => {
  const failures: Error[] = [];
  const parallel = loadTwoThreadGemm(single!, { minimumWork: 0, workerPath: join(tmpdir(), "no-such-dir", "worker.js"), onWorkerFailure: (e) => failures.push(e) })!;
  const rng = makeRng(37);
  assert.ok(sameBits(parallel.gemm, rng, gemmCases(60, 100, 784)[1])); // starts the (failing) worker, takes its block back
  assert.equal(await parallel.start(), false);
  assert.equal(failures.length, 1);
  assert.equal(parallel.failure, failures[0]);
  assert.ok(sameBits(parallel.gemm, rng, gemmCases(60, 100, 784)[2]));
  assert.equal(parallel.counts.single, 1);
});

test("a worker whose wasm call throws makes the main thread redo the product alone", { skip }, async () => {
  const protocol = JSON.stringify(join(__dirname, "gemm-threads-protocol.js"));
  const script = join(mkdtempSync(join(tmpdir(), "gemm-worker-")), "failing-worker.js");
  writeFileSync(script, `const p = require(${protocol}); const { parentPort, workerData } = require("node:worker_threads");
    const control = workerData.control; parentPort.postMessage("ready");
    for (;;) { const seen = Atomics.load(control, p.JOB);
      if (Atomics.compareExchange(control, p.STATE, p.POSTED, p.CLAIMED) === p.POSTED) { Atomics.store(control, p.STATE, p.FAILED); Atomics.notify(control, p.STATE); }
      else Atomics.wait(control, p.JOB, seen); }`);
  const parallel = loadTwoThreadGemm(single!, { minimumWork: 0, stealWork: false, workerPath: script })!;
  assert.equal(await parallel.start(), true);
  assert.ok(sameBits(parallel.gemm, makeRng(41), gemmCases(61, 101, 13)[7])); // accumulate: c must be redone from the caller's c
  assert.match(String(parallel.failure), /threw/);
  await parallel.close();
});

test("a product too large for the shared memory warns, naming its shape, and runs on one thread", { skip }, async () => {
  const parallel = loadTwoThreadGemm(single!, { minimumWork: 0, maximumPages: 8 })!;
  const warning = new Promise<Error>((resolve) => process.once("warning", resolve));
  assert.ok(sameBits(parallel.gemm, makeRng(43), gemmCases(300, 200, 400)[0]));
  assert.match((await warning).message, /\[300, 400\]·\[400, 200\].*maximumPages = 8/);
  assert.deepEqual(parallel.counts, { parallel: 0, byWorker: 0, single: 1 });
  await parallel.close();
});

test("without SharedArrayBuffer or the shared .wasm there is no two-thread kernel", { skip }, () => {
  assert.equal(loadTwoThreadGemm(single!, { wasmPath: join(tmpdir(), "no-such-dir", "gemm-shared.wasm") }), null);
  const saved = globalThis.SharedArrayBuffer;
  try {
    (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer = undefined;
    assert.equal(loadTwoThreadGemm(single!), null);
  } finally {
    globalThis.SharedArrayBuffer = saved;
  }
});

test("a process using two threads exits by itself: the idle worker does not keep it alive", { skip }, () => {
  const library = JSON.stringify(join(__dirname, "..", "index.js"));
  const program = `const lab = require(${library}); const name = lab.useFastKernels({ threads: 2 });
    const x = new lab.Matrix(60, 784, new Float64Array(60 * 784).fill(1)), w = new lab.Matrix(784, 100, new Float64Array(784 * 100).fill(2));
    for (let i = 0; i < 50; i++) x.matmul(w);
    lab.twoThreadGemmKernel().start().then((ready) => console.log(name, ready, x.matmul(w).data[0]));`;
  const run = spawnSync(process.execPath, ["-e", program], { encoding: "utf8", timeout: 20000 });
  assert.equal(run.signal, null, "the child was killed by the timeout: something kept it alive");
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), "wasm-simd×2 true 1568");
});
