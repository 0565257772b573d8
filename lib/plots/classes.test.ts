import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { classScatter, decisionBoundary } from "./classes";
import { assertLabelled } from "./test-helpers";

function twoBlobs(seed: number) {
  const rng = makeRng(seed);
  const x = new Matrix(40, 2);
  const y = new Int32Array(40);
  for (let i = 0; i < 40; i++) {
    y[i] = i % 2;
    x.set(i, 0, (y[i] === 0 ? -2 : 2) + rng.normal());
    x.set(i, 1, rng.normal() * 0.5 + 1);
  }
  return { x, y };
}

test("classScatter draws one coloured trace per class with all its points", () => {
  const data = twoBlobs(1);
  const figure = classScatter(data, { title: "Two blobs", classNames: ["left", "right"] });
  assert.deepEqual(assertLabelled(figure), ["x₁", "x₂"]);
  assert.deepEqual(
    figure.data.map((t) => t.name),
    ["left", "right"],
  );
  assert.equal((figure.data[0].x as number[]).length, 20);
  assert.equal((figure.data[1].y as number[]).length, 20);
  assert.equal((figure.data[1].x as number[])[0], data.x.get(1, 0));
});

test("classScatter insists on 2-D points", () => {
  assert.throws(() => classScatter({ x: new Matrix(3, 3), y: [0, 1, 0] }, { title: "t" }), /classScatter x/);
});

test("decisionBoundary paints the predicted class on a grid around the data", () => {
  const data = twoBlobs(2);
  let seen = 0;
  const predict = (grid: Matrix) => {
    seen = grid.rows;
    return Array.from({ length: grid.rows }, (_, i) => (grid.get(i, 0) > 0 ? 1 : 0));
  };
  const figure = decisionBoundary(predict, data, { title: "Boundary x₁ = 0", resolution: 30 });
  assertLabelled(figure);
  assert.equal(seen, 900);
  const regions = figure.data[0];
  assert.equal(regions.type, "heatmap");
  const z = regions.z as number[][];
  const xs = regions.x as number[];
  assert.equal(z.length, 30);
  assert.equal(z[0].length, 30);
  xs.forEach((xv, j) => assert.equal(z[7][j], xv > 0 ? 1 : 0));
  const lowestX = Math.min(...Array.from({ length: 40 }, (_, i) => data.x.get(i, 0)));
  assert.ok(xs[0] < lowestX, "grid extends past the data");
  assert.equal(figure.data.length, 3); // regions + two classes
});

test("decisionBoundary takes scores [G, C] and uses the arg-max per row", () => {
  const data = twoBlobs(3);
  const scores = (grid: Matrix) => {
    const out = new Matrix(grid.rows, 3);
    // class 2 wins above y = 0, class 0 below (ties go to 0)
    for (let i = 0; i < grid.rows; i++) out.set(i, 2, grid.get(i, 1));
    return out;
  };
  const figure = decisionBoundary(scores, data, { title: "Scores", resolution: 10 });
  const ys = figure.data[0].y as number[];
  const z = figure.data[0].z as number[][];
  ys.forEach((yv, i) => assert.equal(z[i][4], yv > 0 ? 2 : 0));
  assert.equal(figure.data[0].zmax, 2.5);
});
