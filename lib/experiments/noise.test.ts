import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { numericalGradient, relError } from "../gradcheck";
import { valueStatistics } from "./statistics";
import { DistributionNoise } from "./noise";

test("DistributionNoise backward agrees with finite differences (same noise draw)", () => {
  const rng = makeRng(21);
  const x = new Matrix(5, 4, rng.normalArray(20, 1, 2));
  const dOut = new Matrix(5, 4, rng.normalArray(20));
  const fresh = () => new DistributionNoise(4, { rng: makeRng(99), maxShift: 0.5, maxScale: 3 });
  const layer = fresh();
  layer.forward(x);
  const dX = layer.backward(dOut);
  assert.ok(
    relError(
      dX,
      numericalGradient((v) => fresh().forward(v), x, dOut),
    ) < 1e-7,
  );
});

test("DistributionNoise moves each feature's mean and scale every step, and is the identity in eval", () => {
  const rng = makeRng(22);
  const x = new Matrix(200, 3, rng.normalArray(600));
  const layer = new DistributionNoise(3, { rng: makeRng(5), maxShift: 1, maxScale: 2 });
  const column = (m: Matrix) => Float64Array.from({ length: m.rows }, (_, i) => m.get(i, 0));
  const a = valueStatistics(column(layer.forward(x)));
  const b = valueStatistics(column(layer.forward(x)));
  assert.notEqual(a.mean, b.mean);
  const ratio = a.std / valueStatistics(column(x)).std;
  assert.ok(ratio >= 0.5 && ratio <= 2, `scale ${ratio}`);
  layer.eval();
  assert.equal(layer.forward(x), x);
  assert.throws(() => new DistributionNoise(3, { rng: makeRng(1), maxScale: 0.5 }), /maxScale/);
});
