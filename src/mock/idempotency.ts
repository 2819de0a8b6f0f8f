/**
 * Idempotency-Key replay for ingest (api.md "Ingest"): the first successful response to a key is
 * kept for the TTL and answered again to any repeat, which then stores nothing. This is what makes
 * a client's retry after a timeout safe. Keys are per org, as a real service scopes them.
 */
import type { Reply } from './envelope.js';

export const MAX_IDEMPOTENCY_KEY_CHARS = 255;

interface Entry {
  reply: Reply;
  expiresAt: number;
}

export class IdempotencyCache {
  // A Map iterates in insertion order, which is also expiry order: expired entries are at the front.
  readonly #entries = new Map<string, Entry>();
  /** Keys whose first request is still waiting for its event to be written. */
  readonly #underway = new Map<string, Promise<unknown>>();
  readonly #ttlMs: number;

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  get(scope: string, key: string, now: number): Reply | undefined {
    const entry = this.#entries.get(`${scope}\u0000${key}`);
    return entry && entry.expiresAt > now ? entry.reply : undefined;
  }

  remember(scope: string, key: string, reply: Reply, now: number): void {
    this.#expire(now);
    this.#entries.set(`${scope}\u0000${key}`, { reply, expiresAt: now + this.#ttlMs });
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

  #expire(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) return;
      this.#entries.delete(key);
    }
  }
}
