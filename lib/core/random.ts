/**
 * Seeded randomness. Nothing in `lib/` draws from JavaScript's unseeded global generator: the same seed gives
 * bit-identical numbers on every machine, so every notebook run is reproducible.
 *
 * Generator: xoshiro128** (Blackman & Vigna), a small, fast, well-tested 32-bit
 * generator, seeded through splitmix32 so that nearby seeds give unrelated streams.
 */
import { InputError, shown } from "./checks";
import { cosSinTurns, log } from "./math";

/** A seeded random-number generator: every random draw in the kit goes through one (`makeRng(seed)`). */
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
  /** A copy of where the stream stands (like `torch.get_rng_state()`); `setState` of it replays what followed. */
  getState(): RngState;
  /** Puts the stream back where `getState()` found it (like `torch.set_rng_state(state)`). */
  setState(state: RngState): void;
}

/** Where a generator's stream stands: xoshiro128**'s four state words and the Box–Muller spare normal. */
export interface RngState {
  readonly words: readonly number[];
  readonly spareNormal: number | null;
}

/** Makes a seeded generator: `const rng = makeRng(1337)`. */
export function makeRng(seed: number): Rng {
  if (typeof seed !== "number" || !Number.isFinite(seed))
    throw new InputError(`makeRng: seed must be a finite number, got ${shown(seed)}.`);
  return new Xoshiro128(seed);
}

/**
 * xoshiro128** with a 128-bit state, seeded by four splitmix32 outputs. Methods are arrow
 * properties, so `xs.map(() => rng.normal())` and `const { normal } = rng` both work.
 */
class Xoshiro128 implements Rng {
  private readonly state: Uint32Array;
  private spareNormal: number | null = null; // Box–Muller makes two normals at a time

  constructor(readonly seed: number) {
    const next = splitmix32((Math.trunc(seed) | 0) >>> 0);
    this.state = new Uint32Array([next(), next(), next(), next()]);
  }

  uniform = (low = 0, high = 1): number => {
    const hi = this.next32() >>> 5; // 27 bits
    const lo = this.next32() >>> 6; // 26 bits
    const u = (hi * 67108864 + lo) / 9007199254740992; // 53 bits in [0, 1)
    return low + (high - low) * u;
  };

  normal = (mean = 0, std = 1): number => {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    const u1 = 1 - this.uniform(); // in (0, 1], so log(u1) is finite
    const u2 = this.uniform();
    const radius = Math.sqrt(-2 * log(u1)); // Box–Muller; log, cos, sin from ./math: the same bits in every engine
    const [cos, sin] = cosSinTurns(u2); // cos 2πu₂, sin 2πu₂
    this.spareNormal = radius * sin;
    return mean + std * radius * cos;
  };

  int = (n: number): number => {
    if (!Number.isInteger(n) || n < 1) throw new InputError(`Rng.int: n must be a whole number ≥ 1, got ${n}.`);
    return Math.floor(this.uniform() * n);
  };

  shuffle = <T>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  };

  choice = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new InputError("Rng.choice: cannot choose from an empty list.");
    return items[this.int(items.length)];
  };

  normalArray = (count: number, mean = 0, std = 1): Float64Array => {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = this.normal(mean, std);
    return out;
  };

  fork = (): Rng => makeRng(this.next32());

  getState = (): RngState => ({ words: Array.from(this.state), spareNormal: this.spareNormal });

  setState = (state: RngState): void => {
    const { words, spareNormal } = state ?? {};
    const ok =
      Array.isArray(words) && words.length === 4 && words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32);
    if (!ok || !(spareNormal === null || Number.isFinite(spareNormal))) {
      throw new InputError(`Rng.setState: expected what rng.getState() returned, got ${shown(state)}.`);
    }
    this.state.set(words);
    this.spareNormal = spareNormal;
  };

  /** xoshiro128**: result = rotl(s1 · 5, 7) · 9, then the linear state update. */
  private next32(): number {
    const state = this.state;
    const result = Math.imul(rotl(Math.imul(state[1], 5), 7), 9) >>> 0;
    const t = state[1] << 9;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= t;
    state[3] = rotl(state[3], 11);
    return result;
  }
}

/** splitmix32 from a 32-bit start: nearby seeds give unrelated outputs. */
function splitmix32(start: number): () => number {
  let s = start;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
