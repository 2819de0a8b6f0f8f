/**
 * The query command's core: pages through `/query`, handing each page to the output as it arrives
 * so that `--all` over millions of events runs in constant memory (docs/performance.md, B6). The
 * walk checks every page against the contract (api/paging.ts): a service that repeats a cursor or
 * an event stops it with an error rather than keeping it going forever.
 */
import type { ApiClient } from '../api/client.js';
import { QueryWalk } from '../api/paging.js';
import type { GroupQueryResponse } from '../api/types.js';
import { ProtocolError } from '../errors.js';
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
  const window = {
    q: plan.q,
    order: plan.order,
    ...(plan.from ? { from: plan.from } : {}),
    ...(plan.to ? { to: plan.to } : {}),
  };
  if (plan.groupBy) {
    const limit = Math.min(plan.limit ?? MAX_GROUPS, MAX_GROUPS);
    const page = await client.query({ ...window, limit }, signal);
    if (!('groups' in page)) {
      throw new ProtocolError(
        'not_the_api',
        'the service answered a GROUP BY query with events, not groups',
        `${client.baseUrl}/query`,
        {
          hint: 'the service does not answer queries as the logs API does (docs/api.md): report it to whoever runs it',
        },
      );
    }
    const counted = page.groups.reduce((sum, group) => sum + group.count, 0);
    const uncounted = Math.max(0, page.stats.matched - counted);
    return { kind: 'groups', groups: page.groups, stats: page.stats, uncounted };
  }
  const walk = new QueryWalk(client, {
    request: window,
    pageSize: plan.pageSize ?? PAGE_SIZE,
    maxEvents: plan.limit,
  });
  let count = 0;
  try {
    for (let events = await walk.next(signal); events; events = await walk.next(signal)) {
      const backpressure = output.write(events.map((event) => ({ event: event as unknown as EventRecord })));
      if (backpressure) await backpressure;
      count += events.length;
    }
  } catch (error) {
    // What arrived before the failure is output all the same (a JSON array is closed): the
    // error on stderr says where it stopped.
    if (!signal.aborted) await output.end().catch(() => undefined);
    throw error;
  }
  await output.end();
  return { kind: 'events', count, pages: walk.pages, truncated: walk.truncated };
}
