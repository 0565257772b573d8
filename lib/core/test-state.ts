/**
 * Test helper (not exported from the library): a bit-for-bit snapshot of everything reachable
 * from some objects — parameters, gradients, caches, running statistics, workspaces, optimizer
 * buffers, generator states — to check that a rejected call changed nothing.
 *
 * The walk follows every own property (TypeScript `private` fields are ordinary properties; JavaScript
 * `#` fields are not reachable, and the library keeps only scratch there: numbers overwritten before
 * they are read, such as a `Workspace`'s spare buffers),
 * arrays, Maps and typed arrays (copied byte for byte); numbers are kept by their bits, so NaN,
 * −0 and 1 ulp changes all count. A second path to an object already seen is recorded as a
 * reference to its first path, so swapping a cache for another object shows up too.
 * Functions are skipped (a generator's state lives in its typed array, not in its methods).
 */
import assert from "node:assert/strict";

/** path → bits of a number, a primitive as text, or the bytes of a typed array. */
export type StateSnapshot = Map<string, string | Uint8Array>;

/** Everything reachable from `roots`, named by path ("0.layers.1.runningMean.data"). */
export function snapshotState(...roots: unknown[]): StateSnapshot {
  const out: StateSnapshot = new Map();
  const seen = new Map<object, string>();
  roots.forEach((root, k) => walk(root, String(k), seen, out));
  return out;
}

function walk(value: unknown, path: string, seen: Map<object, string>, out: StateSnapshot): void {
  if (typeof value === "function") return;
  if (typeof value === "number") return void out.set(path, numberBits(value));
  if (typeof value !== "object" || value === null) return void out.set(path, `${typeof value}:${String(value)}`);
  const first = seen.get(value);
  if (first !== undefined) return void out.set(path, `→${first}`);
  seen.set(value, path);
  if (ArrayBuffer.isView(value))
    return void out.set(
      path,
      new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)),
    );
  if (value instanceof Map) {
    for (const [key, entry] of value) walk(entry, `${path}.get(${String(key)})`, seen, out);
    return;
  }
  for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], `${path}.${key}`, seen, out);
}

function numberBits(value: number): string {
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, value);
  return `number:${bits.getBigUint64(0).toString(16)}`;
}

/** Asserts two snapshots are identical, naming the first path that differs. */
export function assertSameState(before: StateSnapshot, after: StateSnapshot, context: string): void {
  for (const [path, value] of before) {
    assert.ok(after.has(path), `${context}: ${path} disappeared`);
    const now = after.get(path);
    const same =
      value instanceof Uint8Array && now instanceof Uint8Array ? Buffer.compare(value, now) === 0 : value === now;
    assert.ok(same, `${context}: ${path} changed`);
  }
  for (const path of after.keys()) assert.ok(before.has(path), `${context}: ${path} appeared`);
}
