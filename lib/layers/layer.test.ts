import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { Parameter } from "../core/parameter";
import { Module } from "./layer";

test("a Parameter starts with a zero gradient of its own shape", () => {
  const p = new Parameter("weight", Matrix.from([[1, 2, 3]]));
  assert.deepEqual(p.grad.toArray(), [[0, 0, 0]]);
});

test("accumulate adds into grad (+=) and zeroGrad clears it", () => {
  const p = new Parameter("bias", Matrix.zeros(1, 2));
  p.accumulate(Matrix.from([[1, -2]]));
  p.accumulate(Matrix.from([[0.5, 4]]));
  assert.deepEqual(p.grad.toArray(), [[1.5, 2]]);
  p.zeroGrad();
  assert.deepEqual(p.grad.toArray(), [[0, 0]]);
  assert.throws(
    () => p.accumulate(Matrix.zeros(2, 1)),
    /Parameter "bias"\.accumulate: shapes must match, got \[1, 2\] and \[2, 1\]/,
  );
});

test("withName shares value and grad under a new name", () => {
  const p = new Parameter("weight", Matrix.from([[1, 2]]));
  const renamed = p.withName("0.weight");
  assert.equal(renamed.name, "0.weight");
  renamed.accumulate(Matrix.from([[3, 4]]));
  renamed.value.data[0] = 9;
  assert.deepEqual([p.grad.toArray(), p.value.toArray()], [[[3, 4]], [[9, 2]]]);
  assert.throws(
    () => new Parameter("w", Matrix.zeros(2, 2), Matrix.zeros(1, 2)),
    /Parameter "w": grad \[1, 2\] must have the shape of value \[2, 2\]/,
  );
});

class Identity extends Module {
  readonly name = "Identity";
  forward(x: Matrix): Matrix {
    return x;
  }
  backward(dOut: Matrix): Matrix {
    return dOut;
  }
}

test("a Module starts in training mode, switches with train()/eval(), and keeps its size by default", () => {
  const layer = new Identity();
  assert.equal(layer.training, true);
  layer.eval();
  assert.equal(layer.training, false);
  layer.train();
  assert.equal(layer.training, true);
  assert.deepEqual(layer.parameters(), []);
  assert.equal(layer.outputSize(7), 7);
});
