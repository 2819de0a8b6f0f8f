/**
 * A data file system whose disk fills up: writes succeed until `room` bytes have been written,
 * then the write that crosses it writes what fits and the next fails with ENOSPC, as write(2) does
 * on a full disk. `free(bytes)` makes room again; `failTruncate` makes rollbacks fail too.
 */
import { type DataFile, type DataFileSystem, NODE_DATA_FILE_SYSTEM } from '../../src/mock/data-file.js';

export interface FillingDisk extends DataFileSystem {
  /** Bytes that may still be written before the disk is full. */
  room: number;
  failTruncate: boolean;
  /** Write calls that failed with ENOSPC so far. */
  failures: number;
  free(bytes: number): void;
}

function noSpace(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
}

export function fillingDisk(room: number): FillingDisk {
  const disk: FillingDisk = {
    room,
    failTruncate: false,
    failures: 0,
    free(bytes) {
      disk.room += bytes;
    },
    async open(path) {
      const file = await NODE_DATA_FILE_SYSTEM.open(path);
      const wrapped: DataFile = {
        ...file,
        async write(buffer, position) {
          if (disk.room <= 0) {
            disk.failures += 1;
            throw noSpace();
          }
          const fits = buffer.subarray(0, Math.min(buffer.length, disk.room));
          const written = await file.write(fits, position);
          disk.room -= written;
          return written;
        },
        async truncate(length) {
          if (disk.failTruncate) throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' });
          const before = await file.size();
          await file.truncate(length);
          // Cutting a file frees its blocks, as on a real disk.
          disk.room += Math.max(0, before - length);
        },
      };
      return wrapped;
    },
  };
  return disk;
}
