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
  session: TailSession;
}

export class SessionStore {
  readonly #sessions = new Map<string, StoredSession>();

  get size(): number {
    return this.#sessions.size;
  }

  /** The session, if it exists and belongs to `orgId`. */
  find(id: string, orgId: string): TailSession | undefined {
    const stored = this.#sessions.get(id);
    return stored?.orgId === orgId ? stored.session : undefined;
  }

  list(orgId: string): TailSession[] {
    return [...this.#sessions.values()]
      .filter((stored) => stored.orgId === orgId)
      .map((stored) => stored.session);
  }

  add(orgId: string, session: TailSession): void {
    this.#sessions.set(session.id, { orgId, session });
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
  /** Open tails on a deleted session get `event: scope-destroyed`. */
  destroyTails: (sessionId: string) => void;
}

/** A cursor the client may store: one this log issued (api.md cursors are decimal sequence numbers). */
export function checkCursor(value: unknown, log: EventLog, field: string): string {
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) {
    throw badRequest(`${field} must be a cursor (the id of an event frame)`, field);
  }
  if (!log.issued(Number(value))) throw badRequest(`${field} ${value} was not issued by this service`, field);
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

export function createSession(context: SessionRouteContext, body: Record<string, unknown>): Reply {
  const { principal, log } = context;
  if (principal.tier === 'hobby') throw tierUpgradeRequired();
  const tenantId = requiredString(body, 'tenantId');
  const userUuid = requiredString(body, 'userUuid');
  // An empty filter is allowed: the session then follows everything the service logs.
  const filter = requiredString(body, 'filter', true);
  const service = requiredString(body, 'service');
  rejectAggregation(compileEventFilter(filter, 'filter'));
  const lastCursor =
    body.lastCursor === undefined || body.lastCursor === null
      ? String(log.headSeq)
      : checkCursor(body.lastCursor, log, 'lastCursor');
  const session: TailSession = {
    id: `ses_${randomBytes(8).toString('hex')}`,
    tenantId,
    userUuid,
    filter,
    service,
    lastCursor,
    createdAt: new Date(context.now).toISOString(),
    active: true,
  };
  context.store.add(principal.orgId, session);
  return { status: 200, body: session };
}

export function listSessions(context: SessionRouteContext): Reply {
  return { status: 200, body: { sessions: context.store.list(context.principal.orgId) } };
}

export function getSession(context: SessionRouteContext, id: string): Reply {
  return { status: 200, body: mustFind(context, id) };
}

export function patchSession(context: SessionRouteContext, id: string, body: Record<string, unknown>): Reply {
  const session = mustFind(context, id);
  if (body.lastCursor === undefined) throw badRequest('missing required field lastCursor', 'lastCursor');
  session.lastCursor = checkCursor(body.lastCursor, context.log, 'lastCursor');
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
