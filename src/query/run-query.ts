/**
 * The query command's core: pages through `/query`, handing each page to the output as it
 * arrives so that `--all` over millions of events runs in constant memory (docs/performance.md, B6).
 */
import type { ApiClient } from '../api/client.js';
import type { GroupQueryResponse, QueryRequest } from '../api/types.js';
import type { EventRecord } from '../model/event-record.js';
import type { EventOutput } from '../output/event-output.js';

/**
 * Events asked for per page. The API allows 1000 (api.md), but half that keeps `--all` under
 * ~90 MB RSS instead of ~110 MB (docs/performance.md, B6) for about 10% less throughput.
 */
export const PAGE_SIZE = 500;

/** Most groups one GROUP BY answer holds (api.md: `limit` up to 1000, and groups come in one page). */
export const MAX_GROUPS = 1000;

export interface QueryPlan {
  q: string;
  from?: string | undefined;
  to?: string | undefined;
  order: 'asc' | 'desc';
  /** Most events to return; undefined follows `next_cursor` to the end. */
  limit: number | undefined;
  /** Page size when following cursors. */
  pageSize?: number;
  /** A GROUP BY query: one answer of up to `limit` (at most MAX_GROUPS) groups, no paging. */
  groupBy?: boolean;
}

export type QueryOutcome =
  | { kind: 'events'; count: number; pages: number; truncated: boolean }
  | {
      kind: 'groups';
      groups: GroupQueryResponse['groups'];
      stats: GroupQueryResponse['stats'];
      /** Matching events the groups shown do not cover: more groups exist than were asked for. */
      uncounted: number;
    };

export async function runQuery(
  client: ApiClient,
  plan: QueryPlan,
  output: EventOutput,
  signal: AbortSignal,
): Promise<QueryOutcome> {
  let remaining = plan.limit ?? Number.POSITIVE_INFINITY;
  let cursor: string | undefined;
  let pages = 0;
  let count = 0;
  for (;;) {
    const request: QueryRequest = {
      q: plan.q,
      order: plan.order,
      limit: plan.groupBy ? Math.min(remaining, MAX_GROUPS) : Math.min(remaining, plan.pageSize ?? PAGE_SIZE),
      ...(plan.from ? { from: plan.from } : {}),
      ...(plan.to ? { to: plan.to } : {}),
      ...(cursor ? { cursor } : {}),
    };
    const page = await client.query(request, signal);
    pages += 1;
    if ('groups' in page) {
      const counted = page.groups.reduce((sum, group) => sum + group.count, 0);
      const uncounted = Math.max(0, page.stats.matched - counted);
      return { kind: 'groups', groups: page.groups, stats: page.stats, uncounted };
    }
    const backpressure = output.write(
      page.events.map((event) => ({ event: event as unknown as EventRecord })),
    );
    if (backpressure) await backpressure;
    count += page.events.length;
    remaining -= page.events.length;
    const more = Boolean(page.next_cursor) && page.events.length > 0;
    if (!more || remaining <= 0) {
      await output.end();
      return { kind: 'events', count, pages, truncated: more };
    }
    cursor = page.next_cursor ?? undefined;
  }
}
