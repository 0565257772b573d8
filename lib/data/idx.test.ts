import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { InputError } from "../core/checks";
import { decodeIdx, encodeIdx, isGzip, readIdxFile } from "./idx";

/**
 * A [2, 2, 3] image file written out byte by byte from the IDX spec: magic 00 00 08 03, then three big-endian sizes.
 */
const HAND_WRITTEN_IMAGES = Uint8Array.from([
  0x00,
  0x00,
  0x08,
  0x03, // magic: unsigned bytes, 3 dimensions
  0x00,
  0x00,
  0x00,
  0x02, // 2 images
  0x00,
  0x00,
  0x00,
  0x02, // 2 rows
  0x00,
  0x00,
  0x00,
  0x03, // 3 columns
  0,
  1,
  2,
  3,
  4,
  5,
  250,
  251,
  252,
  253,
  254,
  255,
]);

function withTempDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "idx-test-"));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("decodes a hand-written image file: big-endian sizes, row-major bytes", () => {
  const { dims, data } = decodeIdx(HAND_WRITTEN_IMAGES, "hand-written", 3);
  assert.deepEqual(dims, [2, 2, 3]);
  assert.deepEqual(Array.from(data), [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
});

test("encodeIdx writes exactly the bytes of the spec, sizes above 255 in big-endian", () => {
  assert.deepEqual(encodeIdx([2, 2, 3], HAND_WRITTEN_IMAGES.subarray(16)), HAND_WRITTEN_IMAGES);
  const labels = encodeIdx([258], new Uint8Array(258).fill(9));
  assert.deepEqual(Array.from(labels.subarray(0, 8)), [0, 0, 8, 1, 0, 0, 1, 2]); // 258 = 0x0102
});

test("round trip through a raw and a gzipped file on disk", () => {
  const data = Uint8Array.from({ length: 3 * 4 * 5 }, (_, i) => (i * 37) % 256);
  withTempDir((dir) => {
    for (const gzip of [false, true]) {
      const path = join(dir, gzip ? "images.gz" : "images");
      writeFileSync(path, encodeIdx([3, 4, 5], data, { gzip }));
      const read = readIdxFile(path, 3);
      assert.deepEqual(read.dims, [3, 4, 5]);
      assert.deepEqual(read.data, data);
    }
  });
});

test("a gzipped file is recognised by its first two bytes 1f 8b", () => {
  assert.equal(isGzip(gzipSync(HAND_WRITTEN_IMAGES)), true);
  assert.equal(isGzip(HAND_WRITTEN_IMAGES), false);
  assert.deepEqual(decodeIdx(gzipSync(HAND_WRITTEN_IMAGES), "gz").dims, [2, 2, 3]);
});

/**
 * Writes `bytes` to a temp file and checks that reading it throws an InputError naming the file and matching `pattern`.
 */
function assertRejected(bytes: Uint8Array, pattern: RegExp, expectedDims = 3): void {
  withTempDir((dir) => {
    const path = join(dir, "corrupt-file");
    writeFileSync(path, bytes);
    assert.throws(
      () => readIdxFile(path, expectedDims),
      (error: Error) => {
        assert.ok(error instanceof InputError, `not an InputError: ${error}`);
        assert.ok(error.message.startsWith(path), `message does not name the file: ${error.message}`);
        assert.match(error.message, pattern);
        assert.match(error.message, /make-mnist-subset|point `dir`/); // and says what to do
        return true;
      },
    );
  });
}

test("a bad magic number is rejected", () => {
  assertRejected(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), /not an IDX file: it starts with 50 4b 03 04/);
});

test("an element type other than unsigned byte is rejected", () => {
  const floats = HAND_WRITTEN_IMAGES.slice();
  floats[2] = 0x0d;
  assertRejected(floats, /element type 0x0d is not supported/);
});

test("labels where images are expected are called out as swapped", () => {
  assertRejected(
    encodeIdx([4], [1, 2, 3, 4]),
    /magic number 0x00000801 \(labels\), expected 0x00000803 \(images\); are the image and label files swapped/,
  );
});

test("a truncated file, a file with extra bytes and a too-short file are rejected", () => {
  assertRejected(
    HAND_WRITTEN_IMAGES.subarray(0, HAND_WRITTEN_IMAGES.length - 1),
    /2 × 2 × 3 = 12 elements \(28 bytes in all\) but the file holds 27 bytes; it is truncated/,
  );
  assertRejected(Uint8Array.from([...HAND_WRITTEN_IMAGES, 7]), /holds 29 bytes; it has extra bytes at the end/);
  assertRejected(HAND_WRITTEN_IMAGES.subarray(0, 10), /ends inside the IDX header \(10 bytes, the header needs 16\)/);
  assertRejected(new Uint8Array(0), /only 0 bytes long/);
});

test("a truncated gzip stream is rejected", () => {
  const gz = gzipSync(
    encodeIdx(
      [50, 10, 10],
      new Uint8Array(5000).map((_, i) => i % 251),
    ),
  );
  assertRejected(
    gz.subarray(0, Math.floor(gz.length / 2)),
    /starts like gzip \(1f 8b\) but cannot be decompressed .*truncated or corrupt/,
  );
});

test("a missing file is named with what to do", () => {
  assert.throws(
    () => readIdxFile("/nonexistent/train-images-idx3-ubyte"),
    /\/nonexistent\/train-images-idx3-ubyte: cannot read the IDX file \(the file does not exist\)/,
  );
});

test("encodeIdx refuses values that are not bytes and a wrong element count", () => {
  assert.throws(() => encodeIdx([2], [1, 256]), /element 1 is 256/);
  assert.throws(() => encodeIdx([2, 2], [1, 2, 3]), /need 4 elements, got 3/);
});
