/**
 * The mock's configuration: every knob of api.md that a test or the `mock` command may turn, with
 * the contract's values as defaults, and the well-known development tokens.
 */
import type { DataFileSystem } from './data-file.js';
import type { FaultSpec } from './faults.js';

export const TIERS = ['hobby', 'pro', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];

/** The scopes of api.md that the mock's endpoints check. */
export const LOG_SCOPES = ['logs:read', 'logs:write', 'usage:read'] as const;

export interface MockToken {
  token: string;
  scopes: string[];
  tier: Tier;
  orgId?: string;
  projectId?: string;
}

/** Tokens every mock accepts, so that `sotail login --token so_test_sotail_dev` just works. */
export const DEV_TOKENS: readonly MockToken[] = Object.freeze([
  { token: 'so_test_sotail_dev', scopes: [...LOG_SCOPES], tier: 'pro' },
  { token: 'so_test_sotail_hobby', scopes: [...LOG_SCOPES], tier: 'hobby' },
  { token: 'so_test_sotail_readonly', scopes: ['logs:read'], tier: 'pro' },
]);

/** The fastest synthetic traffic: above it one timer tick would generate for seconds and freeze the mock. */
export const MAX_RATE_PER_SEC = 200_000;

export { DEFAULT_ORG_ID } from './event-org.js';
export const DEFAULT_PROJECT_ID = 'prj_sotail_dev';

export interface MockOptions {
  /** Interface to bind; loopback unless the user asks otherwise (docs/reliability.md "The mock"). */
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Accepted in addition to DEV_TOKENS. */
  tokens: MockToken[];
  /** Synthetic events per second appended to the log (0: none). */
  ratePerSec: number;
  /** Synthetic events pre-filled over the past `historySpanMs` at start. */
  history: number;
  historySpanMs: number;
  /** Seeds the traffic generator and the random faults, so runs repeat. */
  seed: number;
  heartbeatMs: number;
  /** A tail ends after this long without a matching event. */
  idleTimeoutMs: number;
  /** A tail ends after this long in all. */
  maxDurationMs: number;
  /** How many of the newest events a `Last-Event-ID` resume may replay. */
  replayWindow: number;
  /** How often a tail looks for new events. */
  pollIntervalMs: number;
  /** Events per SSE batch (one socket write each). */
  tailBatchSize: number;
  /** Concurrent tails per token; the next one gets 429 tail_session_limit_exceeded. */
  maxTailsPerToken: number;
  /** Tail sessions one token may hold; the next create gets 429 session_limit_exceeded. */
  maxSessionsPerToken: number;
  /**
   * Serve `/_mock/*` without a token even when bound to an interface other than loopback (there,
   * by default, they need a token with every log scope).
   */
  openAdmin: boolean;
  /** The `retry:` value sent at the start of each stream. */
  sseRetryMs: number;
  /** An SSE connection with more than this buffered in user space is dropped (it can resume). */
  maxBufferedBytes: number;
  /** An SSE connection that has not drained its socket for this long is dropped. */
  slowClientTimeoutMs: number;
  /** Request bodies above this get 413. */
  maxBodyBytes: number;
  /** All request bodies being received at once hold at most this; the body that would pass it gets 503. */
  maxInflightBodyBytes: number;
  /** A request body must arrive within this long of its first read, or it gets 408 and its connection closes. */
  bodyTimeoutMs: number;
  /**
   * The log keeps at most this many events; the oldest go first. The default bounds a long demo:
   * at 2,000 events/s with a tail open, RSS saws between about 180 and 280 MB (docs/api.md).
   */
  retainEvents: number;
  /** Idempotency keys are remembered this long. */
  idempotencyTtlMs: number;
  /** The first answers kept for idempotency keys hold at most this many bytes (the oldest go first). */
  idempotencyMaxBytes: number;
  /** A cumulative quota on events ingested through POST /logs (undefined: none). */
  quotaEvents?: number | undefined;
  /** NDJSON file the log is appended to and reloaded from, so cursors survive restarts. */
  dataFile?: string | undefined;
  /** How the data file is reached; tests give one whose writes fail like a full disk's. */
  dataFileSystem?: DataFileSystem | undefined;
  /** Faults armed at start (see faults.ts and docs/api.md). */
  faults?: FaultSpec[] | undefined;
  /** First sequence number of a fresh log; random by default so that each incarnation differs. */
  firstSeq?: number | undefined;
  /** Receives one line per request and per notable event (the command passes stderr with --verbose). */
  log?: ((line: string) => void) | undefined;
  /**
   * Receives what an operator must hear even without --verbose: a repaired data file, writes
   * failing and recovering (the command passes stderr warnings). Defaults to `log`.
   */
  warn?: ((line: string) => void) | undefined;
}

export const DEFAULT_MOCK_OPTIONS: Readonly<MockOptions> = Object.freeze({
  host: '127.0.0.1',
  port: 4010,
  tokens: [],
  ratePerSec: 0,
  history: 0,
  historySpanMs: 6 * 3_600_000,
  seed: 1,
  heartbeatMs: 15_000,
  idleTimeoutMs: 5 * 60_000,
  maxDurationMs: 30 * 60_000,
  replayWindow: 5_000,
  pollIntervalMs: 250,
  tailBatchSize: 200,
  maxTailsPerToken: 3,
  maxSessionsPerToken: 100,
  openAdmin: false,
  sseRetryMs: 3_000,
  maxBufferedBytes: 1024 * 1024,
  slowClientTimeoutMs: 10_000,
  maxBodyBytes: 1024 * 1024,
  maxInflightBodyBytes: 64 * 1024 * 1024,
  bodyTimeoutMs: 30_000,
  retainEvents: 200_000,
  idempotencyTtlMs: 24 * 3_600_000,
  idempotencyMaxBytes: 64 * 1024 * 1024,
});

/** Defaults filled in; the caller's token list is added to the dev tokens. */
export function resolveMockOptions(options: Partial<MockOptions> = {}): MockOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_MOCK_OPTIONS, ...defined, tokens: [...DEV_TOKENS, ...(options.tokens ?? [])] };
}
