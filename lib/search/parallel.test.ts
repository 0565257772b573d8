import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { kernels } from "../core/gemm";
import { useFastKernels, useReferenceKernels } from "../fast/kernels";
import { choice, logUniform } from "./dimensions";
import { runSearchParallel } from "./parallel";
import { runSearch, type TrialResult } from "./run";
import { randomTrials } from "./space";
import { builtInTrialsModule, mlpTrial } from "./trials";
import { KERNEL_NAMES } from "./test-trials";

const withoutTime = (results: TrialResult[]) => results.map((r) => ({ ...r, seconds: 0 }));
const testTrials = join(__dirname, "test-trials.js");

test("MLP trials give identical results with 1 worker, 2 workers and in this thread", async () => {
  const trials = randomTrials(
    { learningRate: logUniform(1e-2, 1), batchNorm: choice([false, true]) },
    { count: 4, seed: 5 },
  ).map((t) => ({ ...t, config: { ...t.config, epochs: 2, hiddenSize: 16 } }));
  const options = { module: builtInTrialsModule, exportName: "mlpTrial" };
  const one = await runSearchParallel(trials, { ...options, workers: 1 });
  const two = await runSearchParallel(trials, { ...options, workers: 2 });
  const here = await runSearch(trials, mlpTrial);
  assert.deepEqual(withoutTime(two), withoutTime(one));
  assert.deepEqual(withoutTime(here), withoutTime(one));
  assert.ok(one.every((r) => r.status === "ok" && r.curves.validationCurve.length === 2));
  assert.deepEqual(
    new Set(one.map((r) => r.metrics.validationAccuracy)).size > 1,
    true,
    "different configs, different results",
  );
});

test("failures and early stops happen in the workers too; onResult counts every trial", async () => {
  const trials = [1e-2, 0.9, 1e-4, 3e-2, 0.7].map((learningRate, id) => ({
    id,
    seed: id,
    round: 0,
    config: { learningRate },
  }));
  const counts: number[] = [];
  const results = await runSearchParallel(trials, {
    module: testTrials,
    exportName: "noisyBowl",
    workers: 2,
    earlyStop: { metric: "score", below: -3 },
    onResult: (_r, done) => void counts.push(done),
  });
  assert.deepEqual(
    results.map((r) => r.status),
    ["ok", "failed", "stopped", "ok", "failed"],
  );
  assert.match(results[1].message, /too large/);
  assert.deepEqual(counts, [1, 2, 3, 4, 5]);
});

test("a missing module or export rejects with a clear message", async () => {
  const trials = [{ id: 0, seed: 0, round: 0, config: { learningRate: 0.1 } }];
  await assert.rejects(
    runSearchParallel(trials, { module: testTrials, exportName: "nope", workers: 1 }),
    /has no exported function "nope"/,
  );
  await assert.rejects(
    runSearchParallel(trials, { module: join(__dirname, "missing.js"), exportName: "f" }),
    /could not load the trial function: Cannot find module/,
  );
});

test("workers use this thread's matrix kernel, so fast kernels also give identical results", async () => {
  const name = useFastKernels();
  try {
    const trials = randomTrials({ learningRate: logUniform(1e-2, 1) }, { count: 2, seed: 6 }).map((t) => ({
      ...t,
      config: { ...t.config, epochs: 1, hiddenSize: 16 },
    }));
    const parallel = await runSearchParallel(trials, {
      module: builtInTrialsModule,
      exportName: "mlpTrial",
      workers: 2,
    });
    assert.equal(kernels.name, name);
    assert.deepEqual(withoutTime(parallel), withoutTime(await runSearch(trials, mlpTrial)));
  } finally {
    useReferenceKernels();
  }
});

test("a worker selects this thread's kernel by name (reference, packed TS, wasm)", async () => {
  const trial = { id: 0, seed: 0, round: 0, config: {} };
  try {
    for (const select of [useReferenceKernels, () => useFastKernels({ wasm: false }), () => useFastKernels()]) {
      select();
      const [result] = await runSearchParallel([trial], {
        module: testTrials,
        exportName: "reportsKernel",
        workers: 1,
      });
      assert.equal(result.status, "ok", result.message);
      assert.equal(KERNEL_NAMES[result.metrics.kernel], kernels.name);
    }
  } finally {
    useReferenceKernels();
  }
});

test("a worker that exits mid-trial fails that trial, and a fresh worker runs the rest", async () => {
  const trials = [1e-2, 0.9, 1e-3, 0.8, 3e-2].map((learningRate, id) => ({
    id,
    seed: id,
    round: 0,
    config: { learningRate },
  }));
  const results = await runSearchParallel(trials, { module: testTrials, exportName: "exitsOnLarge", workers: 2 });
  assert.deepEqual(
    results.map((r) => r.status),
    ["ok", "failed", "ok", "failed", "ok"],
  );
  assert.equal(results[1].message, "the worker stopped: exit code 3");
});
