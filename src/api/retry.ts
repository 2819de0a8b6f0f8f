/**
 * The retry policy, kept pure so it can be tested without sockets or clocks: which failures are
 * worth another attempt, how long to wait (exponential backoff with full jitter, capped, or what
 * the server asked for in `Retry-After`, up to a ceiling), and a sleep that an AbortSignal cuts
 * short.
 */
import { ApiError, NetworkError } from '../errors.js';

export interface RetryPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  maxAttempts: number;
  /** The first backoff ceiling; it doubles with each failed attempt. */
  baseDelayMs: number;
  /** No backoff exceeds this (a server's `Retry-After` may, up to MAX_SERVER_WAIT_MS). */
  maxDelayMs: number;
  /** Source of randomness in [0, 1) for the jitter (tests pass a fixed one). */
  random?: () => number;
  /** How to wait (tests pass one that records the delay and returns at once). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: Readonly<Required<RetryPolicy>> = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  random: Math.random,
  sleep: abortableSleep,
};

/** At most this much jitter is added on top of a server's `Retry-After`. */
const RETRY_AFTER_JITTER_CAP_MS = 1_000;

/**
 * The longest a server can make sotail wait (`Retry-After`): 5 minutes. A longer wait is cut to
 * this and said so; the request is then tried again (docs/reliability.md, "Every wait has a
 * ceiling"). It also keeps every timer far below Node's limit.
 */
export const MAX_SERVER_WAIT_MS = 5 * 60_000;

/** Node's largest timer: a longer `setTimeout` fires after 1 ms instead (TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A server's `Retry-After` as sotail waits it: at most MAX_SERVER_WAIT_MS. */
export function serverWaitMs(retryAfterMs: number): number {
  return Math.min(Math.max(retryAfterMs, 0), MAX_SERVER_WAIT_MS);
}

/** Network error codes raised before the request left this machine: the server never saw it. */
const UNSENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** TLS failures: another attempt meets the same certificate, so none is made. */
const TLS_CODE = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

export function mergeRetryPolicy(...parts: (Partial<RetryPolicy> | undefined)[]): Required<RetryPolicy> {
  const merged: Required<RetryPolicy> = { ...DEFAULT_RETRY_POLICY };
  for (const part of parts) {
    if (!part) continue;
    for (const [key, value] of Object.entries(part)) {
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
    }
  }
  merged.maxAttempts = Math.max(1, Math.floor(merged.maxAttempts));
  return merged;
}

/**
 * Whether waiting and sending the same request again may succeed: network failures (but not TLS),
 * 502/503/504, and 429 except the two limits that waiting does not lift (the concurrent-tail
 * limit, and a quota marked `cumulative: true`). Never 400/401/402/403/404/413, nor 500 (a bug:
 * repeating a request that is not idempotent could do its work twice; see isRetryableWithKey).
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError) return !TLS_CODE.test(causeCode(error) ?? '');
  if (!(error instanceof ApiError)) return false;
  if (error.status === 429) {
    return error.code !== 'tail_session_limit_exceeded' && !error.isCumulativeQuota;
  }
  return error.status === 502 || error.status === 503 || error.status === 504;
}

/**
 * Whether a request that carries an `Idempotency-Key` may be sent again: everything `isRetryable`
 * allows, and also a 500 or any other 5xx but 501 (not implemented, which no retry changes). A
 * 5xx may come after the service stored the entry ("500 after storing"); the key makes the repeat
 * harmless, since the service answers it as a replay instead of storing it twice. Still bounded
 * by the policy's attempts: a service that keeps failing is reported, not hammered.
 */
export function isRetryableWithKey(error: unknown): boolean {
  if (isRetryable(error)) return true;
  return error instanceof ApiError && error.status >= 500 && error.status <= 599 && error.status !== 501;
}

/**
 * Whether the failure proves the service did not act on the request, so even a request that is
 * not idempotent (creating a session) may be sent again: the connection was never made, or the
 * service itself (its own error envelope, not a proxy) refused it as rate-limited or unavailable.
 */
export function isRetryableUnsent(error: unknown): boolean {
  if (error instanceof NetworkError) return UNSENT_NETWORK_CODES.has(causeCode(error) ?? '');
  if (!(error instanceof ApiError)) return false;
  return (
    (error.status === 429 && error.code === 'rate_limited') ||
    (error.status === 503 && error.code === 'unavailable')
  );
}

/**
 * How long to wait after failed attempt number `attempt` (1-based). With a `Retry-After` the wait
 * is that (at most MAX_SERVER_WAIT_MS) plus a little jitter (so many clients told the same time do
 * not return in one burst); otherwise "full jitter": uniform in [0, min(maxDelay, base × 2^(attempt-1))].
 */
export function backoffDelayMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
  retryAfterMs?: number,
): number {
  const random = policy.random ?? Math.random;
  if (retryAfterMs !== undefined && !Number.isNaN(retryAfterMs) && retryAfterMs >= 0) {
    const wait = serverWaitMs(retryAfterMs);
    const jitterCap = Math.min(RETRY_AFTER_JITTER_CAP_MS, wait / 10);
    return Math.round(wait + random() * jitterCap);
  }
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.round(random() * Math.max(ceiling, 0));
}

/**
 * `Retry-After` as milliseconds: delta-seconds (`120`, decimals tolerated) or an HTTP-date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`, measured from `nowMs`, never negative). Undefined when absent
 * or unreadable, so the caller falls back to its own backoff.
 */
export function parseRetryAfterMs(
  value: string | string[] | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  // Digits past what a number holds are still "very long": the ceiling applies, not a fallback.
  if (/^\d+(?:\.\d+)?$/.test(text))
    return Math.min(Math.round(Number(text) * 1_000), Number.MAX_SAFE_INTEGER);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Resolves after `ms` (never more than Node's largest timer, which a longer wait would overflow
 * into 1 ms), or rejects with the signal's reason as soon as it is aborted.
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const delay = Number.isNaN(ms) ? 0 : Math.min(Math.max(ms, 0), MAX_TIMER_MS);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delay);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function causeCode(error: NetworkError): string | undefined {
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}
