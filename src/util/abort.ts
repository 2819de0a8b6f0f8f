/** AbortSignal plumbing shared by commands: timeouts with a typed reason, and reason-first errors. */
import { TimeoutReachedError } from '../errors.js';
import { formatDurationMs } from './duration.js';

/** The run's signal, also aborted with TimeoutReachedError after `timeoutMs` (when given). */
export function withTimeout(signal: AbortSignal, timeoutMs: number | undefined): AbortSignal {
  if (timeoutMs === undefined) return signal;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new TimeoutReachedError(`timed out after ${formatDurationMs(timeoutMs)}`)),
    timeoutMs,
  );
  // The timer must not keep a finished command alive.
  timer.unref();
  return AbortSignal.any([signal, controller.signal]);
}

/** When a failure was caused by an abort, the abort's reason (interrupted, timed out) is what to report. */
export function abortReasonOr(signal: AbortSignal, error: unknown): unknown {
  return signal.aborted && signal.reason !== undefined ? signal.reason : error;
}
