/**
 * The one interrupt path of the program. The first Ctrl-C (or SIGTERM, or the TUI's Ctrl-C key)
 * aborts the run's AbortController: every command then finishes writing what it owes — the ingest
 * summary and dead letters, the tail's summary and checkpoint — and exits 130. Only a second
 * interrupt from the user forces the exit.
 *
 * conf writes through `atomically`, whose `when-exit` dependency installs SIGINT/SIGTERM handlers
 * that run its clean-ups and then re-raise the signal. That re-raised signal would look like the
 * user's second Ctrl-C and cut the graceful shutdown short, so libraries are loaded through
 * `importOwningSignals`, which removes the handlers they add. Their clean-ups still run on the
 * process's `exit` event.
 */

const OWNED_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface Interrupts {
  /** Aborted with the reason of the first interrupt. */
  readonly signal: AbortSignal;
  /** What a signal, or the TUI's Ctrl-C key, calls: the first aborts, the second forces the exit. */
  interrupt(reason: Error): void;
}

/**
 * Counts interrupts: the first aborts `controller` with `reason`, a later one calls `forceExit`
 * (the entry point's `process.exit(130)`: the user asked twice).
 */
export function createInterrupts(controller: AbortController, forceExit: () => void): Interrupts {
  let count = 0;
  return {
    signal: controller.signal,
    interrupt(reason) {
      count += 1;
      if (count > 1) forceExit();
      else controller.abort(reason);
    },
  };
}

/** Loads a module, removing any SIGINT/SIGTERM handler its loading installed (see above). */
export async function importOwningSignals<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(OWNED_SIGNALS.map((name) => [name, new Set(process.listeners(name))]));
  try {
    return await load();
  } finally {
    for (const name of OWNED_SIGNALS) {
      for (const listener of process.listeners(name)) {
        if (!before.get(name)?.has(listener)) process.off(name, listener);
      }
    }
  }
}
