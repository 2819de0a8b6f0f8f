/**
 * Tail sessions (api.md "Tail sessions", seed 001): named, resumable tails that store a filter, a
 * service and the last cursor the client confirmed. Sessions belong to the org of the token that
 * made them and live in memory: a restart forgets them, as it forgets its cursors.
 */
import { randomBytes } from 'node:crypto';
import type { Principal } from './auth.js';
import { ApiProblem, badRequest, notFound, type Reply } from './envelope.js';
import type { EventLog } from './event-log.js';
import { compileEventFilter, rejectAggregation } from './filter.js';

export interface TailSession {
  id: string;
  tenantId: string;
  userUuid: string;
  filter: string;
  service: string;
  lastCursor: string;
  createdAt: string;
  active: boolean;
}

interface StoredSession {
  orgId: string;
  /** The token that made it: the cap on active sessions is per token. */
  token: string;
  /** Creation order, the position a list cursor points after. */
  serial: number;
  session: TailSession;
}

/** One page of an org's sessions, oldest first; `nextAfter` is the serial to continue after. */
export interface SessionPage {
  sessions: TailSession[];
  nextAfter: number | undefined;
}

export class SessionStore {
  readonly #sessions = new Map<string, StoredSession>();
  #serial = 0;

  get size(): number {
    return this.#sessions.size;
  }

  /** The session, if it exists and belongs to `orgId`. */
  find(id: string, orgId: string): TailSession | undefined {
    const stored = this.#sessions.get(id);
    return stored?.orgId === orgId ? stored.session : undefined;
  }

  /** Up to `limit` of the org's sessions created after serial `after` (a Map iterates in insertion order). */
  page(orgId: string, after: number, limit: number): SessionPage {
    const sessions: TailSession[] = [];
    let last = after;
    for (const stored of this.#sessions.values()) {
      if (stored.serial <= after || stored.orgId !== orgId) continue;
      if (sessions.length === limit) return { sessions, nextAfter: last };
      sessions.push(stored.session);
      last = stored.serial;
    }
    return { sessions, nextAfter: undefined };
  }

  countFor(token: string): number {
    let count = 0;
    for (const stored of this.#sessions.values()) if (stored.token === token) count += 1;
    return count;
  }

  add(orgId: string, token: string, session: TailSession): void {
    this.#serial += 1;
    this.#sessions.set(session.id, { orgId, token, serial: this.#serial, session });
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }

  clear(): void {
    this.#sessions.clear();
  }
}

export interface SessionRouteContext {
  store: SessionStore;
  log: EventLog;
  principal: Principal;
  now: number;
  /** Active sessions one token may hold; the next create is a 429 session_limit_exceeded. */
  maxSessionsPerToken: number;
  /** Open tails on a deleted session get `event: scope-destroyed`. */
  destroyTails: (sessionId: string) => void;
}

/** Longest `lastCursor` a session stores. */
const MAX_CURSOR_CHARS = 256;

/**
 * A cursor the client may store. Any non-empty string is accepted, also one this log never issued
 * (the contract's own example is `cursor-0000001`): a tail from it gets `event: reset` and then
 * starts from now, as any stale cursor does (docs/api.md "Tail sessions").
 */
export function checkCursor(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_CURSOR_CHARS) {
    throw badRequest(`${field} must be a non-empty string of at most ${MAX_CURSOR_CHARS} characters`, field);
  }
  return value;
}

function requiredString(body: Record<string, unknown>, field: string, allowEmpty = false): string {
  const value = body[field];
  if (value === undefined || value === null) throw badRequest(`missing required field ${field}`, field);
  if (typeof value !== 'string' || (!allowEmpty && value.trim() === '')) {
    throw badRequest(`${field} must be a non-empty string`, field);
  }
  return value;
}

export async function createSession(
  context: SessionRouteContext,
  body: Record<string, unknown>,
): Promise<Reply> {
  const { principal, log } = context;
  if (principal.tier === 'hobby') throw tierUpgradeRequired();
  const tenantId = requiredString(body, 'tenantId');
  const userUuid = requiredString(body, 'userUuid');
  // An empty filter is allowed: the session then follows everything the service logs.
  const filter = requiredString(body, 'filter', true);
  const service = requiredString(body, 'service');
  const lastCursor =
    body.lastCursor === undefined || body.lastCursor === null
      ? undefined
      : checkCursor(body.lastCursor, 'lastCursor');
  // Checked after the cheap checks of the body, as for tails, and before compiling the filter,
  // which is the costly one: a token at its limit must not make the mock compile anything.
  checkSessionLimit(context);
  rejectAggregation(await compileEventFilter(filter, 'filter'));
  // Again: other sessions may have been made while the filter compiled.
  checkSessionLimit(context);
  const session: TailSession = {
    id: `ses_${randomBytes(8).toString('hex')}`,
    tenantId,
    userUuid,
    filter,
    service,
    lastCursor: lastCursor ?? String(log.headSeq),
    createdAt: new Date(context.now).toISOString(),
    active: true,
  };
  context.store.add(principal.orgId, principal.token, session);
  return { status: 200, body: session };
}

function checkSessionLimit(context: SessionRouteContext): void {
  const active = context.store.countFor(context.principal.token);
  if (active >= context.maxSessionsPerToken) {
    throw new ApiProblem(
      429,
      'session_limit_exceeded',
      `this token already has ${active} tail sessions (limit ${context.maxSessionsPerToken}); delete one and try again`,
      { limit: context.maxSessionsPerToken, active },
    );
  }
}

/** Sessions per page of `GET …/sessions` unless `limit` says otherwise, and the most it may say. */
export const DEFAULT_SESSION_PAGE = 100;
export const MAX_SESSION_PAGE = 1_000;

/** `GET …/sessions?limit=N&cursor=C`: a page, oldest first, with `next_cursor` (null on the last). */
export function listSessions(context: SessionRouteContext, query: URLSearchParams): Reply {
  const limitText = query.get('limit');
  const limit = limitText === null ? DEFAULT_SESSION_PAGE : Number(limitText);
  if (!/^\d{1,4}$/.test(limitText ?? '1') || limit < 1 || limit > MAX_SESSION_PAGE) {
    throw badRequest(`limit must be a whole number from 1 to ${MAX_SESSION_PAGE}`, 'limit');
  }
  const cursor = query.get('cursor');
  const after = cursor === null ? 0 : decodeListCursor(cursor);
  const page = context.store.page(context.principal.orgId, after, limit);
  const next = page.nextAfter === undefined ? null : encodeListCursor(page.nextAfter);
  return { status: 200, body: { sessions: page.sessions, next_cursor: next } };
}

function encodeListCursor(serial: number): string {
  return Buffer.from(`s${serial}`).toString('base64url');
}

function decodeListCursor(text: string): number {
  const match = /^s(\d{1,15})$/.exec(Buffer.from(text, 'base64url').toString('latin1'));
  if (!match) throw badRequest('cursor is not a sessions cursor this service issued', 'cursor');
  return Number(match[1]);
}

export function getSession(context: SessionRouteContext, id: string): Reply {
  return { status: 200, body: mustFind(context, id) };
}

export function patchSession(context: SessionRouteContext, id: string, body: Record<string, unknown>): Reply {
  const session = mustFind(context, id);
  if (body.lastCursor === undefined) throw badRequest('missing required field lastCursor', 'lastCursor');
  session.lastCursor = checkCursor(body.lastCursor, 'lastCursor');
  return { status: 200, body: session };
}

export function deleteSession(context: SessionRouteContext, id: string): Reply {
  const session = mustFind(context, id);
  session.active = false;
  context.store.delete(id);
  context.destroyTails(id);
  return { status: 200, body: session };
}

function mustFind(context: SessionRouteContext, id: string): TailSession {
  const session = context.store.find(id, context.principal.orgId);
  if (!session) throw notFound(`no tail session ${id}`);
  return session;
}

/** 402 for tail features on the hobby tier (api.md, seed 000). */
export function tierUpgradeRequired(): ApiProblem {
  return new ApiProblem(402, 'tier_upgrade_required', 'live tail needs the Logs Pro plan or higher', {
    upgrade_url: '/dashboard/billing/plan',
  });
}
