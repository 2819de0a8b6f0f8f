/**
 * `--data FILE`: the log as append-only NDJSON, one event a line with its sequence number first
 * (`{"seq":1042,"event_id":…}`), reloaded at start so that cursors continue across restarts.
 *
 * Opening repairs what an interrupted write can leave: a last line without its newline was never
 * acknowledged (an event counts only once its whole line is written, journal.ts), so it is cut off
 * with a truncate, which needs no free space: a full disk cannot stop the mock from starting. A
 * reload then keeps every readable line; one that cannot be read costs only itself.
 *
 * The file is reached through `DataFileSystem`, so that tests can make writes fail the way a full
 * disk does (part of a write, then ENOSPC) without a real one.
 */
import { constants, createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { FileError } from '../errors.js';
import { type LogEvent, normalizeSeverity } from '../model/event.js';
import { findTooDeep } from '../model/limits.js';
import { buildEvent } from './event-input.js';
import { EventLog } from './event-log.js';
import { DEFAULT_ORG_ID, orgOf } from './event-org.js';

/** An open data file: positioned reads and writes, its size, truncation. */
export interface DataFile {
  size(): Promise<number>;
  /** Reads into `buffer` from `position`; how many bytes were read. */
  read(buffer: Buffer, position: number): Promise<number>;
  /** Writes `buffer` at `position`; how many bytes were written (possibly fewer, as write(2) may). */
  write(buffer: Buffer, position: number): Promise<number>;
  truncate(length: number): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface DataFileSystem {
  /** Opens `path` for reading and writing, creating it if missing; refuses what is not a regular file. */
  open(path: string): Promise<DataFile>;
}

/** The real file system. */
export const NODE_DATA_FILE_SYSTEM: DataFileSystem = {
  async open(path) {
    // Not opened for appending: the journal writes at the offsets it knows, so that a failed write
    // can be cut off again.
    const file = await open(path, constants.O_RDWR | constants.O_CREAT, 0o644);
    // A device (`/dev/full` reads as endless zeros), a FIFO or a directory cannot hold a log.
    if (!(await file.stat()).isFile()) {
      await file.close();
      throw new FileError(`--data ${path} is not a regular file`, {
        hint: 'give the path of a file (it is created if missing)',
      });
    }
    return {
      size: async () => (await file.stat()).size,
      read: async (buffer, position) => (await file.read(buffer, 0, buffer.length, position)).bytesRead,
      write: async (buffer, position) => (await file.write(buffer, 0, buffer.length, position)).bytesWritten,
      truncate: (length) => file.truncate(length),
      sync: () => file.datasync(),
      close: () => file.close(),
    };
  },
};

const NEWLINE = 0x0a;
const TAIL_BLOCK_BYTES = 64 * 1024;

/**
 * Cuts an unfinished last line off the file (one that does not end in a newline); returns how
 * many bytes went. Reads backwards from the end, a block at a time, to the last newline.
 */
export async function repairTornTail(file: DataFile): Promise<number> {
  const size = await file.size();
  let end = size;
  const block = Buffer.alloc(TAIL_BLOCK_BYTES);
  while (end > 0) {
    const start = Math.max(0, end - TAIL_BLOCK_BYTES);
    const read = await file.read(block.subarray(0, end - start), start);
    const at = block.subarray(0, read).lastIndexOf(NEWLINE);
    if (at !== -1) {
      end = start + at + 1;
      break;
    }
    end = start;
  }
  if (end < size) await file.truncate(end);
  return size - end;
}

export interface LoadResult {
  log: EventLog | undefined;
  /** Lines that could not be read (hand edits, a line torn in the middle of the file). */
  skipped: number;
}

/** Reads a data file into a new log; `log` is undefined when the file holds no event. */
export async function loadDataFile(path: string, retainEvents: number): Promise<LoadResult> {
  let log: EventLog | undefined;
  let skipped = 0;
  const input = createReadStream(path, { encoding: 'utf8' });
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

/** The line of an event as the data file holds it: its number and its org first. */
export function dataLine(event: LogEvent, seq: number): string {
  return `{"seq":${seq},"org_id":${JSON.stringify(orgOf(event) ?? null)},${JSON.stringify(event).slice(1)}`;
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
    // A line written before events had an org was written by the development org's mock.
    org: typeof value.org_id === 'string' ? value.org_id : DEFAULT_ORG_ID,
  });
  return { seq: seq as number, event, tsMs };
}

function label(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
