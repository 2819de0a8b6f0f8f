/**
 * POST /query (api.md "Query"): filtered pages of stored events, newest or oldest first, with an
 * opaque cursor that is stable under concurrent appends; or, with GROUP BY, counts per group.
 * A page costs what it returns: the cursor says exactly where the next page starts. Scans run in
 * slices (sliced-scan.ts), so a query over the whole log never holds up other connections.
 */
import type { Principal } from './auth.js';
import { decodeCursor, encodeCursor, type QueryOrder, queryFingerprint } from './cursor.js';
import { badRequest, type Reply, type TextReply } from './envelope.js';
import { parseRfc3339 } from './event-input.js';
import type { EventLog } from './event-log.js';
import { type CompiledFilter, compileEventFilter } from './filter.js';
import { groupKeyOf } from './group-key.js';
import { scanInSlices } from './sliced-scan.js';
import { largestGroups } from './top-groups.js';

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;

/**
 * A page's events take at most this much JSON text (UTF-16 code units, about bytes for most
 * text): 1,000 events of the largest size would be over 300 MB to build and send at once. A page
 * that reaches it ends early, with a `next_cursor` (docs/api.md "Query").
 */
export const MAX_PAGE_CHARS = 4 * 1024 * 1024;

interface QueryRequest {
  filter: CompiledFilter;
  fromMs: number | undefined;
  toMs: number | undefined;
  limit: number;
  order: QueryOrder;
  fingerprint: string;
  cursor: unknown;
}

/** Answers `POST /query`; `signal` ends the scan when the client has gone. */
export async function handleQuery(
  log: EventLog,
  principal: Principal,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<TextReply | Reply> {
  const started = performance.now();
  const request = await readQueryRequest(body);
  if (request.filter.groupBy)
    return aggregate(log, principal, request, request.filter.groupBy, started, signal);
  return page(log, principal, request, started, signal);
}

async function readQueryRequest(body: Record<string, unknown>): Promise<QueryRequest> {
  const fromMs = readTime(body.from, 'from');
  const toMs = readTime(body.to, 'to');
  if (fromMs !== undefined && toMs !== undefined && toMs < fromMs)
    throw badRequest('to is before from', 'to');
  const limit = body.limit ?? DEFAULT_QUERY_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) {
    throw badRequest(`limit must be an integer from 1 to ${MAX_QUERY_LIMIT}`, 'limit');
  }
  const order = body.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw badRequest('order must be "desc" or "asc"', 'order');
  const fingerprint = queryFingerprint([body.q ?? '', fromMs ?? null, toMs ?? null, order]);
  // Last: the cheap checks come before the one that costs.
  const filter = await compileEventFilter(body.q);
  return { filter, fromMs, toMs, limit, order, fingerprint, cursor: body.cursor ?? undefined };
}

function readTime(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'string' ? parseRfc3339(value) : undefined;
  if (ms === undefined)
    throw badRequest(`${field} must be an RFC 3339 time such as 2026-05-17T10:00:00Z`, field);
  return ms;
}

async function page(
  log: EventLog,
  principal: Principal,
  request: QueryRequest,
  started: number,
  signal: AbortSignal | undefined,
): Promise<TextReply> {
  const { matches } = request.filter;
  const cursor =
    request.cursor === undefined
      ? undefined
      : decodeCursor(request.cursor, { log: log.originSeq, query: request.fingerprint });
  const head = cursor?.head ?? log.headSeq;
  const descending = request.order === 'desc';
  const start = cursor?.next ?? (descending ? head : log.firstSeq);
  // Stored events lack org and project on the wire (tails omit them); /query adds them back. Only
  // the caller's org is scanned, so the org is the caller's.
  const suffix = `,"org_id":${JSON.stringify(principal.orgId)},"project_id":${JSON.stringify(principal.projectId)}}`;
  // Each event is serialised as it is found, inside the scan's slices: a page of large events
  // built at the end would hold the loop for as long as it takes to write it.
  const texts: string[] = [];
  let pageBytes = 0;
  let nextSeq: number | undefined;
  const scanned = await scanInSlices(
    log,
    {
      startSeq: descending ? log.firstSeq : start,
      endSeq: descending ? start : head,
      descending,
      fromMs: request.fromMs,
      toMs: request.toMs,
      org: principal.orgId,
    },
    (event, seq) => {
      if (!matches(event)) return true;
      // One match past the page (by count, or by size) proves there is a next page and is where
      // that page starts. A page holds at least one event, however large.
      const text = texts.length === request.limit ? '' : JSON.stringify(event).slice(0, -1) + suffix;
      if (text === '' || (texts.length > 0 && pageBytes + text.length > MAX_PAGE_CHARS)) {
        nextSeq = seq;
        return false;
      }
      texts.push(text);
      pageBytes += text.length + 1;
      return true;
    },
    { signal },
  );
  const nextCursor =
    nextSeq === undefined
      ? null
      : encodeCursor({ log: log.originSeq, next: nextSeq, head, query: request.fingerprint });
  const stats = { scanned, matched: texts.length, elapsed_ms: elapsedMs(started) };
  const text = `{"events":[${texts.join(',')}],"next_cursor":${JSON.stringify(nextCursor)},"stats":${JSON.stringify(stats)}}`;
  return { status: 200, text };
}

async function aggregate(
  log: EventLog,
  principal: Principal,
  request: QueryRequest,
  fields: string[],
  started: number,
  signal: AbortSignal | undefined,
): Promise<Reply> {
  if (request.cursor !== undefined)
    throw badRequest('GROUP BY results come in one page; drop the cursor', 'cursor');
  const { matches } = request.filter;
  const groups = new Map<string, { key: Record<string, unknown>; count: number; truncated?: string[] }>();
  let matched = 0;
  const scanned = await scanInSlices(
    log,
    {
      startSeq: log.firstSeq,
      endSeq: log.headSeq,
      fromMs: request.fromMs,
      toMs: request.toMs,
      org: principal.orgId,
    },
    (event) => {
      if (!matches(event)) return true;
      matched += 1;
      const { id, key, truncated } = groupKeyOf(event, fields);
      const group = groups.get(id);
      if (group) group.count += 1;
      else groups.set(id, truncated ? { key, count: 1, truncated } : { key, count: 1 });
      return true;
    },
    { signal },
  );
  // Count desc (api.md); ties by key so that the order is the same every time.
  const sorted = largestGroups(groups, request.limit);
  return {
    status: 200,
    body: { groups: sorted, stats: { scanned, matched, elapsed_ms: elapsedMs(started) } },
  };
}

function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
