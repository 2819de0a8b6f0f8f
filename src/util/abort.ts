/**
 * AbortSignal plumbing shared by commands: signals linked to a run's signal that leave nothing
 * behind, timeouts with a typed reason, and reason-first errors.
 */
import { TimeoutReachedError } from '../errors.js';
import { formatDurationMs } from './duration.js';

/** A signal that follows its parents, and the call that detaches it from them. */
export interface LinkedSignal {
  /** Aborts (with the parent's reason) as soon as any parent does; undefined when there is none. */
  readonly signal: AbortSignal | undefined;
  /** Detaches from the parents; the linked signal is then garbage like any other object. */
  release(): void;
}

/**
 * Links a short-lived signal (one request) to long-lived ones (the run's). Not `AbortSignal.any`:
 * Node keeps every composite signal reachable from its sources for as long as they live, so a
 * run that made one per request (bulk ingest, paging, reconnects) grew by about a kilobyte per
 * request. Here each parent gets one listener that `release` removes, so the parents hold nothing
 * once a request is done. The signal is always a new one, which the caller may configure.
 */
export function linkSignals(...parents: (AbortSignal | undefined)[]): LinkedSignal {
  const sources = [...new Set(parents.filter((signal): signal is AbortSignal => signal !== undefined))];
  if (sources.length === 0) return { signal: undefined, release: () => {} };
  const controller = new AbortController();
  const aborted = sources.find((source) => source.aborted);
  if (aborted) {
    controller.abort(aborted.reason);
    return { signal: controller.signal, release: () => {} };
  }
  const listeners = sources.map((source) => {
    const onAbort = (): void => {
      release();
      controller.abort(source.reason);
    };
    source.addEventListener('abort', onAbort, { once: true });
    return { source, onAbort };
  });
  function release(): void {
    for (const { source, onAbort } of listeners) source.removeEventListener('abort', onAbort);
  }
  return { signal: controller.signal, release };
}

/**
 * The run's signal, also aborted with TimeoutReachedError after `timeoutMs` (when given). Made once
 * per command, so its one listener on `signal` lives as long as the command.
 */
export function withTimeout(signal: AbortSignal, timeoutMs: number | undefined): AbortSignal {
  if (timeoutMs === undefined) return signal;
  const timeout = new AbortController();
  const link = linkSignals(signal, timeout.signal);
  const timer = setTimeout(() => {
    timeout.abort(
      new TimeoutReachedError(`timed out after ${formatDurationMs(timeoutMs)}`, {
        hint: 'give it longer with a larger --timeout',
      }),
    );
  }, timeoutMs);
  // The timer must not keep a finished command alive.
  timer.unref();
  link.signal?.addEventListener('abort', () => clearTimeout(timer), { once: true });
  return link.signal ?? signal;
}

/** When a failure was caused by an abort, the abort's reason (interrupted, timed out) is what to report. */
export function abortReasonOr(signal: AbortSignal, error: unknown): unknown {
  // An error that tells more about the abort itself (caused by the reason) is kept.
  if (error instanceof Error && error.cause !== undefined && error.cause === signal.reason) return error;
  return signal.aborted && signal.reason !== undefined ? signal.reason : error;
}
