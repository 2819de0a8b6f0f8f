/**
 * Running counts for GET /logs/stats (api.md, seed 003), kept as events come and go so that the
 * endpoint costs nothing whatever the size of the log.
 */
import type { LogStats } from '../api/types.js';
import { type LogEvent, SEVERITIES } from '../model/event.js';
import type { EventLog } from './event-log.js';

export class RunningLogStats {
  #total = 0;
  readonly #bySeverity = new Map<string, number>(SEVERITIES.map((severity) => [severity, 0]));
  readonly #bySource = new Map<string, number>();
  readonly #byDataset = new Map<string, number>();

  /** Counts what `log` holds from now on. */
  static follow(log: EventLog): RunningLogStats {
    const stats = new RunningLogStats();
    log.onAppend((event) => stats.#count(event, 1));
    log.onTrim((events) => {
      for (const event of events) stats.#count(event, -1);
    });
    return stats;
  }

  #count(event: LogEvent, delta: 1 | -1): void {
    this.#total += delta;
    // Every severity stays listed, at 0 too: a client can chart them without guessing the names.
    this.#bySeverity.set(event.severity, (this.#bySeverity.get(event.severity) ?? 0) + delta);
    if (event.source !== undefined) bump(this.#bySource, event.source, delta);
    if (event.dataset !== undefined) bump(this.#byDataset, event.dataset, delta);
  }

  /** The body of GET /logs/stats, in the contract type the client reads. */
  toBody(): LogStats {
    return {
      total: this.#total,
      bySeverity: Object.fromEntries(this.#bySeverity),
      bySource: Object.fromEntries(this.#bySource),
      byDataset: Object.fromEntries(this.#byDataset),
    };
  }
}

function bump(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next === 0 && delta < 0) counts.delete(key);
  else counts.set(key, next);
}
