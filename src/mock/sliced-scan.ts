/**
 * Scanning the log without holding the event loop: the mock is one thread, so a query over
 * millions of events (or a costly filter) would otherwise stop every heartbeat, ingest and tail
 * until it ends. The scan works in slices of a few milliseconds and yields between them.
 *
 * A slice ends by the clock, read after every event, not after so many events: one event can cost
 * milliseconds (a filter of 64 regexes over a 64 KiB message), and 64 such events between two
 * looks at the clock held the loop for seconds. Reading the clock costs tens of nanoseconds.
 */
import type { EventLog, ScanRange, ScanVisitor } from './event-log.js';

/** Work per slice before yielding to other connections (docs/soql.md "Limits"). */
export const SLICE_BUDGET_MS = 10;

/**
 * The clock slices are measured with (milliseconds, monotonic). One object that the log's
 * readers share, so that a test can make events look costly without spending the time.
 */
export const workClock = { now: (): number => performance.now() };

const waitingForTurn: Array<() => void> = [];
let turnScheduled = false;

function scheduleTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(grantTurn);
}

function grantTurn(): void {
  turnScheduled = false;
  const next = waitingForTurn.shift();
  // Scheduled from inside this check phase, the next grant waits for the next loop iteration:
  // the network is polled between any two slices, however many scans are under way.
  if (waitingForTurn.length > 0) scheduleTurn();
  next?.();
}

/**
 * Waits for a turn of the event loop in which no other slice of work runs. Each waiter of
 * `setImmediate` alone would run in the same check phase as every other one: four concurrent
 * scans of 30 ms slices held the loop for 120 ms between two looks at the network
 * (docs/reliability.md). Slices of every scan and compilation take turns, one per iteration.
 */
export function nextWorkTurn(): Promise<void> {
  return new Promise((resolve) => {
    waitingForTurn.push(resolve);
    scheduleTurn();
  });
}

export interface SliceOptions {
  /** Milliseconds of work per slice. */
  budgetMs?: number;
  /** Events per slice at most (tests use it to make slicing deterministic). */
  maxEvents?: number;
  /**
   * Stops the scan between slices (with the signal's reason) once the client has gone: nobody
   * will read the answer, and a client that sends heavy queries and hangs up must not keep the
   * mock busy for them.
   */
  signal?: AbortSignal | undefined;
}

/**
 * Visits `range` like `log.scan`, but in slices, yielding to the event loop between them; returns
 * how many events it looked at. Events appended meanwhile are beyond `range.endSeq` and not seen;
 * events trimmed meanwhile are skipped, as a scan starting later would skip them.
 */
export async function scanInSlices(
  log: EventLog,
  range: ScanRange,
  visit: ScanVisitor,
  options: SliceOptions = {},
): Promise<number> {
  const budgetMs = options.budgetMs ?? SLICE_BUDGET_MS;
  const maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
  const descending = range.descending === true;
  let { startSeq, endSeq } = range;
  let total = 0;
  for (;;) {
    const sliceStart = workClock.now();
    let inSlice = 0;
    let lastSeq: number | undefined;
    let stopped = false;
    let paused = false;
    total += log.scan({ ...range, startSeq, endSeq }, (event, seq) => {
      lastSeq = seq;
      if (!visit(event, seq)) {
        stopped = true;
        return false;
      }
      inSlice += 1;
      if (inSlice >= maxEvents || workClock.now() - sliceStart >= budgetMs) {
        paused = true;
        return false;
      }
      return true;
    });
    if (stopped || !paused || lastSeq === undefined) return total;
    if (descending) endSeq = lastSeq - 1;
    else startSeq = lastSeq + 1;
    if (startSeq > endSeq) return total;
    await nextWorkTurn();
    options.signal?.throwIfAborted();
  }
}
