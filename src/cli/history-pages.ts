/**
 * The live view's history through the service's `POST /query`: a page of events older or newer
 * than a known event, matching the tail's own filter and the view's (refine, severity), within
 * the query's time window. Events are placed by `event_id`, minted in the order the service
 * stores events (docs/api.md), so the bounds are exact.
 */
import type { ApiClient } from '../api/client.js';
import type { QueryRequest } from '../api/types.js';
import type { EventRecord } from '../model/event-record.js';
import { soqlText } from '../tail/api-source.js';
import type { FetchHistory, HistoryPageRequest } from '../tui/history.js';

export interface HistoryScope {
  /** The filter every page matches (the tail's query, or a session's filter and service). */
  q: string;
  /** The time window (`--since`, `--from`, `--to`), on `ts`. */
  from?: string | undefined;
  to?: string | undefined;
  /**
   * Fields the service adds to stored events that its live tail leaves out (`org_id`,
   * `project_id`): left out of history too, so that history and live events look alike.
   */
  omit?: readonly string[] | undefined;
}

/** What the live tail leaves out of the events the service stores (docs/api.md, "The event"). */
export const LIVE_OMITS: readonly string[] = ['org_id', 'project_id'];

/** The function the view loads history pages with. */
export function historyPages(client: ApiClient, scope: HistoryScope): FetchHistory {
  return async (page, signal) => {
    const answer = await client.query(historyQuery(scope, page), signal);
    if (!('events' in answer)) return { events: [], more: false };
    const more = answer.next_cursor !== null && answer.next_cursor !== undefined;
    const events = answer.events as unknown as EventRecord[];
    const omit = scope.omit;
    if (!omit?.length) return { events, more };
    return {
      events: events.map((event) => {
        const copy = { ...event };
        for (const key of omit) delete copy[key];
        return copy;
      }),
      more,
    };
  };
}

/** The `/query` request for one page: the scope's filter, the view's, and the bounds by id. */
export function historyQuery(scope: HistoryScope, page: HistoryPageRequest): QueryRequest {
  const conditions = [scope.q, page.filter];
  if (page.from !== undefined) {
    const op = page.direction === 'older' ? (page.inclusive ? '<=' : '<') : '>';
    conditions.push(`event_id ${op} ${soqlText(page.from)}`);
  }
  if (page.direction === 'newer' && page.until !== undefined) {
    conditions.push(`event_id < ${soqlText(page.until)}`);
  }
  const q = conditions
    .filter((condition) => condition.trim() !== '')
    .map((condition) => `(${condition})`)
    .join(' AND ');
  return {
    q,
    order: page.direction === 'older' ? 'desc' : 'asc',
    limit: page.limit,
    ...(scope.from ? { from: scope.from } : {}),
    ...(scope.to ? { to: scope.to } : {}),
  };
}
