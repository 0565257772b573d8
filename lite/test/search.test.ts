// Unit tests of the browser's `runSearchParallel` (lite/twins/search-parallel.ts), in Node: the Web
// Workers are stand-ins that run the real search worker's handler (lite/worker/search-handler.ts), with
// every message copied and delivered later, as a browser does. Real Web Workers in Chromium: the browser
// test (scripts/lite/search-check.mjs).
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { runSearch, type TrialResult } from "../../lib/search/run";
import type { Trial } from "../../lib/search/space";
import { builtInTrialsModule, mlpTrial } from "../../lib/search/trials";
import { runSearchParallel, type SearchWorkerRequest } from "../twins/search-parallel";
import { searchWorkerHandler } from "../worker/search-handler";

type Event = { data?: unknown; message?: string; filename?: string; lineno?: number };
type Listener = ((event: Event & { preventDefault(): void }) => void) | null;

/** A Web Worker stand-in. `failToLoad`: its script "does not load"; `dieOnTrial`: it dies (uncaught error) when given that trial. */
class FakeWorker {
  static started: string[] = [];
  static terminated = 0;
  static failToLoad = false;
  static dieOnTrial = -1;
  onmessage: Listener = null;
  onerror: Listener = null;
  onmessageerror: Listener = null;
  private stopped = false;
  private readonly handle = searchWorkerHandler((message) => this.deliver("onmessage", { data: message }));

  constructor(url: string) {
    FakeWorker.started.push(url);
    if (FakeWorker.failToLoad) this.deliver("onerror", {});
  }

  postMessage(request: SearchWorkerRequest): void {
    const copy = structuredClone(request);
    if ("trial" in copy && copy.trial.id === FakeWorker.dieOnTrial)
      return this.deliver("onerror", { message: "Uncaught RangeError: out of memory", filename: "w.js", lineno: 1 });
    setTimeout(() => this.stopped || this.handle(copy));
  }

  terminate(): void {
    if (!this.stopped) FakeWorker.terminated += 1;
    this.stopped = true;
  }

  private deliver(to: "onmessage" | "onerror", event: Event): void {
    setTimeout(() => this.stopped || this[to]?.({ ...structuredClone(event), preventDefault: () => undefined }));
  }
}

const withoutTime = (results: TrialResult[]) => results.map((r) => ({ ...r, seconds: 0 }));
const options = { module: builtInTrialsModule, exportName: "mlpTrial" };
/** Four small spiral trials, the second one with a config mlpTrial rejects. */
const trials: Trial[] = [0.05, "fast", 0.3, 1].map((learningRate, id) => ({
  id,
  seed: 10 + id,
  round: 0,
  config: { learningRate, epochs: 2, hiddenSize: 8, batchNorm: id % 2 === 0 },
}));

describe("browser runSearchParallel (Web Worker stand-ins)", () => {
  beforeEach(() => {
    Object.assign(globalThis, {
      Worker: FakeWorker,
      location: new URL("http://127.0.0.1:8000/extensions/x/static/kernel-worker.js?files=..%2Ffiles%2F"),
    });
    Object.assign(FakeWorker, { started: [], terminated: 0, failToLoad: false, dieOnTrial: -1 });
  });

  it("gives the results of runSearch in this thread, in trial order, from 2 workers it terminates", async () => {
    const counts: number[] = [];
    const results = await runSearchParallel(trials, {
      ...options,
      workers: 2,
      onResult: (_r, done) => void counts.push(done),
    });
    assert.deepEqual(withoutTime(results), withoutTime(await runSearch(trials, mlpTrial)));
    assert.deepEqual(
      results.map((r) => r.status),
      ["ok", "failed", "ok", "ok"],
    );
    assert.match(results[1].message, /numeric learningRate/);
    assert.deepEqual(counts, [1, 2, 3, 4]);
    assert.deepEqual(FakeWorker.started, [
      "http://127.0.0.1:8000/extensions/x/static/search-worker.js?files=..%2Ffiles%2F",
      "http://127.0.0.1:8000/extensions/x/static/search-worker.js?files=..%2Ffiles%2F",
    ]);
    assert.equal(FakeWorker.terminated, 2);
  });

  it("a worker that dies mid-trial fails that trial only; a fresh worker runs the rest", async () => {
    FakeWorker.dieOnTrial = 2;
    const results = await runSearchParallel(trials, { ...options, workers: 1 });
    assert.deepEqual(
      results.map((r) => r.status),
      ["ok", "failed", "failed", "ok"],
    );
    assert.equal(results[2].message, "the worker stopped: Uncaught RangeError: out of memory (w.js:1)");
    assert.equal(FakeWorker.started.length, 2);
    assert.equal(FakeWorker.terminated, 2);
  });

  it("rejects with a clear message, workers terminated, when the function or the worker's script is missing", async () => {
    await assert.rejects(runSearchParallel(trials, { ...options, exportName: "nope", workers: 2 }), {
      message: /runSearchParallel: could not load the trial function: .*trials\.js has no exported function "nope"/,
    });
    assert.equal(FakeWorker.terminated, 2);
    FakeWorker.failToLoad = true;
    await assert.rejects(runSearchParallel(trials, { ...options, workers: 2 }), {
      message: "runSearchParallel: a worker could not start: search-worker.js did not load",
    });
    assert.equal(FakeWorker.terminated, 4);
    await assert.rejects(
      runSearchParallel(trials, { module: "/my/trials.js", exportName: "t" }),
      /only lab\.builtInTrialsModule/,
    );
    await assert.rejects(runSearchParallel(trials, { ...options, workers: 0 }), /whole number ≥ 1, got 0/);
    assert.deepEqual(await runSearchParallel([], options), []);
  });

  it("runs the trials in this thread, with the same results, where a worker cannot start workers", async () => {
    Object.assign(globalThis, { Worker: undefined });
    const counts: number[] = [];
    const results = await runSearchParallel(trials, {
      ...options,
      workers: 2,
      onResult: (_r, done) => void counts.push(done),
    });
    assert.deepEqual(withoutTime(results), withoutTime(await runSearch(trials, mlpTrial)));
    assert.deepEqual(counts, [1, 2, 3, 4]);
    assert.equal(FakeWorker.started.length, 0);
    await assert.rejects(runSearchParallel(trials, { ...options, exportName: "nope" }), {
      message: /runSearchParallel: could not load the trial function: .*trials\.js has no exported function "nope"/,
    });
  });
});
