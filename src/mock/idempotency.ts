/**
 * Idempotency-Key replay for ingest (api.md "Ingest"): the first successful answer to a key is
 * kept and answered again to any repeat, which then stores nothing. This is what makes a client's
 * retry after a timeout safe. Keys are per org, as a real service scopes them.
 *
 * The cache is bounded twice: a key is forgotten after the TTL (24 hours), and the answers kept
 * hold at most `maxBytes` (the oldest go first). An answer is kept as the text that was sent, not
 * as the stored event's objects, so a forgotten key frees its bytes at once, whatever the log
 * still holds (docs/api.md "Limits").
 */
import type { TextReply } from './envelope.js';

export const MAX_IDEMPOTENCY_KEY_CHARS = 255;

/** What an entry costs beyond its answer's bytes: the key, the Map slot, the object. */
const ENTRY_OVERHEAD_BYTES = 64;

interface Entry {
  status: number;
  text: string;
  bytes: number;
  expiresAt: number;
}

export class IdempotencyCache {
  // A Map iterates in insertion order, which is also expiry order: the oldest entries are at the front.
  readonly #entries = new Map<string, Entry>();
  /** Keys whose first request is still waiting for its event to be written. */
  readonly #underway = new Map<string, Promise<unknown>>();
  readonly #ttlMs: number;
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(ttlMs: number, maxBytes: number) {
    this.#ttlMs = ttlMs;
    this.#maxBytes = maxBytes;
  }

  /** Keys remembered, and the bytes their answers hold (for `/_mock/state`). */
  get usage(): { keys: number; bytes: number; limit_bytes: number } {
    return { keys: this.#entries.size, bytes: this.#bytes, limit_bytes: this.#maxBytes };
  }

  get(scope: string, key: string, now: number): TextReply | undefined {
    const id = `${scope}\u0000${key}`;
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.#forget(id, entry);
      return undefined;
    }
    return { status: entry.status, text: entry.text };
  }

  remember(scope: string, key: string, reply: TextReply, now: number): void {
    this.#expire(now);
    const id = `${scope}\u0000${key}`;
    const previous = this.#entries.get(id);
    if (previous) this.#forget(id, previous);
    const bytes = Buffer.byteLength(reply.text) + Buffer.byteLength(id) + ENTRY_OVERHEAD_BYTES;
    this.#entries.set(id, { status: reply.status, text: reply.text, bytes, expiresAt: now + this.#ttlMs });
    this.#bytes += bytes;
    for (const [oldId, oldest] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#forget(oldId, oldest);
    }
  }

  /** Settles when the request holding the key is done; undefined when none is under way. */
  underway(scope: string, key: string): Promise<unknown> | undefined {
    return this.#underway.get(`${scope}\u0000${key}`);
  }

  /**
   * Marks the key as taken until `work` settles, so that a retry arriving meanwhile waits for the
   * first answer (and then replays it) instead of storing the event a second time.
   */
  hold(scope: string, key: string, work: Promise<unknown>): void {
    const id = `${scope}\u0000${key}`;
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.#underway.set(id, settled);
    void settled.then(() => {
      if (this.#underway.get(id) === settled) this.#underway.delete(id);
    });
  }

  #forget(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#bytes -= entry.bytes;
  }

  #expire(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt > now) return;
      this.#forget(id, entry);
    }
  }
}
