/**
 * POST /query/tail (api.md "Live tail"): checks the caller (tier, limit), the query or session,
 * and the resume point, then hands the connection to a TailStream. A resume point this log did not
 * issue (a restart without --data) gets `event: reset`; one older than the replay window gets
 * `event: gap` and resumes at the oldest event still replayable.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from './auth.js';
import { readJsonObject } from './body.js';
import { isCursorText } from './cursor.js';
import { ApiProblem, badRequest, notFound } from './envelope.js';
import type { EventLog } from './event-log.js';
import { compileEventFilter, type Matcher, rejectAggregation } from './filter.js';
import { type TailSession, tierUpgradeRequired } from './sessions.js';
import type { MockState } from './state.js';
import { sendResetStream, TailStream } from './tail-stream.js';

interface TailTarget {
  matches: Matcher;
  sessionId: string | undefined;
  /** Set when the resume point is the session's stored `lastCursor` (no Last-Event-ID). */
  resumesSession: TailSession | undefined;
  /** Where to resume: Last-Event-ID, else the session's checkpoint, else "now". */
  cursor: string | undefined;
}

export async function handleTail(
  state: MockState,
  req: IncomingMessage,
  res: ServerResponse,
  principal: Principal,
): Promise<void> {
  if (principal.tier === 'hobby') throw tierUpgradeRequired();
  const { body } = await readJsonObject(req, state.bodyLimits);
  // The limit before the filter: compiling is the costly part, and a 4th tail must not pay it.
  checkTailLimit(state, principal);
  const target = await resolveTarget(state, principal, body, lastEventId(req));
  // Again: other tails of the token may have opened while the filter compiled.
  checkTailLimit(state, principal);
  const { log } = state;
  const start = resumePoint(log, target.cursor, state.options.replayWindow);
  if (start === 'reset') {
    // The client drops its own cursor on reset; a session's stored one must go too, or every
    // reconnect would be reset again. Like any stale cursor: reset, then from now.
    if (target.resumesSession) target.resumesSession.lastCursor = String(log.headSeq);
    sendResetStream(res, state.options.sseRetryMs);
    return;
  }
  const stream = new TailStream(res, {
    log,
    org: principal.orgId,
    matches: target.matches,
    afterSeq: start?.afterSeq ?? log.headSeq,
    gap: start?.gap,
    timings: state.options,
    fault: state.faults.takeTail(),
    random: () => state.faults.random(),
    metrics: state.tailMetrics,
    onEnd: (ended, reason) => {
      state.tails.remove(ended);
      state.say(`tail ended (${reason}) after ${ended.eventsSent} events`);
    },
  });
  state.tails.add(stream, principal.token, target.sessionId);
  stream.start();
}

function checkTailLimit(state: MockState, principal: Principal): void {
  const { maxTailsPerToken } = state.options;
  const active = state.tails.countFor(principal.token);
  if (active >= maxTailsPerToken) {
    throw new ApiProblem(
      429,
      'tail_session_limit_exceeded',
      `this token already has ${active} open tails (limit ${maxTailsPerToken}); close one and try again`,
      { limit: maxTailsPerToken, active },
    );
  }
}

/** The `Last-Event-ID` header, trimmed; undefined when absent or blank. */
export function lastEventId(req: IncomingMessage): string | undefined {
  const value = req.headers['last-event-id'];
  const id = Array.isArray(value) ? value[0] : value;
  return id === undefined || id.trim() === '' ? undefined : id.trim();
}

async function resolveTarget(
  state: MockState,
  principal: Principal,
  body: Record<string, unknown>,
  headerCursor: string | undefined,
): Promise<TailTarget> {
  const sessionId = body.session_id;
  if (sessionId === undefined || sessionId === null) {
    if (body.q === undefined || body.q === null)
      throw badRequest('missing required field q (or session_id)', 'q');
    const filter = await compileEventFilter(body.q);
    rejectAggregation(filter);
    return { matches: filter.matches, sessionId: undefined, resumesSession: undefined, cursor: headerCursor };
  }
  if (typeof sessionId !== 'string' || sessionId === '') {
    throw badRequest('session_id must be a non-empty string', 'session_id');
  }
  if (body.q !== undefined && body.q !== null) throw badRequest('send q or session_id, not both', 'q');
  const session = state.sessions.find(sessionId, principal.orgId);
  if (!session) throw notFound(`no tail session ${sessionId}`);
  const filter = await compileEventFilter(session.filter, 'filter');
  // Deleted while its filter compiled: as gone as if it had been before.
  if (!state.sessions.find(sessionId, principal.orgId)) throw notFound(`no tail session ${sessionId}`);
  const { service } = session;
  const matches: Matcher = (event) => event.source === service && filter.matches(event);
  return {
    matches,
    sessionId,
    resumesSession: headerCursor === undefined ? session : undefined,
    cursor: headerCursor ?? session.lastCursor,
  };
}

export type ResumePoint =
  | { afterSeq: number; gap?: { after: string; resumed_from: string } }
  | 'reset'
  | undefined;

/** Where a stream resumes from a cursor: after it, after a gap, or `reset` for a foreign cursor. */
export function resumePoint(log: EventLog, cursor: string | undefined, replayWindow: number): ResumePoint {
  if (cursor === undefined) return undefined;
  const seq = isCursorText(cursor) ? Number(cursor) : Number.NaN;
  if (!log.issued(seq)) return 'reset';
  const oldest = Math.max(log.firstSeq, log.headSeq - replayWindow + 1);
  if (seq + 1 >= oldest) return { afterSeq: seq };
  return { afterSeq: oldest - 1, gap: { after: cursor, resumed_from: String(oldest) } };
}
