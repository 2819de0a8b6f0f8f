/**
 * Where an accepted event goes: straight into its log, or with `--data` into the data file first
 * and into the log once its line is written (journal.ts). Every way of adding an event (ingest,
 * the admin routes, synthetic traffic, history, audit rows) goes through here, so none can show
 * an event that the file does not hold.
 */
import type { LogEvent } from '../model/event.js';
import { type DataFileSystem, dataLine, loadDataFile, repairTornTail } from './data-file.js';
import type { EventLog } from './event-log.js';
import { DataJournal, type WriteOutcome } from './journal.js';

/** An event given a number, and whether it was written (with --data) or not. */
export interface Stored {
  seq: number;
  /** Resolves once the event is in its log, with nothing; or with the error that kept it out. */
  written: Promise<WriteOutcome>;
}

export interface EventStore {
  add(log: EventLog, event: LogEvent, tsMs: number): Stored;
  /** Resolves once every event added so far is written or refused. */
  idle(): Promise<void>;
  /** Writes what is pending and, with --data, syncs and closes the file. */
  close(): Promise<void>;
}

const WRITTEN: Promise<WriteOutcome> = Promise.resolve(undefined);

/** Events go straight into their log. */
export const MEMORY_STORE: EventStore = {
  add: (log, event, tsMs) => ({ seq: log.append(event, tsMs), written: WRITTEN }),
  idle: async () => {},
  close: async () => {},
};

export interface OpenedDataFile {
  store: EventStore;
  /** The log the file holds; undefined when it holds no event. */
  log: EventLog | undefined;
  /** Lines that could not be read. */
  skipped: number;
  /** Bytes of an unfinished last line cut off at start. */
  repairedBytes: number;
}

/**
 * Opens `path`: repairs a torn last line (a truncate: no free space needed), loads what it
 * holds, and returns a store that writes before it shows. `report` hears about write failures.
 */
export async function openDataFile(
  path: string,
  fileSystem: DataFileSystem,
  retainEvents: number,
  report: (line: string) => void,
): Promise<OpenedDataFile> {
  const file = await fileSystem.open(path);
  let loaded: Awaited<ReturnType<typeof loadDataFile>>;
  let repairedBytes: number;
  try {
    repairedBytes = await repairTornTail(file);
    loaded = await loadDataFile(path, retainEvents);
  } catch (error) {
    await file.close();
    throw error;
  }
  const journal = new DataJournal(file, await file.size(), report);
  const store: EventStore = {
    add(log, event, tsMs) {
      const seq = log.reserve();
      return { seq, written: journal.append(dataLine(event, seq), () => log.appendAt(seq, event, tsMs)) };
    },
    idle: () => journal.idle(),
    close: () => journal.close((error) => report(`data file: could not sync: ${String(error)}`)),
  };
  return { store, log: loaded.log, skipped: loaded.skipped, repairedBytes };
}
