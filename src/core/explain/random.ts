/**
 * Seeded pseudo-random numbers (mulberry32), so the same seed draws the same LIME samples on every
 * device and engine. Small and fast; statistically plenty for choosing which words to remove. It is
 * not numpy's stream, so samples differ from the Python reference's, not their distribution.
 */
export type Random = () => number;

/** Uniform floats in [0, 1) from a 32-bit integer seed. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [low, high). */
export function randomInt(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low));
}

/**
 * `count` distinct integers drawn uniformly from [0, n), by a partial Fisher-Yates shuffle of
 * `scratch` (which must hold a permutation of 0..n-1; it stays one, so it can be reused).
 */
export function sampleWithoutReplacement(random: Random, scratch: Int32Array, count: number): Int32Array {
  const n = scratch.length;
  for (let i = 0; i < count; i++) {
    const j = randomInt(random, i, n);
    const swap = scratch[i];
    scratch[i] = scratch[j];
    scratch[j] = swap;
  }
  return scratch.subarray(0, count);
}

/**
 * A uniform random sample of `size` items from a stream of unknown length, in one pass (Vitter's
 * algorithm R): item n replaces a kept one with probability size / n.
 */
export class Reservoir<T> {
  readonly items: T[] = [];
  private seen = 0;

  constructor(
    private readonly size: number,
    private readonly random: Random,
  ) {}

  add(item: T): void {
    this.seen++;
    if (this.items.length < this.size) {
      this.items.push(item);
      return;
    }
    const slot = randomInt(this.random, 0, this.seen);
    if (slot < this.size) this.items[slot] = item;
  }
}
