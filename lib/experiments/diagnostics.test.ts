import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { Tanh } from "../layers/activations";
import { Linear } from "../layers/linear";
import { Sequential } from "../layers/sequential";
import { activationDiagnostics, weightDiagnostics } from "./diagnostics";
import { valueStatistics } from "./statistics";
import { traceStep } from "./trace";

function net(scale: number): Sequential {
  const rng = makeRng(31);
  return new Sequential([
    new Linear(10, 20, { rng, init: { gaussian: scale } }),
    new Tanh(),
    new Linear(20, 3, { rng, init: { gaussian: 0.1 } }),
  ]);
}

test("a too-large initialization saturates tanh; a small one does not", () => {
  const x = new Matrix(16, 10, makeRng(32).normalArray(160));
  const y = Array.from({ length: 16 }, (_, i) => i % 3);
  const big = activationDiagnostics(net(5), traceStep(net(5), x, y));
  const model = net(0.01);
  const small = activationDiagnostics(model, traceStep(model, x, y));
  assert.equal(big.length, 1);
  assert.equal(big[0].layer, 1);
  assert.ok(big[0].saturated > 0.8, `${big[0].saturated}`);
  assert.equal(small[0].saturated, 0);
  assert.ok(big[0].output.std > small[0].output.std);
});

test("weightDiagnostics reports ‖∂L/∂W‖ and α·std(grad)/std(W)", () => {
  const model = net(0.5);
  const x = new Matrix(16, 10, makeRng(33).normalArray(160));
  traceStep(
    model,
    x,
    Array.from({ length: 16 }, (_, i) => i % 3),
  );
  const rows = weightDiagnostics(model, 0.1);
  assert.deepEqual(
    rows.map((r) => r.layer),
    [0, 2],
  );
  const W = (model.layers[0] as Linear).weight;
  const ratio = valueStatistics(W.grad).std / valueStatistics(W.value).std;
  assert.ok(Math.abs(rows[0].updateToData - 0.1 * ratio) < 1e-15);
  assert.ok(Math.abs(rows[0].gradientNorm - Math.sqrt(W.grad.data.reduce((s, g) => s + g * g, 0))) < 1e-12);
});
