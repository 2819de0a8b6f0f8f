/**
 * The dead-letter file: entries that could not be stored, one JSON object per line, each with its
 * idempotency key, so `sotail ingest --file DEAD.ndjson` retries them without any duplicate.
 * Whether it can be written is checked before anything is sent (`checkWritable`), but the file is
 * created only when the first entry arrives (mode 0600: logs may hold secrets), so a run with
 * nothing to dead-letter leaves no empty file behind.
 */
import { constants } from 'node:fs';
import { access, type FileHandle, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IngestEntry } from '../api/types.js';
import { FileError, UsageError } from '../errors.js';
import { IDEMPOTENCY_FIELD } from './parse-entry.js';

export interface DeadLetterSink {
  write(entry: IngestEntry, idempotencyKey: string): Promise<void>;
  close(): Promise<void>;
  readonly count: number;
  readonly path: string;
}

/**
 * Throws UsageError, in plain words, unless the file could be appended to (or created): checked
 * before the first entry is sent, since entries that fail later would otherwise have nowhere to go.
 */
export async function checkWritable(path: string): Promise<void> {
  const refuse = (why: string): never => {
    throw new UsageError(`cannot write the dead-letter file ${path}: ${why}`, {
      hint: 'choose another place with --dead-letter FILE',
    });
  };
  const existing = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    return refuse(plainReason(error));
  });
  if (existing) {
    if (existing.isDirectory()) refuse('it is a directory');
    if (!existing.isFile()) refuse('it is not a regular file');
    await access(path, constants.W_OK).catch((error: NodeJS.ErrnoException) => refuse(plainReason(error)));
    return;
  }
  const directory = dirname(path);
  const parent = await stat(directory).catch((error: NodeJS.ErrnoException) =>
    refuse(error.code === 'ENOENT' ? `the directory ${directory} does not exist` : plainReason(error)),
  );
  if (!parent.isDirectory()) refuse(`${directory} is not a directory`);
  await access(directory, constants.W_OK | constants.X_OK).catch(() =>
    refuse(`no permission to create files in ${directory}`),
  );
}

/** An errno as words a user reads without a manual. */
export function plainReason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return error.message;
  }
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
