/**
 * What the end of one connection means for the tail (docs/tail.md "Silence and failures"): stop
 * for good (an error thrown to the caller), or reconnect — at once and silently after a normal end,
 * after a backoff after a failure. Pure: the engine passes in what it knows.
 */
import { isRetryable } from '../api/retry.js';
import { ApiError, NetworkError } from '../errors.js';

/** How a connection ended: the tail is over, or it reconnects. */
export type Outcome = { kind: 'done' } | Retry;

export interface Retry {
  kind: 'retry';
  /** A one-line cause for the state line ("connection reset", "503 unavailable"). */
  reason: string;
  error?: unknown;
  /** The server's `Retry-After`, in ms. */
  retryAfterMs?: number | undefined;
  /** When the server limited us otherwise than by `Retry-After`, in words (the tail session limit). */
  limit?: string | undefined;
  /** The connection made progress: the backoff starts over. */
  progress: boolean;
  /** A normal end or a reset: reconnect without a backoff. */
  immediate?: boolean;
  /** Worth a line only with --verbose. */
  silent?: boolean;
}

export const DONE: Outcome = { kind: 'done' };

/**
 * The outcome of a connection that failed with `error`; throws the error when retrying cannot
 * help. `everLive`: some connection of this tail was accepted before (a tail session limit on the
 * first connection is someone else's tails; on a reconnect it may be our own dead connection).
 */
export function classifyFailure(error: unknown, progress: boolean, everLive: boolean): Retry {
  if (error instanceof ApiError) {
    if (error.code === 'tail_session_limit_exceeded') {
      if (!everLive) throw error;
      const limit = typeof error.extra.limit === 'number' ? error.extra.limit : undefined;
      return {
        kind: 'retry',
        reason: `429 ${error.code}`,
        error,
        retryAfterMs: error.retryAfterMs,
        limit: `at most ${limit ?? 'a few'} tails at once per token: waiting for a slot`,
        progress,
      };
    }
    if (isTransient(error)) {
      return {
        kind: 'retry',
        reason: `${error.status} ${error.code}`,
        error,
        retryAfterMs: error.retryAfterMs,
        progress,
      };
    }
    throw error;
  }
  if (error instanceof NetworkError) {
    if (!isRetryable(error)) throw error;
    return { kind: 'retry', reason: error.message, error, progress };
  }
  if (isConnectionError(error)) {
    return { kind: 'retry', reason: describeConnectionError(error), error, progress };
  }
  throw error;
}

/** 429 (but not the two limits waiting does not lift) and every 5xx: the tail waits and retries. */
export function isTransient(error: ApiError): boolean {
  return error.status >= 500 || isRetryable(error);
}

/** The error a tail that ran out of `--max-retries` ends with. */
export function giveUp(outcome: Retry, attempts: number, url: string): unknown {
  if (outcome.error instanceof ApiError || outcome.error instanceof NetworkError) return outcome.error;
  return new NetworkError(`the stream failed ${attempts} times in a row (last: ${outcome.reason})`, url, {
    hint: 'raise --max-retries, or leave it out to retry forever',
  });
}

/** Failures while reading an open body: undici's own errors and socket errno codes. */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('UND_ERR') || /^E[A-Z]+$/.test(code));
}

function describeConnectionError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message === 'other side closed' ? 'the connection was cut' : message;
}
