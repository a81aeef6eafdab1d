/**
 * A small seeded pseudo-random generator (mulberry32) for randomized designs: the same seed always
 * draws the same switchback schedule or post-arm sequence, so a design can be audited and replayed.
 * Not for secrets.
 */

/** Uniform draws in [0, 1) from a 32-bit seed. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/** A fresh 31-bit seed from a [0, 1) source (e.g. crypto-backed), for designs created without one. */
export function newSeed(random: () => number): number {
  return Math.floor(random() * 2_147_483_647) + 1;
}
