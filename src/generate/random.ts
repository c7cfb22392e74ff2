// A small seeded PRNG (mulberry32) so that the same seed gives the same values in the same order.

export interface Random {
  /** a float in [0, 1) */
  next(): number;
  /** an integer in [min, max], both inclusive */
  int(min: number, max: number): number;
  /** one element of a non-empty array */
  pick<T>(items: readonly T[]): T;
  /** true with the given probability (0.5 unless told) */
  chance(probability?: number): boolean;
  /** a new generator whose sequence depends on this one's current state, for independent sub-streams */
  fork(): Random;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => {
    const low = Math.ceil(Math.min(min, max));
    const high = Math.floor(Math.max(min, max));
    if (high < low) return low;
    return low + Math.floor(next() * (high - low + 1));
  };
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick from an empty array');
      return items[int(0, items.length - 1)] as T;
    },
    chance(probability = 0.5): boolean {
      return next() < probability;
    },
    fork(): Random {
      return createRandom(Math.floor(next() * 4294967296));
    },
  };
}
