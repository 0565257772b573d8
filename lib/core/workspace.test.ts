import { test } from "node:test";
import assert from "node:assert/strict";
import { Workspace } from "./workspace";

test("Workspace keeps one array per role: a smaller shape is a view of it, only a larger shape allocates", () => {
  const workspace = new Workspace();
  const large = workspace.matrix("out", 10, 3);
  assert.equal(workspace.matrix("out", 10, 3), large, "the same shape: the same matrix");
  const small = workspace.matrix("out", 4, 3);
  assert.deepEqual(small.shape, [4, 3]);
  assert.equal(small.data.length, 12, "the view is exactly rows·cols long");
  assert.equal(small.data.buffer, large.data.buffer, "a smaller shape shares the role's array");
  assert.equal(workspace.matrix("out", 10, 3).data.buffer, large.data.buffer, "back to the large shape: no new array");
  const larger = workspace.matrix("out", 11, 3);
  assert.notEqual(larger.data.buffer, large.data.buffer, "a larger shape gets a new array");
  assert.notEqual(workspace.matrix("dX", 4, 3).data.buffer, larger.data.buffer, "each role has its own array");
});

test("Workspace.result without reuse is a new zero matrix, never a workspace buffer", () => {
  const workspace = new Workspace();
  const kept = workspace.result("out", 2, 2, { reuse: true });
  kept.data.fill(7);
  const fresh = workspace.result("out", 2, 2);
  assert.notEqual(fresh.data.buffer, kept.data.buffer);
  assert.deepEqual([...fresh.data], [0, 0, 0, 0]);
});
