/**
 * `--data FILE`: the log as append-only NDJSON, one event a line with its sequence number first
 * (`{"seq":1042,"event_id":…}`), reloaded at start so that cursors continue across restarts.
 * An event is acknowledged only once its line is written; a reload keeps every readable line.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { type LogEvent, normalizeSeverity } from '../model/event.js';
import { findTooDeep } from '../model/limits.js';
import { buildEvent } from './event-input.js';
import { EventLog } from './event-log.js';

export interface LoadResult {
  log: EventLog | undefined;
  /** Lines that could not be read (a torn last line after a crash, hand edits). */
  skipped: number;
}

/** Reads a data file into a new log; `log` is undefined when the file is missing or holds no event. */
export async function loadDataFile(path: string, retainEvents: number): Promise<LoadResult> {
  let log: EventLog | undefined;
  let skipped = 0;
  let input: ReturnType<typeof createReadStream>;
  try {
    input = createReadStream(path, { encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => input.once('open', () => resolve()).once('error', reject));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { log: undefined, skipped };
    throw error;
  }
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '') continue;
    const record = readLine(line);
    if (!record) {
      skipped += 1;
      continue;
    }
    // A number at or below the head repeats one already loaded (hand edits): the first one wins.
    if (log && record.seq <= log.headSeq) {
      skipped += 1;
      continue;
    }
    log ??= new EventLog(record.seq, retainEvents);
    // A hole (a line above could not be read) costs that line only: later events keep their cursors.
    log.appendAt(record.seq, record.event, record.tsMs);
  }
  return { log, skipped };
}

function readLine(line: string): { seq: number; event: LogEvent; tsMs: number } | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { seq, ts } = value;
  if (!Number.isSafeInteger(seq) || (seq as number) < 1 || typeof ts !== 'string') return undefined;
  const tsMs = Date.parse(ts);
  if (!Number.isFinite(tsMs) || typeof value.event_id !== 'string' || typeof value.message !== 'string') {
    return undefined;
  }
  const severity = typeof value.severity === 'string' ? normalizeSeverity(value.severity) : undefined;
  const payload = value.payload ?? {};
  // Only what the service itself could have stored: nothing later may trip over the event.
  if (severity === undefined || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  if (findTooDeep(payload) !== undefined) return undefined;
  // Rebuilt through buildEvent so that loaded events share the shape of new ones.
  const event = buildEvent({
    event_id: value.event_id,
    ts,
    ingested_at: typeof value.ingested_at === 'string' ? value.ingested_at : ts,
    dataset: label(value.dataset),
    severity,
    event: label(value.event),
    actor: label(value.actor),
    source: label(value.source),
    message: value.message,
    payload: payload as Record<string, unknown>,
    bytes_raw: typeof value.bytes_raw === 'number' ? value.bytes_raw : 0,
  });
  return { seq: seq as number, event, tsMs };
}

function label(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** What waiting for a write ends with: nothing, or the error the file system gave. */
export type WriteOutcome = Error | undefined;

interface Batch {
  lines: string[];
  lastSeq: number;
  done: Promise<WriteOutcome>;
  settle: (outcome: WriteOutcome) => void;
}

/**
 * Appends a log's new events to the data file. Lines appended in one turn of the event loop go out
 * in one write (group commit); while a write is under way the next batch gathers, so under load
 * batches grow instead of queueing. `written()` tells a request when its event is in the file.
 *
 * "In the file" means handed to the kernel by write(2), not fsync'ed: a crash or kill of the mock
 * loses nothing acknowledged, a power cut may lose the last moments (docs/api.md "The mock").
 * An fsync per batch would cost a disk round trip per acknowledgement.
 */
export class DataFileWriter {
  readonly #handle: FileHandle;
  readonly #onError: (error: unknown) => void;
  #gathering: Batch | undefined;
  #writing: Promise<WriteOutcome> | undefined;
  #writtenThrough: number;

  private constructor(handle: FileHandle, writtenThrough: number, onError: (error: unknown) => void) {
    this.#handle = handle;
    this.#writtenThrough = writtenThrough;
    this.#onError = onError;
  }

  /** The sequence number of the newest event in the file. */
  get writtenThrough(): number {
    return this.#writtenThrough;
  }

  /** Opens (creating) the file for appending; fails now, not at the first write, if it cannot. */
  static async open(
    path: string,
    writtenThrough: number,
    onError: (error: unknown) => void,
  ): Promise<DataFileWriter> {
    const handle = await open(path, 'a+');
    // A torn last line (a crash mid-write) must not swallow the next event into it.
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) await handle.appendFile('\n', 'utf8');
    }
    return new DataFileWriter(handle, writtenThrough, onError);
  }

  append(event: LogEvent, seq: number): void {
    const line = `{"seq":${seq},${JSON.stringify(event).slice(1)}`;
    if (this.#gathering) {
      this.#gathering.lines.push(line);
      this.#gathering.lastSeq = seq;
      return;
    }
    let settle!: (outcome: WriteOutcome) => void;
    const done = new Promise<WriteOutcome>((resolve) => {
      settle = resolve;
    });
    this.#gathering = { lines: [line], lastSeq: seq, done, settle };
    setImmediate(() => this.#flush());
  }

  /** Resolves once every line appended so far is in the file, with the error if one could not be written. */
  written(): Promise<WriteOutcome> {
    return this.#gathering?.done ?? this.#writing ?? Promise.resolve(undefined);
  }

  #flush(): void {
    const batch = this.#gathering;
    // One write at a time, in order; what gathers meanwhile goes out when this one is done.
    if (!batch || this.#writing) return;
    this.#gathering = undefined;
    const writing = this.#handle.appendFile(`${batch.lines.join('\n')}\n`, 'utf8').then(
      (): WriteOutcome => undefined,
      (error: unknown): WriteOutcome => {
        this.#onError(error);
        return error instanceof Error ? error : new Error(String(error));
      },
    );
    this.#writing = writing;
    void writing.then((outcome) => {
      this.#writing = undefined;
      if (outcome === undefined) this.#writtenThrough = batch.lastSeq;
      batch.settle(outcome);
      this.#flush();
    });
  }

  /** Writes what is pending, syncs it to the disk and closes the file. */
  async close(): Promise<void> {
    while (this.#gathering || this.#writing) {
      this.#flush();
      await this.written();
    }
    await this.#handle.datasync().catch((error: unknown) => this.#onError(error));
    await this.#handle.close();
  }
}
