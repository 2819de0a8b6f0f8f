/**
 * Bulk ingest: reads entries, sends them with bounded concurrency over keep-alive, and accounts
 * for every line: stored, invalid (with its line number), dead-lettered, or, when the run had to
 * stop early, not handled (with the first such line, to resume from). Order is not promised. Each
 * entry carries an Idempotency-Key derived from the input (idempotency.ts), so the client's
 * retries, a re-run of the same input and a later re-ingest of the dead-letter file never store it
 * twice.
 */
import type { ApiClient } from '../api/client.js';
import type { IngestEntry } from '../api/types.js';
import { ApiError, DeadLetterWriteError, InterruptedError, NetworkError } from '../errors.js';
import type { DeadLetterSink } from './dead-letter.js';
import { type LineKeys, lineKeys } from './idempotency.js';
import { type LineOptions, parseIngestLine } from './parse-entry.js';

export interface InvalidLine {
  line: number;
  reason: string;
}

/**
 * Where every line read went. The buckets do not overlap, so once nothing is in flight they add
 * up: read = stored + replayed + invalid + deadLettered + blank + skipped + notHandled.
 */
export interface IngestProgress {
  read: number;
  /** Stored by this run. */
  stored: number;
  /** Already stored by an earlier attempt (the service recognised the idempotency key). */
  replayed: number;
  invalid: number;
  deadLettered: number;
  /** Empty or whitespace-only lines: nothing to send. */
  blank: number;
  /** Lines before `fromLine`: read to count them, never sent. */
  skipped: number;
  /** Neither stored nor in the dead-letter file: the run stopped (that file failed, the service out of reach). */
  notHandled: number;
  inFlight: number;
}

export interface IngestSummary extends IngestProgress {
  invalidLines: InvalidLine[];
  /** Why sending stopped early (cumulative quota, auth, interrupt, the dead-letter file), if it did. */
  stoppedBy: unknown;
  /** The last error that sent an entry to the dead-letter file. */
  lastFailure: unknown;
  /** Replays of entries whose key came from the input (not one a line carried): a run seen before. */
  replayedDerived: number;
  /** The last input line read (for "stopped after line N"). */
  lastLine: number;
  /** Set when the dead-letter file could not be written: reading stopped there. */
  deadLetterFailure: DeadLetterWriteError | undefined;
  /** The lines neither stored nor in the dead-letter file, ascending (at most `concurrency` + 1). */
  notHandledLines: number[];
  /**
   * When reading stopped before the end of the input: the first line not yet handled. Every line
   * before it is stored, invalid, blank or dead-lettered; running the same input again from here
   * (`--from-line`) stores the rest, and what was stored after it comes back as already stored.
   */
  resumeFrom: number | undefined;
  elapsedMs: number;
}

export interface IngestRun {
  client: Pick<ApiClient, 'ingest'>;
  /** Lines as text, or as the bytes read (decoded as strict UTF-8 by the parser). */
  lines: AsyncIterable<string | Uint8Array>;
  lineOptions: LineOptions;
  concurrency: number;
  deadLetter: DeadLetterSink;
  signal: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
  /** The key of each line's entry; by default derived from a stream (stdin) input. */
  keys?: LineKeys;
  /** Lines before this one (1-based) are counted as skipped and not sent; their numbers still count. */
  fromLine?: number;
  now?: () => number;
}

/** Errors after which no other entry can succeed, so sending stops and the rest is dead-lettered. */
/**
 * A service out of reach for this long, every entry in between failing after all its retries
 * (refused, reset, no answer, 5xx), stops the reading: dead-lettering the rest one retry cycle at
 * a time would take hours on a long input, and forever on one that does not end (`tail -f | sotail
 * ingest`). A short outage (a restart, a deploy) dead-letters what it hit and the run goes on.
 */
export const OUT_OF_REACH_STOP_MS = 30_000;

/** The service did not take the entry after every retry: unreachable, or failing (5xx). */
function outOfReach(error: unknown): error is NetworkError | ApiError {
  return error instanceof NetworkError || (error instanceof ApiError && error.status >= 500);
}

function stopsEverything(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.isCumulativeQuota || error.status === 401 || error.status === 403;
}

export async function runIngest(run: IngestRun): Promise<IngestSummary> {
  const now = run.now ?? Date.now;
  const started = now();
  const keyOf = run.keys ?? lineKeys({ kind: 'stream' });
  const fromLine = run.fromLine ?? 1;
  const progress: IngestProgress = {
    read: 0,
    stored: 0,
    replayed: 0,
    invalid: 0,
    deadLettered: 0,
    blank: 0,
    skipped: 0,
    notHandled: 0,
    inFlight: 0,
  };
  const invalidLines: InvalidLine[] = [];
  const notHandledLines: number[] = [];
  let stoppedBy: unknown;
  let lastFailure: unknown;
  let deadLetterFailure: DeadLetterWriteError | undefined;
  let lastLine = 0;
  let replayedDerived = 0;
  /** Since when every entry that came back failed out of reach; undefined after a success. */
  let failingSince: number | undefined;
  let failedInARow = 0;
  let unreachable: NetworkError | undefined;
  const inFlight = new Set<Promise<void>>();
  const report = (): void => run.onProgress?.({ ...progress });

  const notHandled = (line: number): void => {
    progress.notHandled += 1;
    notHandledLines.push(line);
  };

  const deadLetter = async (entry: IngestEntry, key: string, line: number, cause: unknown): Promise<void> => {
    try {
      await run.deadLetter.write(entry, key);
      lastFailure = cause;
      progress.deadLettered += 1;
    } catch (error) {
      // The line has nowhere to go: it is counted apart, and reading stops (below).
      deadLetterFailure ??=
        error instanceof DeadLetterWriteError
          ? error
          : new DeadLetterWriteError(`cannot write the dead-letter file: ${String(error)}`, { cause: error });
      stoppedBy = deadLetterFailure;
      notHandled(line);
    }
  };

  const send = async (entry: IngestEntry, key: string, line: number, derived: boolean): Promise<void> => {
    try {
      const { replayed } = await run.client.ingest(entry, { idempotencyKey: key, signal: run.signal });
      if (replayed) {
        progress.replayed += 1;
        if (derived) replayedDerived += 1;
      } else {
        progress.stored += 1;
      }
      failingSince = undefined;
      failedInARow = 0;
    } catch (error) {
      if (outOfReach(error) && !run.signal.aborted) noteOutOfReach(error);
      if (error instanceof ApiError && error.status === 400) {
        progress.invalid += 1;
        invalidLines.push({ line, reason: `rejected by the service: ${error.message}` });
      } else {
        if (stopsEverything(error)) stoppedBy ??= error;
        await deadLetter(entry, key, line, run.signal.aborted ? run.signal.reason : error);
      }
    }
  };

  const noteOutOfReach = (error: NetworkError | ApiError): void => {
    failingSince ??= now();
    failedInARow += 1;
    const failingMs = now() - failingSince;
    if (unreachable || failedInARow < run.concurrency || failingMs < OUT_OF_REACH_STOP_MS) return;
    unreachable = new NetworkError(
      `the service has taken no entry for ${Math.round(failingMs / 1000)}s (${failedInARow} in a row failed after every retry; last: ${error.message}): stopped reading`,
      error.url,
      {
        hint: 'is the service up? once it is, retry the dead letters and go on from the line named above',
        cause: error,
      },
    );
    stoppedBy ??= unreachable;
    freeSlot?.();
  };

  let freeSlot: (() => void) | undefined;
  let stoppedReading = false;
  for await (const text of run.lines) {
    lastLine += 1;
    progress.read += 1;
    if (lastLine < fromLine) {
      progress.skipped += 1;
      continue;
    }
    const parsed = parseIngestLine(text, run.lineOptions);
    if (parsed.kind === 'blank') {
      progress.blank += 1;
    } else if (parsed.kind === 'invalid') {
      progress.invalid += 1;
      invalidLines.push({ line: lastLine, reason: parsed.reason });
    } else {
      const key = parsed.idempotencyKey ?? keyOf(lastLine, parsed.entry);
      while (inFlight.size >= run.concurrency && !deadLetterFailure && !unreachable && !run.signal.aborted) {
        await new Promise<void>((resolve) => {
          freeSlot = resolve;
        });
      }
      if (deadLetterFailure || unreachable) {
        notHandled(lastLine);
      } else if (run.signal.aborted) {
        // Entries already read when the user interrupted are not lost: they go to the dead-letter file.
        stoppedBy ??= run.signal.reason ?? new InterruptedError('interrupted');
        await deadLetter(parsed.entry, key, lastLine, stoppedBy);
        stoppedReading = true;
        break;
      } else if (stoppedBy !== undefined) {
        await deadLetter(parsed.entry, key, lastLine, stoppedBy);
      } else {
        const task = send(parsed.entry, key, lastLine, parsed.idempotencyKey === undefined).finally(() => {
          inFlight.delete(task);
          progress.inFlight = inFlight.size;
          report();
          freeSlot?.();
        });
        inFlight.add(task);
        progress.inFlight = inFlight.size;
      }
    }
    // A dead-letter file that cannot be written stops the reading: what came next would have
    // nowhere to go if it failed. So does a service out of reach (OUT_OF_REACH_STOP_MS).
    if (deadLetterFailure || unreachable) {
      stoppedReading = true;
      break;
    }
  }
  // Aborting ends the lines early too (readLines stops reading): the input was not read to its end.
  const readToTheEnd = !stoppedReading && !run.signal.aborted;
  await Promise.all(inFlight);
  if (run.signal.aborted) stoppedBy ??= run.signal.reason;
  report();
  notHandledLines.sort((a, b) => a - b);
  const resumeFrom = readToTheEnd ? undefined : (notHandledLines[0] ?? lastLine + 1);
  return {
    ...progress,
    invalidLines,
    stoppedBy,
    lastFailure,
    lastLine,
    replayedDerived,
    deadLetterFailure,
    notHandledLines,
    resumeFrom,
    elapsedMs: now() - started,
  };
}
