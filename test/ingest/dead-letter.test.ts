import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeadLetterWriteError, exitCodeFor } from '../../src/errors.js';
import { createDeadLetterFile } from '../../src/ingest/dead-letter.js';
import { deadLetterPath, diskFullAfter } from '../helpers/full-disk.js';

const entry = (i: number) => ({ level: 'info' as const, message: `entry ${i} ${'x'.repeat(40)}` });

describe('the dead-letter file on a full disk', () => {
  it('a write that fails part-way is cut back off: the file holds whole lines only, and it says which failed', async () => {
    const path = deadLetterPath();
    const disk = diskFullAfter(250);
    const file = createDeadLetterFile(path, { open: disk.open });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => file.write(entry(i), `key-${i}`)));
    await file.close();
    const written = readFileSync(path, 'utf8');
    expect(written.endsWith('\n')).toBe(true);
    const lines = written.trimEnd().split('\n');
    // Each line is ~90 bytes: two fit whole, the third was torn at byte 250 and taken back out.
    expect(lines.map((line) => JSON.parse(line)._idempotency_key)).toEqual(['key-1', 'key-2']);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
    ]);
    const failure = (results[2] as PromiseRejectedResult).reason as DeadLetterWriteError;
    expect(failure).toBeInstanceOf(DeadLetterWriteError);
    expect(failure.message).toBe(`cannot write the dead-letter file ${path}: no space left on the device`);
    expect(exitCodeFor(failure)).toBe(74);
    expect(file.count).toBe(2);
    expect(file.failure).toBe(failure);
  });

  it('appends to a file that already holds lines, and a failure keeps them', async () => {
    const path = deadLetterPath();
    writeFileSync(path, '{"message":"from an earlier run","_idempotency_key":"k0"}\n');
    const file = createDeadLetterFile(path, { open: diskFullAfter(30).open });
    await expect(file.write(entry(1), 'key-1')).rejects.toBeInstanceOf(DeadLetterWriteError);
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe('{"message":"from an earlier run","_idempotency_key":"k0"}\n');
  });

  it('when even the roll-back fails, the error says the last line is incomplete', async () => {
    const path = deadLetterPath();
    const file = createDeadLetterFile(path, { open: diskFullAfter(120, { truncate: false }).open });
    await file.write(entry(1), 'key-1');
    await expect(file.write(entry(2), 'key-2')).rejects.toThrow(
      /no space left on the device; its last line is incomplete and could not be removed/,
    );
    await file.close();
  });

  it('a file that cannot even be opened fails the same way (exit 74), not as an unexpected error', async () => {
    const path = join(deadLetterPath(), 'no-such-dir', 'x.ndjson');
    const file = createDeadLetterFile(path);
    await expect(file.write(entry(1), 'key-1')).rejects.toBeInstanceOf(DeadLetterWriteError);
    await file.close();
  });
});
