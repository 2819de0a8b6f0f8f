/**
 * Running counts for GET /logs/stats (api.md, seed 003), kept per org as events come and go so
 * that the endpoint costs nothing whatever the size of the log, and a token counts only its own
 * org's events.
 */
import type { LogStats } from '../api/types.js';
import { type LogEvent, SEVERITIES } from '../model/event.js';
import type { EventLog } from './event-log.js';
import { orgOf } from './event-org.js';

/** The counts of every org that has events in one log. */
export class OrgLogStats {
  readonly #byOrg = new Map<string, RunningLogStats>();

  /** Counts what `log` holds: what it holds already (a reloaded data file), and from now on. */
  static follow(log: EventLog): OrgLogStats {
    const stats = new OrgLogStats();
    log.scan({ startSeq: log.firstSeq, endSeq: log.headSeq, org: null }, (event) => {
      stats.#of(event)?.count(event, 1);
      return true;
    });
    log.onAppend((event) => stats.#of(event)?.count(event, 1));
    log.onTrim((events) => {
      for (const event of events) stats.#of(event)?.count(event, -1);
    });
    return stats;
  }

  #of(event: LogEvent): RunningLogStats | undefined {
    const org = orgOf(event);
    if (org === undefined) return undefined;
    let stats = this.#byOrg.get(org);
    if (!stats) {
      stats = new RunningLogStats();
      this.#byOrg.set(org, stats);
    }
    return stats;
  }

  /** The body of GET /logs/stats for `org` (every severity at 0 for an org without events). */
  toBody(org: string): LogStats {
    return (this.#byOrg.get(org) ?? new RunningLogStats()).toBody();
  }
}

/** The counts of one org. */
class RunningLogStats {
  #total = 0;
  readonly #bySeverity = new Map<string, number>(SEVERITIES.map((severity) => [severity, 0]));
  readonly #bySource = new Map<string, number>();
  readonly #byDataset = new Map<string, number>();

  count(event: LogEvent, delta: 1 | -1): void {
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
