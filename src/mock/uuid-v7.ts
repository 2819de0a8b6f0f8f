/**
 * UUIDv7 event ids (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids minted
 * in the same millisecond in order, then random bits. Random bytes come from a pooled buffer because
 * one `randomBytes` call per id costs more than the rest of generating a synthetic event (B8).
 */
import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const POOL_BYTES = 8 * 1024;
const COUNTER_MAX = 0xfff;

export class UuidV7Factory {
  #pool = Buffer.allocUnsafe(POOL_BYTES);
  #offset = POOL_BYTES;
  #lastMs = -1;
  #counter = 0;

  /** A new id; `ms` is when the event reached the service. Ids never go backwards. */
  next(ms: number): string {
    if (ms > this.#lastMs) {
      this.#lastMs = ms;
      // Start each millisecond at a random point in the lower half so the counter rarely overflows.
      this.#counter = this.#randomByte() << 3;
    } else if (this.#counter < COUNTER_MAX) {
      this.#counter += 1;
    } else {
      // 4096 ids in one millisecond: borrow the next millisecond rather than repeat or reorder.
      this.#lastMs += 1;
      this.#counter = 0;
    }
    const time = this.#lastMs.toString(16).padStart(12, '0');
    const counter = this.#counter.toString(16).padStart(3, '0');
    const b = this.#take(8);
    const pool = this.#pool;
    return (
      `${time.slice(0, 8)}-${time.slice(8, 12)}-7${counter}-` +
      `${HEX[0x80 | (pool[b]! & 0x3f)]}${HEX[pool[b + 1]!]}-` +
      `${HEX[pool[b + 2]!]}${HEX[pool[b + 3]!]}${HEX[pool[b + 4]!]}${HEX[pool[b + 5]!]}${HEX[pool[b + 6]!]}${HEX[pool[b + 7]!]}`
    );
  }

  #randomByte(): number {
    return this.#pool[this.#take(1)]!;
  }

  #take(count: number): number {
    if (this.#offset + count > POOL_BYTES) {
      randomFillSync(this.#pool);
      this.#offset = 0;
    }
    const start = this.#offset;
    this.#offset += count;
    return start;
  }
}
