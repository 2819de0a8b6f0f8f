/**
 * The per-connection pieces of the tail: an AbortController tied to the run's signal (with a
 * listener removed when the connection ends; `AbortSignal.any` once per reconnect would leak into
 * the long-lived run signal), and the heartbeat watchdog that aborts it with a typed reason.
 */
import { type LinkedSignal, linkSignals } from '../util/abort.js';

/** The watchdog's abort reason: the connection went silent (not even a heartbeat) for too long. */
export class StaleConnectionError extends Error {
  readonly silentMs: number;
  constructor(silentMs: number) {
    super(`no data for ${Math.round(silentMs / 1_000)}s`);
    this.name = 'StaleConnectionError';
    this.silentMs = silentMs;
  }
}

export class ConnectionScope {
  /** Aborted by the watchdog alone; the connection's signal follows it and the run's signal. */
  readonly #watchdog = new AbortController();
  readonly #link: LinkedSignal;
  readonly #timeoutMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(parent: AbortSignal, heartbeatTimeoutMs: number) {
    this.#timeoutMs = heartbeatTimeoutMs;
    this.#link = linkSignals(parent, this.#watchdog.signal);
  }

  get signal(): AbortSignal {
    // Two sources are always given, so the link always has a signal.
    return this.#link.signal as AbortSignal;
  }

  /** Whether the watchdog (not the user, not the network) ended this connection. */
  get stale(): StaleConnectionError | undefined {
    const reason: unknown = this.signal.reason;
    return reason instanceof StaleConnectionError ? reason : undefined;
  }

  /** (Re)starts the heartbeat countdown: call on every chunk received. */
  arm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#watchdog.abort(new StaleConnectionError(this.#timeoutMs));
    }, this.#timeoutMs);
  }

  /** Stops the countdown while we are not reading (the consumer is writing, a backfill runs). */
  pause(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  dispose(): void {
    this.pause();
    this.#link.release();
  }
}
