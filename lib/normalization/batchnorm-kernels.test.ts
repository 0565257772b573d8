import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "../core/random";
import { randomBatch } from "../layers/test-helpers";
import { batchNormBackward, batchNormForward } from "./batchnorm-functional";
import { batchNormKernels } from "./batchnorm-kernels";
import { BatchNorm1d } from "./batchnorm1d";

test("until a faster kernel is registered, the slot holds the readable batchNormForward and batchNormBackward", () => {
  assert.equal(batchNormKernels.forward, batchNormForward);
  assert.equal(batchNormKernels.backward, batchNormBackward);
});

test(
  "BatchNorm1d makes one call through the slot per " + "training pass, passing its workspace and the reuse option",
  () => {
    const calls: string[] = [];
    const reuses: (boolean | undefined)[] = [];
    const workspaces = new Set<unknown>();
    batchNormKernels.forward = (x, gamma, beta, eps, options) => {
      calls.push("forward");
      reuses.push(options?.reuse);
      workspaces.add(options?.workspace);
      return batchNormForward(x, gamma, beta, eps, options);
    };
    batchNormKernels.backward = (dOut, cache, buffers) => {
      calls.push("backward");
      reuses.push(buffers?.reuse);
      workspaces.add(buffers?.workspace);
      return batchNormBackward(dOut, cache);
    };
    try {
      const layer = new BatchNorm1d(3);
      const rng = makeRng(3);
      const [x, dOut] = [randomBatch(rng, 4, 3), randomBatch(rng, 4, 3)];
      layer.forward(x);
      layer.backward(dOut);
      layer.forward(x, { reuse: true });
      layer.backward(dOut, { reuse: true });
      assert.deepEqual(reuses, [undefined, undefined, true, true]);
      assert.equal(workspaces.size, 1, "one workspace, the layer's own");
      assert.ok(!workspaces.has(undefined));
      layer.eval();
      layer.forward(x);
      layer.backward(dOut);
      assert.deepEqual(
        calls,
        ["forward", "backward", "forward", "backward"],
        "eval() uses the running statistics, not the slot",
      );
    } finally {
      batchNormKernels.forward = batchNormForward;
      batchNormKernels.backward = batchNormBackward;
    }
  },
);
