/**
 * Collapses repeated state lines: a server that resets every connection, or refuses every attempt
 * the same way, would otherwise write the same few lines to stderr on every cycle. A state whose
 * kind and cause were shown less than a window ago is held back and counted; the next time it is
 * shown it says `(repeated 37 times)` (at the end, the summary's counts stand for what was held).
 * What changes from one cycle to the next (a countdown, an attempt number) is not part of "the
 * same": `reconnecting in 1s (attempt 2)` and `reconnecting in 4s (attempt 4)` for one cause are
 * one state. Every renderer of state items (the line outputs, the live view's status) can use it.
 */
import type { TailStateItem } from './items.js';

/** A state shown less than this long ago is held back when it comes again. */
export const REPEAT_WINDOW_MS = 60_000;
/** States remembered at once: the oldest is forgotten past this (causes come from the server). */
const MAX_KEYS = 64;

interface Seen {
  shownAt: number;
  /** Held back since it was last shown. */
  held: number;
}

export class RepeatedStates {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #seen = new Map<string, Seen>();

  constructor(options: { windowMs?: number; now?: () => number } = {}) {
    this.#windowMs = options.windowMs ?? REPEAT_WINDOW_MS;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The line to show for `item` (rendered as `line`), or undefined to hold it back as a repeat.
   * A line shown after repeats were held back says how many.
   */
  admit(item: TailStateItem, line: string): string | undefined {
    const held = this.heldBefore(item);
    if (held === undefined) return undefined;
    return held > 0 ? `${line}${repeatsNote(held)}` : line;
  }

  /**
   * For a caller whose lines are not plain strings: undefined to hold `item` back as a repeat,
   * else how many repeats of it were held back before it (0 for none; say `repeatsNote`).
   */
  heldBefore(item: TailStateItem): number | undefined {
    const key = stateKey(item);
    const now = this.#now();
    const seen = this.#seen.get(key);
    if (seen !== undefined && now - seen.shownAt < this.#windowMs) {
      seen.held += 1;
      return undefined;
    }
    this.#seen.delete(key);
    if (this.#seen.size >= MAX_KEYS) {
      const oldest = this.#seen.keys().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    this.#seen.set(key, { shownAt: now, held: 0 });
    return seen?.held ?? 0;
  }
}

/** ` (repeated 3 times)`: what a line shown after held-back repeats ends with. */
export function repeatsNote(times: number): string {
  return ` (repeated ${times} time${times === 1 ? '' : 's'})`;
}

/** What makes two state items "the same" for a reader: their kind and cause, not their numbers. */
export function stateKey(item: TailStateItem): string {
  switch (item.kind) {
    case 'connecting':
    case 'live':
      return `${item.kind}\n${item.url}`;
    case 'reconnecting':
      return `${item.kind}\n${item.reason}\n${item.limit ?? ''}\n${item.silent === true}`;
    case 'gap':
      return `${item.kind}\n${item.reason}`;
    case 'missing':
      return `${item.kind}\n${item.detail}`;
    case 'notice':
      return `${item.kind}\n${item.level}\n${item.message}`;
    case 'ended':
      return `${item.kind}\n${item.reason}\n${item.detail ?? ''}`;
    default:
      return item.kind;
  }
}
