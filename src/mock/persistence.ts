/**
 * `--data FILE`: the log as append-only NDJSON, one event a line with its sequence number first
 * (`{"seq":1042,"event_id":…}`), reloaded at start so that cursors continue across restarts.
 * Lines are batched and written every FLUSH_MS, not one write per event (the log may take 50k/s).
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { LogEvent } from '../model/event.js';
import { buildEvent } from './event-input.js';
import { EventLog } from './event-log.js';

const FLUSH_MS = 100;

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
    log ??= new EventLog(record.seq, retainEvents);
    if (record.seq !== log.headSeq + 1) {
      skipped += 1;
      continue;
    }
    log.append(record.event, record.tsMs);
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
  const { seq, ts } = value;
  if (!Number.isSafeInteger(seq) || (seq as number) < 1 || typeof ts !== 'string') return undefined;
  const tsMs = Date.parse(ts);
  if (!Number.isFinite(tsMs) || typeof value.event_id !== 'string' || typeof value.message !== 'string') {
    return undefined;
  }
  // Rebuilt through buildEvent so that loaded events share the shape of new ones.
  const event = buildEvent({
    event_id: value.event_id,
    ts,
    ingested_at: typeof value.ingested_at === 'string' ? value.ingested_at : ts,
    dataset: value.dataset as string | undefined,
    severity: value.severity as LogEvent['severity'],
    event: value.event as string | undefined,
    actor: value.actor as string | undefined,
    source: value.source as string | undefined,
    message: value.message,
    payload: (value.payload as Record<string, unknown> | undefined) ?? {},
    bytes_raw: typeof value.bytes_raw === 'number' ? value.bytes_raw : 0,
  });
  return { seq: seq as number, event, tsMs };
}

/** Appends a log's new events to the data file. */
export class DataFileWriter {
  readonly #handle: FileHandle;
  #pending: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #onError: (error: unknown) => void;

  private constructor(handle: FileHandle, onError: (error: unknown) => void) {
    this.#handle = handle;
    this.#onError = onError;
  }

  /** Opens (creating) the file for appending; fails now, not at the first write, if it cannot. */
  static async open(path: string, onError: (error: unknown) => void): Promise<DataFileWriter> {
    const handle = await open(path, 'a+');
    const writer = new DataFileWriter(handle, onError);
    // A torn last line (a crash mid-write) must not swallow the next event into it.
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writer.#pending.push('');
    }
    return writer;
  }

  append(event: LogEvent, seq: number): void {
    this.#pending.push(`{"seq":${seq},${JSON.stringify(event).slice(1)}`);
    this.#timer ??= setTimeout(() => this.#flush(), FLUSH_MS);
  }

  #flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return this.#writing;
    const text = `${this.#pending.join('\n')}\n`;
    this.#pending = [];
    this.#writing = this.#writing
      .then(() => this.#handle.appendFile(text, 'utf8'))
      .catch((error: unknown) => this.#onError(error));
    return this.#writing;
  }

  /** Writes what is pending and closes the file. */
  async close(): Promise<void> {
    await this.#flush();
    await this.#handle.close();
  }
}
