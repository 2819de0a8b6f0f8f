/**
 * Query page cursors. A cursor is opaque to clients; inside it says where the next page starts (the
 * sequence number of the next matching event, already found while filling this page), so a page
 * costs what it returns rather than a scan from the top. It also pins the head seen by the first
 * page, so that ascending paging ends instead of chasing new appends, and it names the log and the
 * query it belongs to, so that a stale or foreign cursor is refused instead of silently misread.
 */
import { createHash } from 'node:crypto';
import { badRequest } from './envelope.js';

export type QueryOrder = 'asc' | 'desc';

export interface PageCursor {
  /** The log's origin sequence number: which log this cursor walks. */
  log: number;
  /** Sequence number the next page starts at (inclusive). */
  next: number;
  /** The head when the first page was served; ascending pages stop there. */
  head: number;
  /** Fingerprint of q/from/to/order: a cursor only continues the query that made it. */
  query: string;
}

/** A short fingerprint of what defines a result set. */
export function queryFingerprint(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([1, cursor.log, cursor.next, cursor.head, cursor.query])).toString(
    'base64url',
  );
}

/** The cursor, or 400 bad_request (field `cursor`) when it is not one of ours for this query. */
export function decodeCursor(text: unknown, expected: { log: number; query: string }): PageCursor {
  if (typeof text !== 'string' || text === '')
    throw badRequest('cursor must be a non-empty string', 'cursor');
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  if (
    !Array.isArray(parts) ||
    parts[0] !== 1 ||
    !parts.slice(1, 4).every((part) => Number.isSafeInteger(part)) ||
    typeof parts[4] !== 'string'
  ) {
    throw badRequest('cursor is not a cursor this service issued', 'cursor');
  }
  const cursor: PageCursor = { log: parts[1], next: parts[2], head: parts[3], query: parts[4] };
  if (cursor.log !== expected.log) {
    throw badRequest('cursor is from before a service restart; start the query again', 'cursor');
  }
  if (cursor.query !== expected.query) {
    throw badRequest('cursor belongs to a different query (q, from, to and order must not change)', 'cursor');
  }
  return cursor;
}

/** A tail cursor as the streams send it (`id:`): the decimal sequence number of an event. */
export function isCursorText(text: string): boolean {
  return /^\d{1,16}$/.test(text);
}
