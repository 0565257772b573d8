/**
 * Seeded randomness. Nothing in `lib/` calls `Math.random`: the same seed gives
 * bit-identical numbers on every machine, so every notebook run is reproducible.
 *
 * Generator: xoshiro128** (Blackman & Vigna), a small, fast, well-tested 32-bit
 * generator, seeded through splitmix32 so that nearby seeds give unrelated streams.
 */
import { InputError } from "./checks";

export interface Rng {
  /** The seed this generator was made from. */
  readonly seed: number;
  /** A uniform number in [low, high) (default [0, 1)), 53 random bits. */
  uniform(low?: number, high?: number): number;
  /** A normal (Gaussian) number with the given mean and standard deviation (Box–Muller). */
  normal(mean?: number, std?: number): number;
  /** A uniform whole number in [0, n). */
  int(n: number): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** One element of `items`, chosen uniformly. */
  choice<T>(items: readonly T[]): T;
  /** A `Float64Array` of `count` normal numbers. */
  normalArray(count: number, mean?: number, std?: number): Float64Array;
  /** A new generator whose stream is derived from this one (for independent sub-tasks). */
  fork(): Rng;
}

/** Makes a seeded generator: `const rng = makeRng(1337)`. */
export function makeRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new InputError(`makeRng: seed must be a finite number, got ${seed}.`);
  let s = (Math.trunc(seed) | 0) >>> 0;
  const splitmix32 = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const state = new Uint32Array([splitmix32(), splitmix32(), splitmix32(), splitmix32()]);

  const next32 = (): number => {
    // xoshiro128**: result = rotl(s1 · 5, 7) · 9, then the linear state update.
    const result = Math.imul(rotl(Math.imul(state[1], 5), 7), 9) >>> 0;
    const t = state[1] << 9;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= t;
    state[3] = rotl(state[3], 11);
    return result;
  };

  let spareNormal: number | null = null; // Box–Muller makes two normals at a time

  const rng: Rng = {
    seed,
    uniform(low = 0, high = 1) {
      const hi = next32() >>> 5; // 27 bits
      const lo = next32() >>> 6; // 26 bits
      const u = (hi * 67108864 + lo) / 9007199254740992; // 53 bits in [0, 1)
      return low + (high - low) * u;
    },
    normal(mean = 0, std = 1) {
      if (spareNormal !== null) {
        const z = spareNormal;
        spareNormal = null;
        return mean + std * z;
      }
      const u1 = 1 - rng.uniform(); // in (0, 1], so log(u1) is finite
      const u2 = rng.uniform();
      const radius = Math.sqrt(-2 * Math.log(u1));
      spareNormal = radius * Math.sin(2 * Math.PI * u2);
      return mean + std * radius * Math.cos(2 * Math.PI * u2);
    },
    int(n) {
      if (!Number.isInteger(n) || n < 1) throw new InputError(`Rng.int: n must be a whole number ≥ 1, got ${n}.`);
      return Math.floor(rng.uniform() * n);
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
    choice(items) {
      if (items.length === 0) throw new InputError("Rng.choice: cannot choose from an empty list.");
      return items[rng.int(items.length)];
    },
    normalArray(count, mean = 0, std = 1) {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = rng.normal(mean, std);
      return out;
    },
    fork() {
      return makeRng(next32());
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
