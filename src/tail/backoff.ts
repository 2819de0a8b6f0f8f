/**
 * How long the tail waits before its next connection (docs/tail.md "Silence and failures"):
 * exponential backoff with full jitter from the server's `retry:` (1 s until it sends one), capped,
 * a `Retry-After` honoured up to a ceiling, started over only by progress, and never a connection
 * attempt sooner than a floor after the one before, whatever the server says or does: a server that
 * answers every connection with `retry: 0` and a hang-up, a reset, or a 429 with an absurd
 * `Retry-After` is not flooded. Counts consecutive failures for `--max-retries`.
 */
import { backoffDelayMs, MAX_SERVER_WAIT_MS, serverWaitMs } from '../api/retry.js';
import { formatDurationMs } from '../util/duration.js';
import { giveUp, type Retry } from './failures.js';

export const DEFAULT_MAX_BACKOFF_MS = 30_000;
/**
 * At most one connection attempt per this interval: the floor under every wait, the immediate
 * reconnects after a normal end or a reset included. Also the smallest first backoff step a
 * server's `retry:` can set.
 */
export const MIN_CONNECT_INTERVAL_MS = 1_000;
/** The first backoff step until the server sends its own `retry:`. */
const DEFAULT_RETRY_MS = 1_000;

export interface BackoffOptions {
  /** Consecutive failed attempts before giving up; undefined retries forever. */
  maxRetries?: number | undefined;
  /** The backoff cap (the testing knob SOTAIL_RETRY_MAX_MS lowers the floor with it). */
  maxBackoffMs?: number | undefined;
  random?: (() => number) | undefined;
  /** For the error a tail that gives up ends with. */
  url: string;
}

/** The wait before the next attempt, and what the server asked for when it was more than that. */
export interface Wait {
  delayMs: number;
  /** In words, when the server limited us with a `Retry-After` (clamped ones say so). */
  serverAsked?: string | undefined;
}

export class ReconnectBackoff {
  readonly #options: BackoffOptions;
  readonly #maxBackoffMs: number;
  readonly #floorMs: number;
  #failures = 0;
  /** The server's `retry:`, in ms: the first step of the backoff. */
  #retryMs: number | undefined;
  #lastAttemptAt: number | undefined;

  constructor(options: BackoffOptions) {
    this.#options = options;
    this.#maxBackoffMs = Math.max(0, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    this.#floorMs = Math.min(MIN_CONNECT_INTERVAL_MS, this.#maxBackoffMs);
  }

  /** The number of the next attempt (1 after progress). */
  get attempt(): number {
    return this.#failures + 1;
  }

  /** A connection attempt starts now (the floor counts from here). */
  attempting(nowMs: number): void {
    this.#lastAttemptAt = nowMs;
  }

  /** The stream sent `retry:`: kept within [floor, cap], so `retry: 0` cannot make a hot loop. */
  serverRetry(ms: number): void {
    this.#retryMs = Math.min(Math.max(ms, this.#floorMs), this.#maxBackoffMs);
  }

  /**
   * The wait before reconnecting after `outcome`; throws the tail's final error when
   * `--max-retries` consecutive failures are used up.
   */
  next(outcome: Retry, nowMs: number): Wait {
    if (outcome.progress) this.#failures = 0;
    let delayMs = 0;
    if (!outcome.immediate) {
      this.#failures += 1;
      const max = this.#options.maxRetries;
      if (max !== undefined && this.#failures > max) throw giveUp(outcome, this.#failures, this.#options.url);
      const policy = {
        baseDelayMs: this.#retryMs ?? Math.min(DEFAULT_RETRY_MS, this.#maxBackoffMs),
        maxDelayMs: this.#maxBackoffMs,
        random: this.#options.random ?? Math.random,
      };
      delayMs = backoffDelayMs(this.#failures, policy, outcome.retryAfterMs);
    }
    const sinceLast =
      this.#lastAttemptAt === undefined ? Number.POSITIVE_INFINITY : nowMs - this.#lastAttemptAt;
    delayMs = Math.max(delayMs, this.#floorMs - sinceLast);
    return { delayMs, serverAsked: describeServerWait(outcome.retryAfterMs) };
  }
}

/** `the server asked to wait 2s`, or, past the ceiling, that sotail waits less. */
function describeServerWait(retryAfterMs: number | undefined): string | undefined {
  if (retryAfterMs === undefined) return undefined;
  const asked = `the server asked to wait ${formatDurationMs(retryAfterMs)}`;
  return retryAfterMs > serverWaitMs(retryAfterMs)
    ? `${asked}; sotail waits at most ${formatDurationMs(MAX_SERVER_WAIT_MS)}`
    : asked;
}
