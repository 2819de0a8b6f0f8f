/**
 * The event ids delivered most recently, to drop an event that reaches us twice: once from a
 * backfill (`/query`) and again from the live stream's replay, or twice across a reset. Bounded:
 * the oldest ids are forgotten first, and the bound is far above the server's replay window (the
 * only stretch where the two sources overlap).
 */

/** Ten times the API's replay window of 5,000 events; about 6 MB of ids at most. */
export const DEFAULT_RECENT_IDS = 50_000;

export class RecentIds {
  readonly #capacity: number;
  readonly #set = new Set<string>();
  readonly #ring: (string | undefined)[];
  #next = 0;

  constructor(capacity = DEFAULT_RECENT_IDS) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.#capacity = capacity;
    this.#ring = new Array(capacity);
  }

  has(id: string): boolean {
    return this.#set.has(id);
  }

  /** Remembers an id; returns false when it was already known (a duplicate). */
  add(id: string): boolean {
    if (this.#set.has(id)) return false;
    const evicted = this.#ring[this.#next];
    if (evicted !== undefined) this.#set.delete(evicted);
    this.#ring[this.#next] = id;
    this.#next = (this.#next + 1) % this.#capacity;
    this.#set.add(id);
    return true;
  }

  get size(): number {
    return this.#set.size;
  }
}
