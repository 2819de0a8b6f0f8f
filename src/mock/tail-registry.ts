/**
 * The open tails of one server, by token and by session: the per-token limit counts them, and a
 * revoked token or a deleted session reaches its streams through them.
 */
import type { TailStream } from './tail-stream.js';

interface Entry {
  token: string;
  sessionId: string | undefined;
  /**
   * Set for streams limited per account instead of per token (the audit-log stream of docs/api.md
   * "Other stream shapes the mock serves"); they do not use up the token's slots.
   */
  account?: string | undefined;
}

export class TailRegistry {
  readonly #streams = new Map<TailStream, Entry>();

  get size(): number {
    return this.#streams.size;
  }

  add(stream: TailStream, token: string, sessionId: string | undefined, account?: string): void {
    this.#streams.set(stream, { token, sessionId, account });
  }

  remove(stream: TailStream): void {
    this.#streams.delete(stream);
  }

  /** Open tails of a token (the slot count of api.md's 3-per-token limit). */
  countFor(token: string): number {
    let count = 0;
    for (const entry of this.#streams.values())
      if (entry.token === token && entry.account === undefined) count += 1;
    return count;
  }

  /** Open streams limited per account (see `Entry.account`). */
  countForAccount(account: string): number {
    let count = 0;
    for (const entry of this.#streams.values()) if (entry.account === account) count += 1;
    return count;
  }

  /** Per token prefix, for the state route (never whole tokens). */
  countsByToken(redact: (token: string) => string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { token } of this.#streams.values()) counts[redact(token)] = (counts[redact(token)] ?? 0) + 1;
    return counts;
  }

  /** Streams whose scope is gone get `event: scope-destroyed` and end. */
  destroyScope(match: (entry: Entry) => boolean, reason: string): number {
    let count = 0;
    for (const [stream, entry] of [...this.#streams]) {
      if (!match(entry)) continue;
      stream.end('scope_destroyed', { event: 'scope-destroyed', data: { reason } });
      count += 1;
    }
    return count;
  }

  /** Ends every stream: cleanly on shutdown, abruptly for a simulated crash/restart. */
  closeAll(how: 'end' | 'drop'): void {
    for (const stream of [...this.#streams.keys()]) {
      if (how === 'end') stream.end('shutdown');
      else stream.drop('restart');
    }
  }
}
