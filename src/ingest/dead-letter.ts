/**
 * The dead-letter file: entries that could not be stored, one JSON object per line, each with its
 * idempotency key, so `sotail ingest --file DEAD.ndjson` retries them without any duplicate.
 * The file is created only when the first entry arrives (mode 0600: logs may hold secrets).
 */
import { type FileHandle, open } from 'node:fs/promises';
import type { IngestEntry } from '../api/types.js';
import { FileError } from '../errors.js';
import { IDEMPOTENCY_FIELD } from './parse-entry.js';

export interface DeadLetterSink {
  write(entry: IngestEntry, idempotencyKey: string): Promise<void>;
  close(): Promise<void>;
  readonly count: number;
  readonly path: string;
}

export function createDeadLetterFile(path: string): DeadLetterSink {
  let handle: Promise<FileHandle> | undefined;
  let count = 0;
  let chain: Promise<void> = Promise.resolve();
  const opened = (): Promise<FileHandle> => {
    handle ??= open(path, 'a', 0o600).catch((error: unknown) => {
      throw new FileError(`cannot write the dead-letter file ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    });
    return handle;
  };
  return {
    write(entry, idempotencyKey) {
      count += 1;
      const line = `${JSON.stringify({ ...entry, [IDEMPOTENCY_FIELD]: idempotencyKey })}\n`;
      // Appends are chained so that lines from concurrent senders never interleave.
      chain = chain.then(async () => {
        await (await opened()).appendFile(line);
      });
      return chain;
    },
    async close() {
      await chain;
      if (handle) await (await handle).close();
    },
    get count() {
      return count;
    },
    path,
  };
}
