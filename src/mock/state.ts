/**
 * Everything one mock server holds, passed to the route handlers. Nothing here is global: tests
 * start many servers in one process, and each has its own log, tokens, sessions and faults.
 */
import type { LogEvent } from '../model/event.js';
import type { TokenRegistry } from './auth.js';
import type { BodyLimits } from './body.js';
import type { EventLog } from './event-log.js';
import type { Stored } from './event-store.js';
import type { FaultBook } from './faults.js';
import type { IdempotencyCache } from './idempotency.js';
import type { OrgLogStats } from './log-stats.js';
import type { MockOptions } from './options.js';
import type { SessionStore } from './sessions.js';
import type { EventStamper } from './stamp.js';
import type { TailRegistry } from './tail-registry.js';
import type { TailMetrics } from './tail-stream.js';

/** The cumulative quota of `--quota-events`: events accepted by POST /logs in this incarnation. */
export interface IngestQuota {
  limit: number | undefined;
  used: number;
}

export interface MockState {
  readonly options: MockOptions;
  /** The current incarnation's log; a simulated restart without --data replaces it. */
  log: EventLog;
  stats: OrgLogStats;
  readonly stamper: EventStamper;
  readonly tokens: TokenRegistry;
  readonly sessions: SessionStore;
  readonly tails: TailRegistry;
  readonly faults: FaultBook;
  readonly idempotency: IdempotencyCache;
  readonly quota: IngestQuota;
  /** How much request bodies may hold: one, all at once, and for how long (docs/api.md "Limits"). */
  readonly bodyLimits: BodyLimits;
  readonly tailMetrics: TailMetrics;
  /**
   * `/_mock/*` needs a token: the server listens on an interface other than loopback and
   * `openAdmin` is off. Decided from the address actually bound, once listening.
   */
  adminNeedsToken: boolean;
  /**
   * Adds an event to the current log: at once, or with --data once its line is written. Nothing
   * else may append to a log, or an event could be shown that the data file does not hold.
   */
  readonly store: (event: LogEvent, tsMs: number) => Stored;
  readonly now: () => number;
  /** Chatter (request lines, notices): stderr with --verbose, nowhere by default. */
  readonly say: (line: string) => void;
}
