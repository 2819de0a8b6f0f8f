/**
 * Bulk ingest: reads entries, sends them with bounded concurrency over keep-alive, and accounts
 * for every line: stored, invalid (with its line number), or dead-lettered. Nothing is dropped.
 * Order is not promised; each entry carries an Idempotency-Key, so the client's retries (and a
 * later re-ingest of the dead-letter file) never store it twice.
 */
import { randomUUID } from 'node:crypto';
import type { ApiClient } from '../api/client.js';
import type { IngestEntry } from '../api/types.js';
import { ApiError, InterruptedError } from '../errors.js';
import type { DeadLetterSink } from './dead-letter.js';
import { type LineOptions, parseIngestLine } from './parse-entry.js';

export interface InvalidLine {
  line: number;
  reason: string;
}

/**
 * Where every line read went. The buckets do not overlap, so once nothing is in flight they add
 * up: read = stored + replayed + invalid + deadLettered + blank.
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
  inFlight: number;
}

export interface IngestSummary extends IngestProgress {
  invalidLines: InvalidLine[];
  /** Why sending stopped early (cumulative quota, auth, interrupt), if it did. */
  stoppedBy: unknown;
  /** The last error that sent an entry to the dead-letter file. */
  lastFailure: unknown;
  /** The last input line read (for "stopped after line N"). */
  lastLine: number;
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
  /** Injected so tests can pin keys. */
  newKey?: () => string;
  now?: () => number;
}

/** Errors after which no other entry can succeed, so sending stops and the rest is dead-lettered. */
function stopsEverything(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.isCumulativeQuota || error.status === 401 || error.status === 403;
}

export async function runIngest(run: IngestRun): Promise<IngestSummary> {
  const now = run.now ?? Date.now;
  const started = now();
  const newKey = run.newKey ?? randomUUID;
  const progress: IngestProgress = {
    read: 0,
    stored: 0,
    replayed: 0,
    invalid: 0,
    deadLettered: 0,
    blank: 0,
    inFlight: 0,
  };
  const invalidLines: InvalidLine[] = [];
  let stoppedBy: unknown;
  let lastFailure: unknown;
  let lastLine = 0;
  const inFlight = new Set<Promise<void>>();
  const report = (): void => run.onProgress?.({ ...progress });

  const deadLetter = async (entry: IngestEntry, key: string, cause: unknown): Promise<void> => {
    lastFailure = cause;
    progress.deadLettered += 1;
    await run.deadLetter.write(entry, key);
  };

  const send = async (entry: IngestEntry, key: string, line: number): Promise<void> => {
    try {
      const { replayed } = await run.client.ingest(entry, { idempotencyKey: key, signal: run.signal });
      if (replayed) progress.replayed += 1;
      else progress.stored += 1;
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        progress.invalid += 1;
        invalidLines.push({ line, reason: `rejected by the service: ${error.message}` });
      } else {
        if (stopsEverything(error)) stoppedBy ??= error;
        await deadLetter(entry, key, run.signal.aborted ? run.signal.reason : error);
      }
    }
  };

  let freeSlot: (() => void) | undefined;
  for await (const text of run.lines) {
    lastLine += 1;
    progress.read += 1;
    const parsed = parseIngestLine(text, run.lineOptions);
    if (parsed.kind === 'blank') {
      progress.blank += 1;
      continue;
    }
    if (parsed.kind === 'invalid') {
      progress.invalid += 1;
      invalidLines.push({ line: lastLine, reason: parsed.reason });
      continue;
    }
    const key = parsed.idempotencyKey ?? newKey();
    if (run.signal.aborted) {
      // Entries already read when the user interrupted are not lost: they go to the dead-letter file.
      stoppedBy ??= run.signal.reason ?? new InterruptedError('interrupted');
      await deadLetter(parsed.entry, key, stoppedBy);
      break;
    }
    if (stoppedBy !== undefined) {
      await deadLetter(parsed.entry, key, stoppedBy);
      continue;
    }
    while (inFlight.size >= run.concurrency) {
      await new Promise<void>((resolve) => {
        freeSlot = resolve;
      });
    }
    const task = send(parsed.entry, key, lastLine).finally(() => {
      inFlight.delete(task);
      progress.inFlight = inFlight.size;
      report();
      freeSlot?.();
    });
    inFlight.add(task);
    progress.inFlight = inFlight.size;
  }
  await Promise.all(inFlight);
  if (run.signal.aborted) stoppedBy ??= run.signal.reason;
  report();
  return { ...progress, invalidLines, stoppedBy, lastFailure, lastLine, elapsedMs: now() - started };
}
