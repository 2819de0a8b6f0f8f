/**
 * How long the tail waits before its next connection (docs/tail.md "Silence and failures"):
 * exponential backoff with full jitter from the server's `retry:` (1 s until it sends one), capped,
 * a `Retry-After` honoured, and started over only by progress. Counts consecutive failures for
 * `--max-retries`.
 */
import { backoffDelayMs } from '../api/retry.js';
import { giveUp, type Retry } from './failures.js';

export const DEFAULT_MAX_BACKOFF_MS = 30_000;
/** The first backoff ceiling until the server sends its own `retry:`. */
const DEFAULT_RETRY_MS = 1_000;

export interface BackoffOptions {
  /** Consecutive failed attempts before giving up; undefined retries forever. */
  maxRetries?: number | undefined;
  maxBackoffMs?: number | undefined;
  random?: (() => number) | undefined;
  /** For the error a tail that gives up ends with. */
  url: string;
}

export class ReconnectBackoff {
  readonly #options: BackoffOptions;
  #failures = 0;
  /** The server's `retry:`, in ms: the first step of the backoff. */
  #retryMs: number | undefined;

  constructor(options: BackoffOptions) {
    this.#options = options;
  }

  /** The number of the next attempt (1 after progress). */
  get attempt(): number {
    return this.#failures + 1;
  }

  /** The stream sent `retry:`. */
  serverRetry(ms: number): void {
    this.#retryMs = ms;
  }

  /**
   * The wait before reconnecting after `outcome`; throws the tail's final error when
   * `--max-retries` consecutive failures are used up.
   */
  next(outcome: Retry): number {
    if (outcome.progress) this.#failures = 0;
    if (outcome.immediate) return 0;
    this.#failures += 1;
    const max = this.#options.maxRetries;
    if (max !== undefined && this.#failures > max) throw giveUp(outcome, this.#failures, this.#options.url);
    const policy = {
      baseDelayMs: this.#retryMs ?? DEFAULT_RETRY_MS,
      maxDelayMs: this.#options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
      random: this.#options.random ?? Math.random,
    };
    return backoffDelayMs(this.#failures, policy, outcome.retryAfterMs);
  }
}
