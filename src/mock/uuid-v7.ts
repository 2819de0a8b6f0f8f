/**
 * UUIDv7 event ids (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids minted
 * in the same millisecond in order, then random bits.
 *
 * Ids are written as ASCII into one buffer and read back as a single flat string: built by string
 * concatenation, an id is a tree of V8 cons-strings that costs ~480 bytes instead of ~60, which
 * for a million stored events is the difference between half a gigabyte and 60 MB. Random bytes
 * come from a pooled buffer because one `randomBytes` call per id costs more than the rest of
 * generating a synthetic event (B8).
 */
import { randomFillSync } from 'node:crypto';

const HEX = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;
const POOL_BYTES = 8 * 1024;
const COUNTER_MAX = 0xfff;
/** Where the 12 hex digits of the timestamp go in `xxxxxxxx-xxxx-7…`. */
const TIME_POSITIONS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12];

export class UuidV7Factory {
  readonly #pool = Buffer.allocUnsafe(POOL_BYTES);
  #offset = POOL_BYTES;
  readonly #out = Buffer.alloc(36, DASH);
  #lastMs = -1;
  #counter = 0;

  /** A new id; `ms` is when the event reached the service. Ids never go backwards. */
  next(ms: number): string {
    if (ms > this.#lastMs) {
      this.#lastMs = ms;
      // Start each millisecond at a random point in the lower half so the counter rarely overflows.
      this.#counter = this.#pool[this.#take(1)]! << 3;
    } else if (this.#counter < COUNTER_MAX) {
      this.#counter += 1;
    } else {
      // 4096 ids in one millisecond: borrow the next millisecond rather than repeat or reorder.
      this.#lastMs += 1;
      this.#counter = 0;
    }
    const out = this.#out;
    // 48 bits do not fit JavaScript's 32-bit operators: two halves of 24 bits.
    let low = this.#lastMs % 0x1000000;
    let high = Math.floor(this.#lastMs / 0x1000000);
    for (let digit = 11; digit >= 6; digit--, low >>>= 4) out[TIME_POSITIONS[digit]!] = HEX[low & 15]!;
    for (let digit = 5; digit >= 0; digit--, high >>>= 4) out[TIME_POSITIONS[digit]!] = HEX[high & 15]!;
    out[14] = 0x37; // version 7
    out[15] = HEX[(this.#counter >>> 8) & 15]!;
    out[16] = HEX[(this.#counter >>> 4) & 15]!;
    out[17] = HEX[this.#counter & 15]!;
    const start = this.#take(8);
    const pool = this.#pool;
    out[19] = HEX[8 | (pool[start]! & 3)]!; // the RFC 4122 variant, 10xx
    out[20] = HEX[pool[start]! >>> 4]!;
    out[21] = HEX[pool[start + 1]! & 15]!;
    out[22] = HEX[pool[start + 1]! >>> 4]!;
    for (let i = 0; i < 6; i++) {
      const byte = pool[start + 2 + i]!;
      out[24 + 2 * i] = HEX[byte >>> 4]!;
      out[25 + 2 * i] = HEX[byte & 15]!;
    }
    return out.toString('latin1');
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
