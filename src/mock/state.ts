/**
 * Everything one mock server holds, passed to the route handlers. Nothing here is global: tests
 * start many servers in one process, and each has its own log, tokens, sessions and faults.
 */
import type { TokenRegistry } from './auth.js';
import type { BodyLimits } from './body.js';
import type { EventLog } from './event-log.js';
import type { FaultBook } from './faults.js';
import type { IdempotencyCache } from './idempotency.js';
import type { RunningLogStats } from './log-stats.js';
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
  stats: RunningLogStats;
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
  /** Resolves once every event appended so far is in the data file (at once without --data); 500 if it failed. */
  readonly persisted: () => Promise<void>;
  /** The newest event tails may deliver: the head, or with --data the newest one written. */
  readonly visibleHead: () => number;
  readonly now: () => number;
  /** Chatter (request lines, notices): stderr with --verbose, nowhere by default. */
  readonly say: (line: string) => void;
}
