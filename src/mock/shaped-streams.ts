/**
 * The two other live streams the mock serves (docs/api.md "Other stream shapes the mock serves"):
 * `GET /api/proxy-logs/_logs/stream` (proxy-log entries) and
 * `GET /portal/v1/accounts/{accountSlug}/audit-log/identities/stream` (`event: audit-log` rows).
 * Both carry the same log as `/query/tail`, mapped into their shape, with the same resume rules,
 * faults and heartbeats; they differ in their filters, limits and plain error shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogEvent } from '../model/event.js';
import { AUDIT_STREAMS_PER_ACCOUNT, type AuditRow, auditFilter, toAuditRow } from './audit-log-shape.js';
import { type Principal, redact } from './auth.js';
import { parseEventInput } from './event-input.js';
import { problemForFault } from './faults.js';
import type { Matcher } from './filter.js';
import { routeMethod } from './http-method.js';
import { type ProxyLogEntry, proxyFilter, toProxyLogEntry } from './proxy-log-shape.js';
import { ShapedProblem, sendShapedProblem, toShapedProblem } from './shaped-problem.js';
import type { MockState } from './state.js';
import { lastEventId, resumePoint } from './tail-route.js';
import { SSE_HEADERS, sendResetStream, TailStream, type TailTimings } from './tail-stream.js';

const PROXY_PATH = '/api/proxy-logs/_logs/stream';
const AUDIT_PATH = /^\/portal\/v1\/accounts\/([^/]+)\/audit-log\/identities\/stream$/;

/** True for the paths this module answers (the router hands them over whole). */
export function isShapedStreamPath(path: string): boolean {
  return path === PROXY_PATH || AUDIT_PATH.test(path);
}

/** What one stream shape decides; the rest is shared. */
interface Shape {
  /** A bad or missing token: the proxy logs answer 403, the audit log 401. */
  unauthenticatedStatus: 401 | 403;
  unauthenticatedMessage: string;
  /** Builds the predicate and the frame formatter from the query, or throws a 400. */
  compile(params: URLSearchParams, principal: Principal, firstSeq: number): Compiled;
  /** 429 when the caller has no stream slot left. */
  checkLimit(state: MockState, principal: Principal): void;
  heartbeat: string;
  /** Registry key for streams limited per account rather than per token. */
  account?: (principal: Principal) => string;
  timings?: (timings: TailTimings) => TailTimings;
  /** Written into the log when a stream opens and ends (the audit log records its own tails). */
  auditRows?: boolean;
}

interface Compiled {
  matches: Matcher;
  formatFrame: (event: LogEvent, seq: number) => string;
}

/**
 * Maps each event once: the predicate maps it, and the formatter of the same event (which always
 * follows a match) reuses that mapping.
 */
function cachedMapping<T>(map: (event: LogEvent) => T): (event: LogEvent) => T {
  let lastEvent: LogEvent | undefined;
  let lastShape: T | undefined;
  return (event) => {
    if (event !== lastEvent) {
      lastShape = map(event);
      lastEvent = event;
    }
    return lastShape as T;
  };
}

const PROXY: Shape = {
  unauthenticatedStatus: 403,
  unauthenticatedMessage: 'Logs token missing or invalid',
  heartbeat: ':\n\n',
  compile(params, principal, firstSeq) {
    const filter = proxyFilter(params);
    const shape = cachedMapping((event) => toProxyLogEntry(event, principal.projectId));
    return {
      matches: (event) => filter(shape(event)),
      formatFrame: (event, seq) => {
        // The entry's row id counts from 1 in this log; the frame id is the resumable ringSeq.
        const entry: { id: number } & ProxyLogEntry = { id: seq - firstSeq + 1, ...shape(event) };
        return `id: ${seq}\ndata: ${JSON.stringify(entry)}\n\n`;
      },
    };
  },
  checkLimit(state, principal) {
    const limit = state.options.maxTailsPerToken;
    const active = state.tails.countFor(principal.token);
    if (active >= limit) {
      throw new ShapedProblem(
        429,
        `Rate limit exceeded for log stream: this token already has ${active} open streams (limit ${limit})`,
      );
    }
  },
};

const AUDIT: Shape = {
  unauthenticatedStatus: 401,
  unauthenticatedMessage: 'Invalid or expired token',
  heartbeat: ':heartbeat\n\n',
  compile(params, principal) {
    const filter = auditFilter(params);
    const shape = cachedMapping((event): AuditRow => toAuditRow(event, principal.projectId));
    return {
      matches: (event) => filter(shape(event)),
      formatFrame: (event, seq) => `id: ${seq}\nevent: audit-log\ndata: ${JSON.stringify(shape(event))}\n\n`,
    };
  },
  checkLimit(state, principal) {
    const active = state.tails.countForAccount(principal.orgId);
    if (active >= AUDIT_STREAMS_PER_ACCOUNT) {
      throw new ShapedProblem(
        429,
        `Account has reached the live-tail concurrency limit (${AUDIT_STREAMS_PER_ACCOUNT} simultaneous streams). Close an existing stream and retry.`,
      );
    }
  },
  account: (principal) => principal.orgId,
  // The audit stream ends only on disconnect, revocation or its 30-minute cap: no idle end.
  timings: (timings) => ({ ...timings, idleTimeoutMs: Number.POSITIVE_INFINITY }),
  auditRows: true,
};

/** Answers one request on a shaped-stream path; every failure in the plain error shape. */
export async function handleShapedStream(
  state: MockState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  try {
    serve(state, req, res, path);
  } catch (error) {
    const problem = toShapedProblem(error);
    if (!problem) throw error;
    if (res.headersSent) res.destroy();
    else sendShapedProblem(res, problem);
  }
}

function serve(state: MockState, req: IncomingMessage, res: ServerResponse, path: string): void {
  const shape = path === PROXY_PATH ? PROXY : AUDIT;
  // HEAD is answered as GET (docs/api.md "Common"), except that no stream is opened.
  if (routeMethod(req) !== 'GET') {
    throw new ShapedProblem(405, `${req.method} is not allowed on ${path}`, { allow: 'GET, HEAD' });
  }
  const principal = authenticate(state, req, shape);
  if (!principal.scopes.includes('logs:read'))
    throw new ShapedProblem(403, 'This token is not authorized for this endpoint (it lacks logs:read)');
  if (shape === AUDIT) checkAccount(path, principal);
  if (principal.tier === 'hobby')
    throw new ShapedProblem(402, 'Live tail needs a paid plan: upgrade at /dashboard/billing/plan');
  const fault = state.faults.takeHttp('tail');
  if (fault) throw problemForFault(fault);
  const params = new URL(req.url ?? '/', 'http://mock').searchParams;
  const { log } = state;
  // The limit first: a stream the caller may not open costs nothing to refuse.
  shape.checkLimit(state, principal);
  const compiled = shape.compile(params, principal, log.originSeq);
  const start = resumePoint(log, lastEventId(req), state.options.replayWindow);
  if (req.method === 'HEAD') {
    // The status and headers a GET would get, and no body: nothing to hold a stream slot for.
    res.writeHead(200, SSE_HEADERS);
    res.end();
    return;
  }
  if (start === 'reset') {
    sendResetStream(res, state.options.sseRetryMs);
    return;
  }
  // Other streams see this stream's opening row; this one, even when it replays, does not.
  const opening = shape.auditRows ? appendAuditRow(state, principal, 'started') : undefined;
  const stream = new TailStream(res, {
    log,
    org: principal.orgId,
    matches: opening ? (event) => event !== opening && compiled.matches(event) : compiled.matches,
    formatFrame: compiled.formatFrame,
    heartbeat: shape.heartbeat,
    afterSeq: start?.afterSeq ?? log.headSeq,
    gap: start?.gap,
    timings: shape.timings ? shape.timings(state.options) : state.options,
    fault: state.faults.takeTail(),
    random: () => state.faults.random(),
    metrics: state.tailMetrics,
    onEnd: (ended, reason) => {
      state.tails.remove(ended);
      if (shape.auditRows) appendAuditRow(state, principal, 'ended');
      state.say(`${path} stream ended (${reason}) after ${ended.eventsSent} events`);
    },
  });
  state.tails.add(stream, principal.token, undefined, shape.account?.(principal));
  stream.start();
}

function authenticate(state: MockState, req: IncomingMessage, shape: Shape): Principal {
  try {
    return state.tokens.authenticate(req);
  } catch (error) {
    const problem = toShapedProblem(error);
    if (!problem) throw error;
    const headers = shape.unauthenticatedStatus === 401 ? problem.headers : {};
    throw new ShapedProblem(
      shape.unauthenticatedStatus,
      `${shape.unauthenticatedMessage}: ${problem.message}`,
      headers,
    );
  }
}

/**
 * An account slug names the token's org, with or without its `org_` prefix; any other account is
 * not this token's to read.
 */
function checkAccount(path: string, principal: Principal): void {
  const raw = AUDIT_PATH.exec(path)?.[1] ?? '';
  let slug: string;
  try {
    slug = decodeURIComponent(raw);
  } catch {
    slug = raw;
  }
  if (slug === principal.orgId || `org_${slug}` === principal.orgId) return;
  throw new ShapedProblem(
    403,
    `This token is not authorized for account ${JSON.stringify(slug.slice(0, 64))}`,
  );
}

function appendAuditRow(state: MockState, principal: Principal, phase: 'started' | 'ended'): LogEvent {
  const now = state.now();
  const input = {
    level: 'info',
    message: `audit-log live tail ${phase}`,
    source: 'audit',
    dataset: 'audit',
    event: `audit.live_tail.${phase}`,
    actor: `token:${redact(principal.token)}`,
  };
  const { event, tsMs } = state.stamper.stamp(
    parseEventInput(input),
    now,
    Buffer.byteLength(JSON.stringify(input)),
    principal.orgId,
  );
  state.store(event, tsMs);
  return event;
}
