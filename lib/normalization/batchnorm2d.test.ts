import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { layerGradientErrors } from "../layers/test-helpers";
import { BatchNorm1d } from "./batchnorm1d";
import { BatchNorm2d, fromChannelsLast, toChannelsLast } from "./batchnorm2d";
import {
  assertClose,
  assertGoldenPass,
  goldenMatrices,
  goldenMatrix,
  goldenNumber,
  type GoldenCase,
} from "./golden-fixture";

/**
 * A case of golden-batchnorm2d.json, written by `/usr/bin/python3 scripts/golden/batchnorm2d.py` (PyTorch, float64).
 */
function golden(name: string): GoldenCase {
  const path = join(__dirname, "..", "..", "..", "lib", "normalization", "golden-batchnorm2d.json");
  return (JSON.parse(readFileSync(path, "utf8")) as Record<string, GoldenCase>)[name];
}

/** A layer with the golden case's γ, β (and eps, momentum). */
function layerFor(g: GoldenCase): BatchNorm2d {
  const momentum = typeof g.momentum === "number" ? g.momentum : 0.1;
  const layer = new BatchNorm2d(goldenNumber(g, "channels"), { eps: goldenNumber(g, "eps"), momentum });
  layer.gamma.value.data.set(goldenMatrix(g, "gamma").data);
  layer.beta.value.data.set(goldenMatrix(g, "beta").data);
  return layer;
}

/** N maps of C channels of H·W values, channel c with mean 3c − 2 and scale 0.3·3^c. */
function maps(seed: number, N: number, C: number, spatial: number): Matrix {
  const rng = makeRng(seed);
  return new Matrix(N, C * spatial).map((_, _n, k) =>
    rng.normal(3 * Math.floor(k / spatial) - 2, 0.3 * 3 ** Math.floor(k / spatial)),
  );
}

test(
  "toChannelsLast puts position p of example n in row n·H·W " +
    "+ p, channel c in column c, and fromChannelsLast undoes it",
  () => {
    const x = new Matrix(
      2,
      3 * 4,
      Float64Array.from({ length: 24 }, (_, k) => k),
    ); // N = 2, C = 3, H·W = 4
    const y = toChannelsLast(x, 3);
    assert.deepEqual(y.shape, [8, 3]);
    for (let n = 0; n < 2; n++)
      for (let c = 0; c < 3; c++) for (let p = 0; p < 4; p++) assert.equal(y.get(n * 4 + p, c), x.get(n, c * 4 + p));
    assert.deepEqual(fromChannelsLast(y, 2).data, x.data);
  },
);

test("normalizes each channel over its N·H·W values to mean 0, variance 1", () => {
  const layer = new BatchNorm2d(3, { eps: 1e-12 });
  const out = toChannelsLast(layer.forward(maps(1, 5, 3, 6)), 3); // [N·H·W, C]
  const mean = out.meanRows();
  const variance = out.map((v, _i, c) => (v - mean.data[c]) ** 2).meanRows();
  for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(mean.data[c]) < 1e-12, `channel ${c} mean ${mean.data[c]}`);
    assert.ok(Math.abs(variance.data[c] - 1) < 1e-9, `channel ${c} variance ${variance.data[c]}`);
  }
});

test("with H·W = 1 it is BatchNorm1d, running statistics included", () => {
  const [two, one] = [new BatchNorm2d(4), new BatchNorm1d(4)];
  const x = maps(2, 6, 4, 1);
  assertClose(two.forward(x), one.forward(x), "out", 1e-15);
  assertClose(two.runningVar, one.runningVar, "runningVar", 1e-15);
});

test("matches PyTorch's BatchNorm2d in training: output, gradients and running statistics (1e-10)", () => {
  const g = golden("training");
  const layer = layerFor(g);
  assertGoldenPass(layer, g, "", 1e-12);
  assertClose(layer.runningMean, goldenMatrix(g, "runningMean"), "runningMean");
  assertClose(layer.runningVar, goldenMatrix(g, "runningVar"), "runningVar (unbiased over N·H·W)");
});

test("matches PyTorch after three batches (one of a single map) and in evaluation mode (1e-10)", () => {
  const g = golden("runningStatistics");
  const layer = layerFor(g);
  for (const batch of goldenMatrices(g, "batches")) layer.forward(batch);
  assert.equal(layer.numBatchesTracked, goldenNumber(g, "numBatchesTracked"));
  assertClose(layer.runningMean, goldenMatrix(g, "runningMean"), "runningMean");
  assertClose(layer.runningVar, goldenMatrix(g, "runningVar"), "runningVar");
  layer.eval();
  assertGoldenPass(layer, g, "eval");
});

test("backward agrees with finite differences for x, γ and β (random γ, β ≠ 0)", () => {
  const rng = makeRng(3);
  const layer = new BatchNorm2d(2, { eps: 1e-5 });
  layer.gamma.value.data.set([1.7, -0.6]);
  layer.beta.value.data.set([0.4, -1.1]);
  const errors = layerGradientErrors(layer, maps(4, 3, 2, 4), new Matrix(3, 8, rng.normalArray(24)));
  for (const [name, error] of Object.entries(errors)) assert.ok(error < 1e-7, `${name}: relError ${error}`);
});

test(
  "refuses maps that do not split into its channels, and " + "one value per channel in training, changing nothing",
  () => {
    const layer = new BatchNorm2d(3);
    assert.throws(
      () => layer.forward(new Matrix(2, 7)),
      /BatchNorm2d\(3\)\.forward: x has shape \[2, 7\], but its 7 columns do not split into 3 channels/,
    );
    assert.throws(
      () => layer.forward(new Matrix(1, 3)),
      /BatchNorm2d\(3\)\.forward: expected more than 1 value per channel when training.*N·H·W = 1/,
    );
    assert.deepEqual(Array.from(layer.runningVar.data), [1, 1, 1], "running statistics untouched");
    assert.equal(layer.numBatchesTracked, 0);
    assert.throws(() => layer.backward(new Matrix(1, 3)), /BatchNorm2d\(3\)\.backward/);
    layer.forward(maps(5, 1, 3, 4)); // one map of 4 positions trains, as in PyTorch
    assert.throws(() => layer.backward(new Matrix(2, 12)), /BatchNorm2d\(3\)\.backward dOut/);
    layer.eval();
    assert.doesNotThrow(() => layer.forward(new Matrix(1, 3)), "evaluation mode takes one value per channel");
  },
);
