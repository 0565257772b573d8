/**
 * A reader (and a small writer) for the IDX format that MNIST is distributed in.
 *
 * Layout (all integers big-endian):
 *   bytes 0–1   0x00 0x00
 *   byte  2     element type; only 0x08 = unsigned byte is supported here
 *   byte  3     number of dimensions k (1 for labels, 3 for images)
 *   then k × 4  the size of each dimension (e.g. 60000, 28, 28)
 *   then        the elements, row-major: size₁·size₂·…·size_k bytes
 * So the magic number is 0x00000801 for a label file and 0x00000803 for an image file.
 * A file that starts with the gzip magic bytes 1f 8b is gunzipped first.
 * Reading only parses bytes; nothing in a file is ever executed.
 */
import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { InputError } from "../core/checks";

/** An IDX array: the size of each dimension and the elements, row-major. */
export interface IdxArray {
  /** Dimension sizes, e.g. [60000, 28, 28] for images, [60000] for labels. */
  readonly dims: number[];
  /** The elements (unsigned bytes), dims[0]·dims[1]·… of them. */
  readonly data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;
const FIX =
  "Re-create it (node scripts/data/make-mnist-subset.mjs) or point `dir` at the four original MNIST IDX files.";

/** True when `bytes` starts with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses IDX bytes (gzipped or raw). `source` names the file in error messages;
 * `expectedDims` (1 for labels, 3 for images), when given, is checked against byte 3.
 * Throws InputError for a truncated gzip stream, a bad magic number, or a byte count
 * that disagrees with the header.
 */
export function decodeIdx(input: Uint8Array, source: string, expectedDims?: number): IdxArray {
  const bytes = isGzip(input) ? gunzip(input, source) : input;
  checkMagic(bytes, source, expectedDims);
  const k = bytes[3];
  const headerLength = 4 + 4 * k;
  if (bytes.length < headerLength) {
    throw new InputError(
      `${source}: the file ends inside the IDX header (${bytes.length} ` +
        `bytes, the header needs ${headerLength}); it is truncated. ${FIX}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: k }, (_, d) => view.getUint32(4 + 4 * d, false)); // big-endian
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerLength + count) {
    const problem = bytes.length < headerLength + count ? "it is truncated" : "it has extra bytes at the end";
    throw new InputError(
      `${source}: the header says ${dims.join(" × ")} = ${count} elements (${headerLength + count} ` +
        `bytes in all) but the file holds ${bytes.length} bytes; ${problem}. ${FIX}`,
    );
  }
  return { dims, data: new Uint8Array(bytes.subarray(headerLength)) }; // a copy, not a view into a Buffer
}

/** Reads and parses one IDX file (gzipped or raw); see `decodeIdx`. */
export function readIdxFile(path: string, expectedDims?: number): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "the file does not exist" : String(error);
    throw new InputError(`${path}: cannot read the IDX file (${reason}). ${FIX}`);
  }
  return decodeIdx(bytes, path, expectedDims);
}

/**
 * Builds the bytes of an IDX file of unsigned bytes (magic 0x0000080k, k = dims.length),
 * gzip-compressed when `gzip` is true. The inverse of `decodeIdx`; used by tests and
 * by scripts/data/make-mnist-subset.mjs's format.
 */
export function encodeIdx(
  dims: number[],
  data: ArrayLike<number>,
  { gzip = false }: { gzip?: boolean } = {},
): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (dims.length < 1 || dims.length > 255 || !dims.every((d) => Number.isInteger(d) && d >= 0 && d <= 0xffffffff)) {
    throw new InputError(`encodeIdx: dims must be 1 to 255 whole numbers in [0, 2³²), got [${dims.join(", ")}].`);
  }
  if (data.length !== count)
    throw new InputError(`encodeIdx: dims [${dims.join(", ")}] need ${count} elements, got ${data.length}.`);
  const out = new Uint8Array(4 + 4 * dims.length + count);
  const view = new DataView(out.buffer);
  view.setUint32(0, (UNSIGNED_BYTE << 8) | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const v = data[i];
    if (!(Number.isInteger(v) && v >= 0 && v <= 255))
      throw new InputError(`encodeIdx: element ${i} is ${v}; IDX unsigned bytes hold whole numbers 0…255.`);
    out[4 + 4 * dims.length + i] = v;
  }
  return gzip ? new Uint8Array(gzipSync(out, { level: 9 })) : out;
}

function gunzip(bytes: Uint8Array, source: string): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new InputError(
      `${source}: the file starts like gzip (1f 8b) but cannot be decompressed ` +
        `(${(error as Error).message}); it is truncated or corrupt. ${FIX}`,
    );
  }
}

function checkMagic(bytes: Uint8Array, source: string, expectedDims?: number): void {
  if (bytes.length < 4) {
    throw new InputError(
      `${source}: the file is only ${bytes.length} bytes long, too ` +
        `short for an IDX header; it is empty or truncated. ${FIX}`,
    );
  }
  const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new InputError(
      `${source}: not an IDX file: it starts with ${hex}, but an IDX file ` +
        `starts with 00 00 08 01 (labels) or 00 00 08 03 (images). ${FIX}`,
    );
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new InputError(
      `${source}: IDX element type 0x${bytes[2].toString(16).padStart(2, "0")} ` +
        `is not supported; only 0x08 (unsigned byte, as in MNIST) is. ${FIX}`,
    );
  }
  if (expectedDims !== undefined && bytes[3] !== expectedDims) {
    const magic = (k: number) =>
      `0x${(0x800 | k).toString(16).padStart(8, "0")} (${k === 1 ? "labels" : k === 3 ? "images" : `${k}-D data`})`;
    throw new InputError(
      `${source}: magic number ${magic(bytes[3])}, expected ` +
        `${magic(expectedDims)}; are the image and label files swapped? ${FIX}`,
    );
  }
}
