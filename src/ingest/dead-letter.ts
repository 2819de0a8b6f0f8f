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
import { DeadLetterWriteError, UsageError } from '../errors.js';
import { IDEMPOTENCY_FIELD } from './parse-entry.js';

export interface DeadLetterSink {
  /** Appends the entry with its key; rejects with a DeadLetterWriteError when it could not. */
  write(entry: IngestEntry, idempotencyKey: string): Promise<void>;
  close(): Promise<void>;
  /** Entries written whole. */
  readonly count: number;
  /** Set once a write failed; every later write fails with it. */
  readonly failure: DeadLetterWriteError | undefined;
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
    case 'ENXIO':
      return 'no such device or address (a socket cannot be opened by name)';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EFBIG':
      return 'file too large (a file size limit, see ulimit -f)';
    case 'EROFS':
      return 'read-only file system';
    case 'EIO':
      return 'input/output error';
    default:
      return error.message;
  }
}

/** The few file operations the dead-letter file needs; tests inject one that fails mid-line. */
export type DeadLetterHandle = Pick<FileHandle, 'write' | 'truncate' | 'stat' | 'close'>;

export interface DeadLetterOptions {
  /** Opens the file for appending (created mode 0600). */
  open?: (path: string) => Promise<DeadLetterHandle>;
}

const openForAppend = (path: string): Promise<DeadLetterHandle> => open(path, 'a', 0o600);

/**
 * The dead-letter file. Each entry is appended as one whole line or not at all: a write that fails
 * part-way (a full disk, a file size limit) is cut back off the file, so re-ingesting the file never
 * meets a torn line. After a failure every later write fails at once with the same error: the run
 * must stop, since what it would dead-letter next has nowhere to go.
 */
export function createDeadLetterFile(path: string, options: DeadLetterOptions = {}): DeadLetterSink {
  const openFile = options.open ?? openForAppend;
  let file: Promise<{ handle: DeadLetterHandle; size: number }> | undefined;
  let count = 0;
  let failure: DeadLetterWriteError | undefined;
  let chain: Promise<void> = Promise.resolve();
  const fail = (error: unknown, torn = false): never => {
    const why = plainReason(error as NodeJS.ErrnoException);
    const tail = torn
      ? '; its last line is incomplete and could not be removed: delete it before re-ingesting'
      : '';
    failure ??= new DeadLetterWriteError(`cannot write the dead-letter file ${path}: ${why}${tail}`, {
      cause: error,
    });
    throw failure;
  };
  const opened = () => {
    file ??= (async () => {
      const handle = await openFile(path);
      return { handle, size: (await handle.stat()).size };
    })();
    return file;
  };
  const append = async (bytes: Buffer): Promise<void> => {
    if (failure) throw failure;
    const target = await opened().catch((error: unknown) => fail(error));
    let written = 0;
    try {
      while (written < bytes.length) {
        const { bytesWritten } = await target.handle.write(bytes, written, bytes.length - written);
        if (bytesWritten <= 0) throw Object.assign(new Error('no progress writing'), { code: 'EIO' });
        written += bytesWritten;
      }
    } catch (error) {
      // Whatever part of the line reached the file goes again: the file keeps whole lines only.
      const rolledBack = await target.handle.truncate(target.size).then(
        () => true,
        () => written === 0,
      );
      fail(error, !rolledBack);
    }
    target.size += bytes.length;
    count += 1;
  };
  return {
    write(entry, idempotencyKey) {
      const line = Buffer.from(`${JSON.stringify({ ...entry, [IDEMPOTENCY_FIELD]: idempotencyKey })}\n`);
      // Appends are chained so that lines from concurrent senders never interleave.
      const appended = chain.then(() => append(line));
      chain = appended.catch(() => undefined);
      return appended;
    },
    async close() {
      await chain;
      if (file) await (await file.catch(() => undefined))?.handle.close();
    },
    get count() {
      return count;
    },
    get failure() {
      return failure;
    },
    path,
  };
}
