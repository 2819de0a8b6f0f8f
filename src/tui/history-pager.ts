/**
 * Runs the view model's history loads: fetches a page with the function the command gives (the
 * service's `/query`, with the tail's own filter) and hands the answer back to the model. A load
 * from before the history started over (a new filter, a jump to the newest) is aborted, and its
 * answer would be ignored anyway. The view closing aborts everything.
 */
import type { FetchHistory, HistoryPage, PendingLoad } from './history.js';

export type HistoryOutcome = HistoryPage | { error: string };

export class HistoryPager {
  readonly #fetch: FetchHistory;
  readonly #signal: AbortSignal;
  readonly #deliver: (load: PendingLoad, outcome: HistoryOutcome) => void;
  #inFlight = new Map<PendingLoad, AbortController>();

  constructor(
    fetch: FetchHistory,
    signal: AbortSignal,
    deliver: (load: PendingLoad, outcome: HistoryOutcome) => void,
  ) {
    this.#fetch = fetch;
    this.#signal = signal;
    this.#deliver = deliver;
  }

  run(load: PendingLoad): void {
    for (const [earlier, controller] of this.#inFlight) {
      if (earlier.generation < load.generation) controller.abort();
    }
    const controller = new AbortController();
    this.#inFlight.set(load, controller);
    // Linked by a listener removed when the request ends: a composite signal per request would be
    // kept by the view's signal for as long as the view runs.
    const onClose = (): void => controller.abort(this.#signal.reason);
    if (this.#signal.aborted) onClose();
    else this.#signal.addEventListener('abort', onClose, { once: true });
    const { signal } = controller;
    this.#fetch(load.request, signal)
      .then(
        (page) => {
          if (!signal.aborted) this.#deliver(load, page);
        },
        (error: unknown) => {
          if (!signal.aborted)
            this.#deliver(load, { error: error instanceof Error ? error.message : String(error) });
        },
      )
      .finally(() => {
        this.#signal.removeEventListener('abort', onClose);
        this.#inFlight.delete(load);
      });
  }
}
