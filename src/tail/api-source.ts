/**
 * The tail's source for the service itself: `POST /query/tail` with a filter or a session, and
 * `POST /query` (oldest first) to fill holes. Everything goes through the one ApiClient.
 */
import type { ApiClient } from '../api/client.js';
import { QueryWalk } from '../api/paging.js';
import type { QueryRequest } from '../api/types.js';
import type { EventRecord } from '../model/event-record.js';
import {
  type HistoryRange,
  interpretQueryTailFrame,
  QUERY_TAIL_EVENT_FRAMES,
  type TailHistory,
  type TailSource,
} from './source.js';

/** Events per history page: the API's maximum, since backfills are usually short. */
const HISTORY_PAGE_SIZE = 1_000;

export const TAIL_PATH = '/query/tail';

export type TailTarget =
  /** A SOQL filter (`""` for everything). */
  | { kind: 'query'; q: string }
  /**
   * A server session; history is searched with the session's own filter and service.
   * `lastCursor`: the cursor the session held when it was read.
   */
  | {
      kind: 'session';
      id: string;
      filter: string;
      service?: string | null | undefined;
      lastCursor?: string | null | undefined;
    };

export function apiTailSource(client: ApiClient, target: TailTarget): TailSource {
  const body = target.kind === 'query' ? { q: target.q } : { session_id: target.id };
  const historyQuery = target.kind === 'query' ? target.q : sessionQuery(target.filter, target.service);
  let opened = false;
  return {
    url: `${client.baseUrl}${TAIL_PATH}`,
    async open(lastEventId, signal) {
      // Until a connection is open, resuming from the session's own cursor is left to the session
      // (no header): a cursor the service does not know is then reset once, and the session moves
      // on from now (docs/api.md "Tail sessions"), where a header would be reset on every reconnect.
      const sessionsOwn =
        target.kind === 'session' && !opened && lastEventId === (target.lastCursor || undefined);
      const stream = await client.openStream({
        method: 'POST',
        url: TAIL_PATH,
        body,
        headers: lastEventId && !sessionsOwn ? { 'last-event-id': lastEventId } : {},
        signal,
      });
      if (stream.status === 200) opened = true;
      return stream;
    },
    interpret: interpretQueryTailFrame,
    eventFrames: QUERY_TAIL_EVENT_FRAMES,
    history: queryHistory(client, historyQuery),
  };
}

/**
 * History through `POST /query`: ascending pages, which end at the newest event when the walk
 * began. One attempt per request: a failure ends the connection, and the engine's own reconnect
 * loop (its backoff, its floor, `--max-retries`) tries again, so that there is one retry loop, and
 * what stderr says of it is the truth.
 */
export function queryHistory(client: ApiClient, q: string): TailHistory {
  const once = { retry: false };
  return {
    async newestEventId(signal, anchor = { skip: 0 }) {
      // Newest first, leaving out `skip` events: a page of `skip + 1` when it fits in one, else
      // pages of the largest size until the event after the skipped ones.
      const base: QueryRequest = { q, order: 'desc', ...(anchor.from ? { from: anchor.from } : {}) };
      let left = anchor.skip;
      let cursor: string | undefined;
      for (;;) {
        const limit = Math.min(left + 1, HISTORY_PAGE_SIZE);
        const page = await client.query({ ...base, limit, ...(cursor ? { cursor } : {}) }, signal, once);
        if (!('events' in page)) return undefined;
        const found = page.events[left] as EventRecord | undefined;
        if (found !== undefined) return typeof found.event_id === 'string' ? found.event_id : undefined;
        left -= page.events.length;
        // Every page holds at least one event, so `left` shrinks on each: the walk ends.
        if (!page.next_cursor || page.events.length === 0) return undefined;
        cursor = page.next_cursor;
      }
    },
    async *pages(range, signal) {
      // The walk checks each page against the contract and ends whatever the service sends.
      const { limit, ...request } = historyRequest(q, range);
      const walk = new QueryWalk(client, { request, pageSize: limit ?? HISTORY_PAGE_SIZE, ...once });
      for (let events = await walk.next(signal); events; events = await walk.next(signal)) {
        yield events.map(asTailEvent);
      }
    },
  };
}

/** History events look like live ones: the tail omits `org_id` and `project_id` (docs/api.md). */
function asTailEvent(event: object): EventRecord {
  const { org_id: _org, project_id: _project, ...rest } = event as EventRecord;
  return rest;
}

/**
 * The `/query` request for a history range. `after` filters on `event_id` (UUIDv7, minted at
 * ingestion, so ordered like the log: exact, even for events ingested with an old `ts`), plus
 * everything from a `ts` on after a reset, and only from a `ts` on with `--tail N --since`; `from`
 * filters on `ts`, inclusive. Overlaps with what
 * was already delivered are dropped by id.
 */
export function historyRequest(q: string, range: HistoryRange): QueryRequest {
  const request: QueryRequest = { q, order: 'asc', limit: HISTORY_PAGE_SIZE };
  if (range.kind === 'from') return { ...request, from: range.ts };
  if (range.from !== undefined) request.from = range.from;
  if (range.eventId === undefined) return request;
  const after = `event_id > ${soqlText(range.eventId)}`;
  const condition = range.orFromTs ? `(${after} OR ts >= ${soqlText(range.orFromTs)})` : after;
  return { ...request, q: andAlso(q, condition) };
}

/** What a session tails: its service's events that match its filter (docs/api.md "Tail sessions"). */
export function sessionQuery(filter: string, service: string | null | undefined): string {
  return service ? andAlso(filter, `source == ${soqlText(service)}`) : filter;
}

function andAlso(q: string, condition: string): string {
  return q.trim() === '' ? condition : `(${q}) AND ${condition}`;
}

/** A SOQL quoted text for any string (docs/soql.md "Values": `\\`, `\"` and `\uXXXX` escapes). */
export function soqlText(value: string): string {
  const escaped = value.replace(/[\\"\u0000-\u001f\u007f]/g, (c) =>
    c === '\\' || c === '"' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}
