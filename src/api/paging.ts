/**
 * Walks that follow `next_cursor` end, whatever the service sends (docs/reliability.md "A service
 * that breaks the contract"). A cursor that comes back (the same one, or a cycle of any length),
 * a page longer than asked, events out of the log's order or outside the asked window: each stops
 * the walk with a ProtocolError that says what happened, instead of paging forever or printing
 * what was not asked for. An answer too large to read is asked again in small pages, once.
 */
import { ProtocolError } from '../errors.js';
import type { GroupQueryResponse, LogEvent, QueryRequest, QueryResponse } from './types.js';

/** The part of QueryClient a query walk uses. */
export interface QueryClient {
  readonly baseUrl: string;
  query(
    request: QueryRequest,
    signal?: AbortSignal,
    options?: { retry?: boolean },
  ): Promise<QueryResponse | GroupQueryResponse>;
}

/**
 * Brent's cycle detection over the cursors of one walk, in constant memory: a cursor is compared
 * with one remembered cursor, which moves to the latest at every power of two. A cycle of any
 * length λ, entered after μ pages, is found within 3(μ + λ) pages.
 */
export class CursorWalk {
  readonly #describe: () => { url: string; what: string };
  #saved: string | undefined;
  #power = 1;
  #steps = 0;
  #pages = 0;

  /** `describe` names the walk for the error: its URL, and `POST /query` or `GET /…/sessions`. */
  constructor(describe: () => { url: string; what: string }) {
    this.#describe = describe;
  }

  /**
   * The cursor to ask for next after a page of `pageLength` items, or undefined when the walk is
   * over (no cursor, or an empty page that cannot move it on). Throws ProtocolError when the
   * cursor is one this walk was already given.
   */
  next(cursor: string | null | undefined, pageLength: number): string | undefined {
    this.#pages += 1;
    if (typeof cursor !== 'string' || cursor === '' || pageLength === 0) return undefined;
    if (cursor === this.#saved) {
      const { url, what } = this.#describe();
      throw new ProtocolError(
        'paging',
        `the service sent a next_cursor it had already sent in this walk (after ${this.#pages} page${this.#pages === 1 ? '' : 's'} of ${what}): paging would go round forever, so it stopped`,
        url,
        {
          hint: 'the service does not page as the logs API does (docs/api.md): report it to whoever runs it',
        },
      );
    }
    this.#steps += 1;
    if (this.#steps === this.#power) {
      this.#saved = cursor;
      this.#power *= 2;
      this.#steps = 0;
    }
    return cursor;
  }
}

/**
 * Event ids are UUIDv7, minted in the log's order (docs/api.md "The event"): as text (lower-case
 * hex, fixed width) they sort in that order, so a walk's ids must keep going one way.
 */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Events a page may always hold within MAX_RESPONSE_BYTES: the largest event the API stores
 * (docs/api.md: a 64 Ki-character message, 256 KiB of payload) is under 1 MiB as JSON, even with
 * every character escaped. A page too large to read is asked again at this size, once: a service
 * whose answer is too large even then is not answering with events.
 */
const SAFE_PAGE_SIZE = 16;

export interface QueryWalkOptions {
  /** The query (q, from, to, order); `limit` and `cursor` are the walk's own. */
  request: Omit<QueryRequest, 'limit' | 'cursor'>;
  pageSize: number;
  /** Most events in all; undefined walks to the end. */
  maxEvents?: number | undefined;
  /** `false` for a caller that retries on its own (the tail's reconnect loop); default true. */
  retry?: boolean;
}

/**
 * The pages of one `/query` walk, each checked against the contract before any of it is handed
 * out: at most the asked number of events, each inside `from`/`to`, and event ids that keep going
 * one way (they are minted in the log's order, docs/api.md "The event"), so no event comes twice.
 */
export class QueryWalk {
  readonly #client: QueryClient;
  readonly #options: QueryWalkOptions;
  readonly #cursors: CursorWalk;
  readonly #fromMs: number | undefined;
  readonly #toMs: number | undefined;
  #pageSize: number;
  #cursor: string | undefined;
  #lastId: string | undefined;
  /** The ids of the previous page, for ids that are not UUIDv7 and so have no order to check. */
  #previousIds = new Set<string>();
  #delivered = 0;
  #done = false;
  #more = false;
  #pages = 0;

  constructor(client: QueryClient, options: QueryWalkOptions) {
    this.#client = client;
    this.#options = options;
    this.#pageSize = Math.max(1, options.pageSize);
    this.#fromMs = timeMs(options.request.from);
    this.#toMs = timeMs(options.request.to);
    this.#cursors = new CursorWalk(() => ({ url: `${client.baseUrl}/query`, what: 'POST /query' }));
  }

  /** Pages asked so far. */
  get pages(): number {
    return this.#pages;
  }

  /** The walk stopped at `maxEvents` while the service had more. */
  get truncated(): boolean {
    return this.#done && this.#more;
  }

  /** The next page of events, or undefined when the walk is over. */
  async next(signal: AbortSignal): Promise<LogEvent[] | undefined> {
    if (this.#done) return undefined;
    const remaining = (this.#options.maxEvents ?? Number.POSITIVE_INFINITY) - this.#delivered;
    const limit = Math.min(remaining, this.#pageSize);
    const page = await this.#ask(limit, signal);
    this.#pages += 1;
    if (!('events' in page) || !Array.isArray(page.events)) {
      this.#done = true;
      return undefined;
    }
    this.#check(page.events, limit);
    this.#delivered += page.events.length;
    const next = this.#cursors.next(page.next_cursor, page.events.length);
    this.#more = next !== undefined;
    this.#cursor = next;
    if (next === undefined || this.#delivered >= (this.#options.maxEvents ?? Number.POSITIVE_INFINITY)) {
      this.#done = true;
    }
    return page.events;
  }

  /** One page; an answer too large to read is asked again, once, for SAFE_PAGE_SIZE events. */
  async #ask(limit: number, signal: AbortSignal): Promise<QueryResponse | GroupQueryResponse> {
    const ask = (size: number) =>
      this.#client.query(
        { ...this.#options.request, limit: size, ...(this.#cursor ? { cursor: this.#cursor } : {}) },
        signal,
        { retry: this.#options.retry ?? true },
      );
    try {
      return await ask(limit);
    } catch (error) {
      const tooLarge = error instanceof ProtocolError && error.code === 'response_too_large';
      if (!tooLarge || limit <= SAFE_PAGE_SIZE) throw error;
      this.#pageSize = SAFE_PAGE_SIZE;
      return ask(SAFE_PAGE_SIZE);
    }
  }

  #check(events: readonly LogEvent[], limit: number): void {
    const url = `${this.#client.baseUrl}/query`;
    const hint =
      'the service does not answer queries as the logs API does (docs/api.md): report it to whoever runs it';
    if (events.length > limit) {
      throw new ProtocolError(
        'paging',
        `the service answered a query for at most ${limit} event${limit === 1 ? '' : 's'} with ${events.length}: stopped rather than print what was not asked for`,
        url,
        { hint },
      );
    }
    const descending = this.#options.request.order !== 'asc';
    const ids = new Set<string>();
    for (const event of events) {
      const ms = timeMs(event.ts);
      if (ms !== undefined && !this.#inWindow(ms)) {
        throw new ProtocolError(
          'paging',
          `the service answered a query with an event outside the asked time window (ts ${String(event.ts)}, asked ${this.#options.request.from ?? 'any time'} to ${this.#options.request.to ?? 'now'})`,
          url,
          { hint },
        );
      }
      const id = event.event_id;
      if (typeof id !== 'string') continue;
      const repeated = ids.has(id) || this.#previousIds.has(id);
      const ordered = UUID_V7.test(id) && this.#lastId !== undefined;
      const backwards =
        ordered && (descending ? id.toLowerCase() > this.#lastId! : id.toLowerCase() < this.#lastId!);
      if (repeated || backwards) {
        throw new ProtocolError(
          'paging',
          `the service sent event ${id} ${repeated || id.toLowerCase() === this.#lastId ? 'twice' : 'out of order'} in one query: stopped rather than print events twice or page forever`,
          url,
          { hint },
        );
      }
      ids.add(id);
      if (UUID_V7.test(id)) this.#lastId = id.toLowerCase();
    }
    this.#previousIds = ids;
  }

  #inWindow(ms: number): boolean {
    return (
      (this.#fromMs === undefined || ms >= this.#fromMs) && (this.#toMs === undefined || ms < this.#toMs)
    );
  }
}

function timeMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
