/**
 * Events per second over the last minute, by severity: 60 one-second buckets reused in a circle,
 * so it costs the same memory after a day as after a minute. Time is passed in, never read here.
 */
import { SEVERITIES } from '../model/event.js';

const WINDOW_SECONDS = 60;
/** Severity ranks 0‥5, plus one slot for events without a known severity. */
const LEVELS = SEVERITIES.length + 1;
const UNKNOWN = SEVERITIES.length;

/** Seconds averaged for the events/s figure: steadier than one second, still current. */
const RATE_SECONDS = 3;

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** One character of the sparkline: its glyph and the worst severity rank seen in its time span. */
export interface SparkCell {
  glyph: string;
  /** Highest severity rank with events in this span; -1 when there were none or only unknown ones. */
  worstRank: number;
}

export class RateMeter {
  private readonly counts = new Float64Array(WINDOW_SECONDS * LEVELS);
  private readonly stamps = new Float64Array(WINDOW_SECONDS).fill(-1);

  /** Counts `count` events of severity rank `rank` (-1 = unknown) at time `nowMs`. */
  record(rank: number, count: number, nowMs: number): void {
    const slot = this.slotFor(Math.floor(nowMs / 1000));
    this.counts[slot * LEVELS + (rank >= 0 && rank < UNKNOWN ? rank : UNKNOWN)]! += count;
  }

  /** Events per second over the last few complete seconds. */
  perSecond(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    let total = 0;
    for (let back = 1; back <= RATE_SECONDS; back++) total += this.totalAt(second - back);
    return total / RATE_SECONDS;
  }

  /**
   * The last minute as `width` cells, oldest first, heights scaled to the busiest cell. Each cell
   * covers 60/width seconds (rounded up), ending with the current second.
   */
  sparkline(nowMs: number, width: number): SparkCell[] {
    const cells = Math.max(1, Math.min(width, WINDOW_SECONDS));
    const span = Math.ceil(WINDOW_SECONDS / cells);
    const now = Math.floor(nowMs / 1000);
    const totals: number[] = [];
    const worst: number[] = [];
    for (let cell = cells - 1; cell >= 0; cell--) {
      let total = 0;
      let worstRank = -1;
      for (let offset = 0; offset < span; offset++) {
        const second = now - cell * span - offset;
        const slot = this.slotIfCurrent(second);
        if (slot === undefined) continue;
        for (let level = 0; level < LEVELS; level++) {
          const n = this.counts[slot * LEVELS + level]!;
          total += n;
          if (n > 0 && level < UNKNOWN && level > worstRank) worstRank = level;
        }
      }
      totals.push(total);
      worst.push(worstRank);
    }
    const peak = Math.max(...totals);
    return totals.map((total, i) => ({
      glyph:
        total === 0
          ? ' '
          : BARS[Math.min(BARS.length - 1, Math.floor((total / peak) * (BARS.length - 1) + 0.5))]!,
      worstRank: worst[i]!,
    }));
  }

  clear(): void {
    this.counts.fill(0);
    this.stamps.fill(-1);
  }

  private totalAt(second: number): number {
    const slot = this.slotIfCurrent(second);
    if (slot === undefined) return 0;
    let total = 0;
    for (let level = 0; level < LEVELS; level++) total += this.counts[slot * LEVELS + level]!;
    return total;
  }

  private slotIfCurrent(second: number): number | undefined {
    const slot = ((second % WINDOW_SECONDS) + WINDOW_SECONDS) % WINDOW_SECONDS;
    return this.stamps[slot] === second ? slot : undefined;
  }

  private slotFor(second: number): number {
    const slot = ((second % WINDOW_SECONDS) + WINDOW_SECONDS) % WINDOW_SECONDS;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.counts.fill(0, slot * LEVELS, (slot + 1) * LEVELS);
    }
    return slot;
  }
}
