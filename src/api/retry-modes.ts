/**
 * Which failures one request of ApiClient sends again, by what the request is (a read, a keyed
 * write, a write that is not idempotent), and how the final error reads after several attempts.
 * The policy of waiting lives in retry.ts.
 */
import { ApiError, NetworkError } from '../errors.js';
import type { RequestOptions } from './client-types.js';
import { isRetryable, isRetryableUnsent, isRetryableWithKey } from './retry.js';

/**
 * all: every retryable failure (reads, idempotent writes); keyed: that and 5xx, for a request with
 * an Idempotency-Key; unsent: only failures proving the service did not act; none: one attempt.
 */
export type RetryMode = 'all' | 'keyed' | 'unsent' | 'none';

const RETRYABLE: Record<RetryMode, (error: unknown) => boolean> = {
  all: isRetryable,
  keyed: isRetryableWithKey,
  unsent: isRetryableUnsent,
  none: () => false,
};

/**
 * Whether `error` is worth another attempt in `mode`. A timeout never is: the wait was already as
 * long as the user allows (`--connect-timeout`, `--response-timeout`), and another would double it.
 */
export function worthRetrying(mode: RetryMode, error: unknown): boolean {
  return RETRYABLE[mode](error) && !isTimeout(error);
}

export function retryModeFor(
  method: string,
  retry: RequestOptions['retry'],
  headers: RequestOptions['headers'],
): RetryMode {
  if (retry === false) return 'none';
  const keyed = Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'idempotency-key');
  if (keyed) return 'keyed';
  if (retry !== undefined) return 'all';
  const upper = method.toUpperCase();
  return upper === 'POST' || upper === 'PATCH' ? 'unsent' : 'all';
}

/** After several attempts, the network message says so (the user sees why it took a while). */
export function withAttemptCount(error: unknown, attempts: number): unknown {
  if (attempts <= 1 || !(error instanceof NetworkError)) return error;
  return new NetworkError(`${error.message} (gave up after ${attempts} attempts)`, error.url, {
    hint: error.hint,
    cause: error.cause,
  });
}

/** Timed out connecting, or waiting for the answer. */
function isTimeout(error: unknown): boolean {
  const code = (error instanceof NetworkError ? (error.cause as { code?: unknown } | undefined) : undefined)
    ?.code;
  return (
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  );
}

/** One short phrase for a failure, for --debug lines. */
export function briefly(error: unknown): string {
  if (error instanceof ApiError) return `${error.status} ${error.code}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
