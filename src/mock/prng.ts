/**
 * A small seeded PRNG (mulberry32): the same `--seed` gives the same traffic and the same random
 * faults, so a failing client test can be run again exactly. Not for anything secret.
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `length` random hex digits (at most 32), as one flat string (see uuid-v7.ts on why). */
  hex(length: number): string {
    for (let i = 0; i < length; i += 8) {
      let bits = Math.floor(this.next() * 0x100000000);
      for (let j = i; j < i + 8 && j < length; j++, bits >>>= 4) HEX_OUT[j] = HEX_DIGITS[bits & 15]!;
    }
    return HEX_OUT.toString('latin1', 0, length);
  }
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const HEX_OUT = Buffer.alloc(32);

/** Picks among weighted choices with one random draw and a short scan. */
export class WeightedPicker<T> {
  readonly #items: readonly T[];
  readonly #cumulative: number[];

  constructor(entries: readonly (readonly [T, number])[]) {
    this.#items = entries.map(([item]) => item);
    let total = 0;
    this.#cumulative = entries.map(([, weight]) => {
      total += weight;
      return total;
    });
    this.#cumulative = this.#cumulative.map((value) => value / total);
  }

  pick(prng: Prng): T {
    const draw = prng.next();
    for (let i = 0; i < this.#cumulative.length; i++) if (draw < this.#cumulative[i]!) return this.#items[i]!;
    return this.#items[this.#items.length - 1]!;
  }
}
