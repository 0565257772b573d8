/** Browser twin of `node:crypto`'s `randomBytes` (display ids and element ids only; never for secrets). */
class RandomBytes extends Uint8Array {
  /** "hex" gives two lowercase hex digits per byte, as a Node Buffer does. */
  override toString(encoding?: string): string {
    if (encoding !== "hex") return super.toString();
    return Array.from(this, (b) => b.toString(16).padStart(2, "0")).join("");
  }
}

export function randomBytes(size: number): RandomBytes {
  const bytes = new RandomBytes(size);
  crypto.getRandomValues(bytes);
  return bytes;
}

export default { randomBytes };
