/**
 * Saving a tail session's place (`sotail tail --session ID`): after events are written out, their
 * cursor is confirmed here, and the session's `lastCursor` is PATCHed with the newest confirmed
 * cursor at most once per interval, and once more on exit (docs/api.md "Tail sessions"). A restart
 * then continues where the output stopped: nothing lost, and at most one interval's events repeated
 * after a `kill -9` (none after a clean exit).
 *
 * A checkpoint never gets in the tail's way: PATCHes run one at a time in the background, a failure
 * is reported and retried at the next tick, and nothing here throws into the caller.
 */
import { ApiError } from '../errors.js';

/** How often, at most, a session's cursor is saved while events flow. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 5_000;
/** How long the last save on exit may take before the tail gives up on it. */
export const DEFAULT_FLUSH_TIMEOUT_MS = 3_000;

/** The one call the checkpointer makes (ApiClient has it). */
export interface CheckpointClient {
  updateSessionCursor(id: string, lastCursor: string, signal?: AbortSignal): Promise<unknown>;
}

export interface CheckpointFailure {
  cursor: string;
  error: unknown;
  /**
   * What happens next: `retry` the same cursor at the next tick (network, 5xx, 429); save the next
   * cursor confirmed, not this one (`next-cursor`: the server refused this cursor); or nothing more
   * (`stopped`: the session is gone or the token may not touch it; also when a flush gave up).
   */
  next: 'retry' | 'next-cursor' | 'stopped';
}

export interface CheckpointerOptions {
  client: CheckpointClient;
  sessionId: string;
  /** At most one PATCH per this many ms (default DEFAULT_CHECKPOINT_INTERVAL_MS). */
  intervalMs?: number;
  /** Told of every failed save; the tail shows it as a notice. */
  onFailure?: (failure: CheckpointFailure) => void;
  /** Told of every cursor the server has stored. */
  onSaved?: (cursor: string) => void;
}

/** Whether a failed save is worth repeating, and with which cursor. */
function nextAfter(error: unknown, aborted: boolean): CheckpointFailure['next'] {
  if (aborted) return 'stopped';
  if (!(error instanceof ApiError)) return 'retry';
  const { status } = error;
  if (status === 401 || status === 403 || status === 404 || status === 410) return 'stopped';
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'next-cursor';
  return 'retry';
}

export class SessionCheckpointer {
  readonly #client: CheckpointClient;
  readonly #sessionId: string;
  readonly #intervalMs: number;
  readonly #onFailure: (failure: CheckpointFailure) => void;
  readonly #onSaved: (cursor: string) => void;
  /** The newest cursor confirmed as written out. */
  #confirmed: string | undefined;
  /** The newest cursor the server is known to hold. */
  #saved: string | undefined;
  /** A cursor the server refused: not sent again. */
  #refused: string | undefined;
  #lastStartedAt = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #inFlightAbort: AbortController | undefined;
  #stopped = false;

  constructor(options: CheckpointerOptions) {
    this.#client = options.client;
    this.#sessionId = options.sessionId;
    this.#intervalMs = Math.max(0, options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS);
    this.#onFailure = options.onFailure ?? (() => {});
    this.#onSaved = options.onSaved ?? (() => {});
  }

  /** The newest cursor the server has stored through this checkpointer. */
  get saved(): string | undefined {
    return this.#saved;
  }

  /** Events up to `cursor` have been written out; call in the order they were written. */
  confirm(cursor: string): void {
    if (this.#stopped || cursor === '') return;
    this.#confirmed = cursor;
    this.#schedule();
  }

  /**
   * Saves the newest confirmed cursor now (after any save in flight) and stops: for the tail's
   * exit. Resolves within `timeoutMs`, true when the server holds the newest confirmed cursor.
   * Never rejects.
   */
  async flush(timeoutMs = DEFAULT_FLUSH_TIMEOUT_MS): Promise<boolean> {
    const wasStopped = this.#stopped;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    let deadlineTimer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      deadlineTimer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      if (this.#inFlight && (await Promise.race([this.#inFlight, deadline])) === 'timeout') return false;
      const newest = this.#confirmed;
      if (!wasStopped && this.#due(newest)) {
        if ((await Promise.race([this.#save(newest), deadline])) === 'timeout') return false;
      }
      return this.#confirmed === undefined || this.#confirmed === this.#saved;
    } finally {
      clearTimeout(deadlineTimer);
      // A save cut short by the deadline must not outlive the tail.
      this.#inFlightAbort?.abort();
    }
  }

  /** Stops without a last save (an error exit); a save in flight is abandoned. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#inFlightAbort?.abort();
  }

  #schedule(): void {
    if (this.#stopped || this.#timer !== undefined || this.#inFlight !== undefined) return;
    if (!this.#due(this.#confirmed)) return;
    const wait = Math.max(0, this.#lastStartedAt + this.#intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const newest = this.#confirmed;
      if (!this.#stopped && this.#due(newest)) void this.#save(newest);
    }, wait);
    // A pending checkpoint alone must not keep the process alive; the tail's exit flushes it.
    this.#timer.unref?.();
  }

  /** Whether `cursor` still needs saving. */
  #due(cursor: string | undefined): cursor is string {
    return cursor !== undefined && cursor !== this.#saved && cursor !== this.#refused;
  }

  /** One PATCH; afterwards the next one is scheduled if newer events were confirmed meanwhile. */
  #save(cursor: string): Promise<void> {
    const abort = new AbortController();
    this.#inFlightAbort = abort;
    this.#lastStartedAt = Date.now();
    // A client that throws instead of rejecting is still only a failed save.
    const request = new Promise((resolve) =>
      resolve(this.#client.updateSessionCursor(this.#sessionId, cursor, abort.signal)),
    );
    const run = request.then(
      () => {
        this.#saved = cursor;
        this.#report(() => this.#onSaved(cursor));
      },
      (error: unknown) => {
        const next = nextAfter(error, abort.signal.aborted);
        if (next === 'stopped') this.#stopped = true;
        if (next === 'next-cursor') this.#refused = cursor;
        this.#report(() => this.#onFailure({ cursor, error, next }));
      },
    );
    this.#inFlight = run.finally(() => {
      this.#inFlight = undefined;
      this.#inFlightAbort = undefined;
      this.#schedule();
    });
    return this.#inFlight;
  }

  /** A listener's bug must not become the tail's failure. */
  #report(call: () => void): void {
    try {
      call();
    } catch {
      // Reporting is best effort by design.
    }
  }
}
