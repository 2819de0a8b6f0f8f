/**
 * A disk that fills up, for the dead-letter file: the real file is written until a byte budget
 * runs out, the write that crosses it is cut short, and every write after it fails with ENOSPC.
 */
import { mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeadLetterHandle } from '../../src/ingest/dead-letter.js';

/** A fresh dead-letter path in a directory of its own. */
export function deadLetterPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'sotail-dl-')), 'dead.ndjson');
}

/** Opens the real file with only `budget` more bytes of room; `truncate: false` makes a roll-back fail too. */
export function diskFullAfter(budget: number, options: { truncate?: boolean } = {}) {
  let left = budget;
  const opened: DeadLetterHandle[] = [];
  const enospc = (): Error =>
    Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
  return {
    opened,
    async open(path: string): Promise<DeadLetterHandle> {
      const real = await open(path, 'a', 0o600);
      const handle = {
        stat: () => real.stat(),
        close: () => real.close(),
        truncate: async (length?: number) => {
          if (options.truncate === false) throw Object.assign(new Error('EIO'), { code: 'EIO' });
          return real.truncate(length);
        },
        write: async (buffer: Buffer, offset = 0, length = buffer.length - offset) => {
          if (left <= 0) throw enospc();
          const allowed = Math.min(length, left);
          left -= allowed;
          return real.write(buffer, offset, allowed);
        },
      } as unknown as DeadLetterHandle;
      opened.push(handle);
      return handle;
    },
  };
}
