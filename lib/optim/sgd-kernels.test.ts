import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { Parameter } from "../core/parameter";
import { SGD } from "./sgd";
import { readableSGDKernels, sgdKernels, sgdMomentumUpdate, sgdUpdate } from "./sgd-kernels";

test("sgdKernels holds the readable updates until something else is registered", () => {
  assert.deepEqual({ ...sgdKernels }, { ...readableSGDKernels });
  assert.equal(sgdKernels.sgdUpdate, sgdUpdate);
  assert.equal(sgdKernels.sgdMomentumUpdate, sgdMomentumUpdate);
});

test("SGD.step makes one call per parameter through the slot, the momentum one when μ > 0", () => {
  const params = [new Parameter("w", Matrix.from([[1, 2]])), new Parameter("b", Matrix.from([[3]]))];
  const calls: string[] = [];
  const saved = { ...sgdKernels };
  sgdKernels.sgdUpdate = (theta, ...rest) => {
    calls.push(`plain ${theta.length}`);
    saved.sgdUpdate(theta, ...rest);
  };
  sgdKernels.sgdMomentumUpdate = (theta, ...rest) => {
    calls.push(`momentum ${theta.length}`);
    saved.sgdMomentumUpdate(theta, ...rest);
  };
  try {
    new SGD(params, { learningRate: 0.1 }).step();
    new SGD(params, { learningRate: 0.1, momentum: 0.9 }).step();
  } finally {
    Object.assign(sgdKernels, saved);
  }
  assert.deepEqual(calls, ["plain 2", "plain 1", "momentum 2", "momentum 1"]);
});
