/**
 * The per-connection pieces of the tail: an AbortController tied to the run's signal (with a
 * listener removed when the connection ends; `AbortSignal.any` once per reconnect would leak into
 * the long-lived run signal), and the heartbeat watchdog that aborts it with a typed reason.
 */

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
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal;
  readonly #onParentAbort: () => void;
  readonly #timeoutMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(parent: AbortSignal, heartbeatTimeoutMs: number) {
    this.#parent = parent;
    this.#timeoutMs = heartbeatTimeoutMs;
    this.#onParentAbort = () => this.#controller.abort(parent.reason);
    if (parent.aborted) this.#controller.abort(parent.reason);
    else parent.addEventListener('abort', this.#onParentAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the watchdog (not the user, not the network) ended this connection. */
  get stale(): StaleConnectionError | undefined {
    const reason: unknown = this.#controller.signal.reason;
    return reason instanceof StaleConnectionError ? reason : undefined;
  }

  /** (Re)starts the heartbeat countdown: call on every chunk received. */
  arm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#controller.abort(new StaleConnectionError(this.#timeoutMs));
    }, this.#timeoutMs);
  }

  /** Stops the countdown while we are not reading (the consumer is writing, a backfill runs). */
  pause(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  dispose(): void {
    this.pause();
    this.#parent.removeEventListener('abort', this.#onParentAbort);
  }
}
