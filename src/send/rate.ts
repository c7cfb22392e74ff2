// A cap on requests started per second, for servers shared with other people.

/**
 * Spaces request starts at least 1000/rate ms apart (a token bucket holding one token), so no
 * one-second window ever sees more than `rate` starts. `now` is injectable for tests.
 */
export function createStartGate(ratePerSecond: number, now: () => number = () => performance.now()): {
  /** ms to wait before this start may happen; the start is booked */
  book(): number;
} {
  const interval = 1000 / ratePerSecond;
  let nextFree = -Infinity;
  return {
    book(): number {
      const t = now();
      const at = Math.max(t, nextFree);
      nextFree = at + interval;
      return at - t;
    },
  };
}
