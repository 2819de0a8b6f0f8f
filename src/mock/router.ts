/**
 * The route table of api.md and the one path every request takes: route → token (401) → scope
 * (403) → injected fault → handler → reply or error envelope. `/_mock/*` goes to the admin routes,
 * which need no token on loopback, and a token with every log scope on any other interface.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Principal, requireOperator, requireScope, whoami } from './auth.js';
import { readJsonObject } from './body.js';
import { ApiProblem, type Reply, sendJson, sendProblem, type TextReply } from './envelope.js';
import { problemForFault, type RouteFamily } from './faults.js';
import { routeMethod } from './http-method.js';
import { handleIngest } from './ingest.js';
import { handleQuery } from './query.js';
import {
  createSession,
  deleteSession,
  getSession,
  listSessions,
  patchSession,
  type SessionRouteContext,
} from './sessions.js';
import { handleShapedStream, isShapedStreamPath } from './shaped-streams.js';
import type { MockState } from './state.js';
import { handleTail } from './tail-route.js';

interface Call {
  state: MockState;
  req: IncomingMessage;
  res: ServerResponse;
  principal: Principal;
  id: string | undefined;
}

/** A handler answers with a reply, or returns nothing when it has taken the response over (SSE). */
type Handler = (call: Call) => Promise<Reply | TextReply | undefined> | Reply | TextReply | undefined;

interface Route {
  method: string;
  path: RegExp;
  family: RouteFamily;
  /** Any one of these scopes will do; empty: any valid token. */
  scopes: string[];
  handler: Handler;
}

const SESSIONS = /^\/api\/v1\/logs\/tail\/sessions$/;
const SESSION = /^\/api\/v1\/logs\/tail\/sessions\/([^/]+)$/;

async function body(call: Call): Promise<Record<string, unknown>> {
  return (await readJsonObject(call.req, call.state.bodyLimits)).body;
}

function sessionContext(call: Call): SessionRouteContext {
  const { state } = call;
  return {
    store: state.sessions,
    log: state.log,
    principal: call.principal,
    now: state.now(),
    maxSessionsPerToken: state.options.maxSessionsPerToken,
    destroyTails: (id) => state.tails.destroyScope((entry) => entry.sessionId === id, 'session_closed'),
  };
}

const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: /^\/auth\/whoami$/,
    family: 'auth',
    scopes: [],
    handler: (c) => ok(whoami(c.principal)),
  },
  {
    method: 'POST',
    path: /^\/logs$/,
    family: 'ingest',
    scopes: ['logs:write'],
    handler: (c) => handleIngest(c.state, c.req, c.principal),
  },
  {
    method: 'GET',
    path: /^\/logs\/stats$/,
    family: 'query',
    scopes: ['usage:read', 'logs:read'],
    handler: (c) => ok(c.state.stats.toBody(c.principal.orgId)),
  },
  {
    method: 'POST',
    path: /^\/query$/,
    family: 'query',
    scopes: ['logs:read'],
    handler: async (c) => handleQuery(c.state.log, c.principal, await body(c), clientGone(c.res)),
  },
  {
    method: 'POST',
    path: /^\/query\/tail$/,
    family: 'tail',
    scopes: ['logs:read'],
    handler: async (c) => {
      await handleTail(c.state, c.req, c.res, c.principal);
      return undefined;
    },
  },
  {
    method: 'POST',
    path: SESSIONS,
    family: 'sessions',
    scopes: ['logs:read'],
    handler: async (c) => createSession(sessionContext(c), await body(c)),
  },
  {
    method: 'GET',
    path: SESSIONS,
    family: 'sessions',
    scopes: ['logs:read'],
    handler: (c) => listSessions(sessionContext(c), new URL(c.req.url ?? '/', 'http://mock').searchParams),
  },
  {
    method: 'GET',
    path: SESSION,
    family: 'sessions',
    scopes: ['logs:read'],
    handler: (c) => getSession(sessionContext(c), c.id!),
  },
  {
    method: 'PATCH',
    path: SESSION,
    family: 'sessions',
    scopes: ['logs:read'],
    handler: async (c) => patchSession(sessionContext(c), c.id!, await body(c)),
  },
  {
    method: 'DELETE',
    path: SESSION,
    family: 'sessions',
    scopes: ['logs:read'],
    handler: (c) => deleteSession(sessionContext(c), c.id!),
  },
];

function ok(body: unknown): Reply {
  return { status: 200, body };
}

export type AdminHandler = (req: IncomingMessage, path: string) => Promise<Reply>;

/** The server's request listener. */
export function createRequestListener(
  state: MockState,
  admin: AdminHandler,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    res.once('finish', () => {
      const streamed = res.getHeader('content-type')?.toString().startsWith('text/event-stream');
      const took = (performance.now() - started).toFixed(1);
      state.say(`${req.method} ${req.url} ${res.statusCode} ${streamed ? `stream ${took}ms` : `${took}ms`}`);
    });
    dispatch(state, admin, req, res).catch((error: unknown) => answerError(state, res, error));
  };
}

async function dispatch(
  state: MockState,
  admin: AdminHandler,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!.replace(/(.)\/+$/, '$1');
  if (path === '/_mock' || path.startsWith('/_mock/')) {
    if (state.adminNeedsToken) requireOperator(state.tokens.authenticate(req));
    sendJson(res, await admin(req, path));
    return;
  }
  // Other stream shapes answer in their own error shape, from authentication on.
  if (isShapedStreamPath(path)) return handleShapedStream(state, req, res, path);
  const { route, id } = matchRoute(routeMethod(req), path);
  const principal = state.tokens.authenticate(req);
  if (route.scopes.length > 0) requireScope(principal, ...route.scopes);
  const fault = state.faults.takeHttp(route.family);
  if (fault && !fault.afterStore) throw problemForFault(fault);
  const result = await route.handler({ state, req, res, principal, id });
  if (result === undefined) return;
  // A lost response: the work is done (the event stored, the key remembered), the client hears an error.
  if (fault?.afterStore && result.status < 300) throw problemForFault(fault);
  if ('text' in result)
    sendJson(res, { status: result.status, body: undefined, headers: result.headers }, result.text);
  else sendJson(res, result);
}

/** A path segment as an id; one that is not valid percent-encoding names nothing that exists. */
function decodeId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiProblem(404, 'not_found', `no tail session ${segment}`);
  }
}

function matchRoute(method: string, path: string): { route: Route; id: string | undefined } {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const match = route.path.exec(path);
    if (!match) continue;
    if (route.method === method)
      return { route, id: match[1] === undefined ? undefined : decodeId(match[1]) };
    allowed.push(route.method);
    if (route.method === 'GET') allowed.push('HEAD');
  }
  if (allowed.length > 0) {
    throw new ApiProblem(
      405,
      'method_not_allowed',
      `${method} is not allowed on ${path}`,
      {},
      { allow: allowed.join(', ') },
    );
  }
  throw new ApiProblem(404, 'not_found', `no route for ${method} ${path}`);
}

/** Aborted when the connection closes before the answer was sent: the client has gone. */
function clientGone(res: ServerResponse): AbortSignal {
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort(new Error('the client closed the connection'));
  });
  return gone.signal;
}

function answerError(state: MockState, res: ServerResponse, error: unknown): void {
  if (res.destroyed) return; // nobody is left to answer
  if (res.headersSent) {
    // Mid-stream there is no envelope to send: break the connection so the client notices.
    res.destroy();
    return;
  }
  if (error instanceof ApiProblem) {
    sendProblem(res, error);
    return;
  }
  state.say(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  sendProblem(res, new ApiProblem(500, 'internal', 'an unexpected error occurred'));
}
