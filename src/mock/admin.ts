/**
 * The mock's own control routes under `/_mock/` (no token; they exist only on the mock): state,
 * appending events, faults, revocation, tokens, a simulated restart, the traffic rate, the quota,
 * and counting matches (benchmarks). docs/api.md documents each with a curl example.
 */
import type { IncomingMessage } from 'node:http';
import { type BodyLimits, readJsonObject } from './body.js';
import { isCursorText } from './cursor.js';
import { ApiProblem, badRequest, type Reply } from './envelope.js';
import { FaultSpecError, toFault } from './fault-spec.js';
import type { FaultSpec } from './faults.js';
import { routeMethod } from './http-method.js';
import { notWritten } from './journal.js';
import type { MockServer } from './mock-server.js';
import { MAX_RATE_PER_SEC, type MockToken, TIERS } from './options.js';

/** Synthetic events one `/_mock/events {"generate":N}` may add: more would hold the server for seconds. */
const MAX_GENERATE = 1_000_000;

type AdminRoute = (server: MockServer, body: Record<string, unknown>) => Reply | Promise<Reply>;

const ROUTES: Readonly<Record<string, AdminRoute>> = {
  'GET /_mock/state': (server) => ok(server.snapshot()),
  'POST /_mock/events': (server, body) => appendEvents(server, body),
  'GET /_mock/faults': (server) => ok({ faults: server.snapshot().faults }),
  'POST /_mock/faults': (server, body) => armFaults(server, body),
  'DELETE /_mock/faults': (server) => {
    server.clearFaults();
    return ok({ faults: [] });
  },
  'POST /_mock/revoke': (server, body) => {
    const token = requireString(body, 'token');
    return ok({ revoked: server.revokeToken(token) });
  },
  'POST /_mock/tokens': (server, body) => addToken(server, body),
  'POST /_mock/reset': async (server) => {
    await server.restart();
    return ok(server.snapshot());
  },
  'POST /_mock/traffic': (server, body) => {
    const rate = requireNumber(body, 'rate');
    if (rate > MAX_RATE_PER_SEC)
      throw badRequest(`rate must be at most ${MAX_RATE_PER_SEC} events/s`, 'rate');
    server.setRate(rate);
    return ok({ rate_per_s: server.snapshot().rate_per_s });
  },
  'POST /_mock/quota': (server, body) => {
    server.setQuota(body.events === null ? undefined : requireNumber(body, 'events'));
    return ok(server.snapshot().quota);
  },
  'POST /_mock/count': async (server, body) => {
    const q = body.q ?? '';
    if (typeof q !== 'string') throw badRequest('q must be a string (SOQL)', 'q');
    const after = optionalCursor(body, 'after');
    const through = optionalCursor(body, 'through');
    return ok({
      count: await server.count(q, {
        ...(after === undefined ? {} : { after }),
        ...(through === undefined ? {} : { through }),
      }),
    });
  },
};

/** Handles a `/_mock/...` request against a server. */
export function createAdminHandler(server: MockServer, bodyLimits: BodyLimits) {
  return async (req: IncomingMessage, path: string): Promise<Reply> => {
    const method = routeMethod(req);
    const route = ROUTES[`${method} ${path}`];
    if (!route) throw new ApiProblem(404, 'not_found', `no admin route ${req.method} ${path}`);
    const body = method === 'GET' || method === 'DELETE' ? {} : (await readJsonObject(req, bodyLimits)).body;
    return route(server, body);
  };
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

async function appendEvents(server: MockServer, body: Record<string, unknown>): Promise<Reply> {
  if (body.generate !== undefined) {
    const count = requireNumber(body, 'generate');
    if (!Number.isSafeInteger(count) || count > MAX_GENERATE) {
      throw badRequest(`generate must be a whole number up to ${MAX_GENERATE}`, 'generate');
    }
    const range = server.generate(count);
    const failure = await range?.written;
    if (failure) throw notWritten(failure);
    return ok({
      appended: count,
      first_cursor: range?.first ?? null,
      last_cursor: range?.last ?? null,
    });
  }
  const inputs = Array.isArray(body.events) ? body.events : [body];
  if (!inputs.every((input) => typeof input === 'object' && input !== null && !Array.isArray(input))) {
    throw badRequest('events must be an array of objects', 'events');
  }
  const appended = server.append(...(inputs as Record<string, unknown>[]));
  // Answered once they are in the data file, as POST /logs is; one batch, written or not as one.
  const failure = (await Promise.all(appended.map(({ written }) => written))).find(Boolean);
  if (failure) throw notWritten(failure);
  return ok({
    appended: appended.length,
    first_cursor: appended[0]?.cursor ?? null,
    last_cursor: appended.at(-1)?.cursor ?? null,
    events: appended.map(({ cursor, event }) => ({ cursor, event_id: event.event_id })),
  });
}

function armFaults(server: MockServer, body: Record<string, unknown>): Reply {
  const specs = (Array.isArray(body.faults) ? body.faults : [body.fault ?? body]) as FaultSpec[];
  try {
    // All or nothing: check every fault before arming any.
    const faults = specs.map(toFault);
    server.injectFault(...faults);
  } catch (error) {
    if (error instanceof FaultSpecError) throw badRequest(error.message, 'faults');
    throw error;
  }
  return ok({ faults: server.snapshot().faults });
}

function addToken(server: MockServer, body: Record<string, unknown>): Reply {
  const token = requireString(body, 'token');
  const scopes = body.scopes ?? ['logs:read', 'logs:write', 'usage:read'];
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) {
    throw badRequest('scopes must be an array of strings', 'scopes');
  }
  const tier = body.tier ?? 'pro';
  if (!(TIERS as readonly unknown[]).includes(tier))
    throw badRequest(`tier must be one of ${TIERS.join(', ')}`, 'tier');
  const entry: MockToken = { token, scopes, tier: tier as MockToken['tier'] };
  if (typeof body.orgId === 'string') entry.orgId = body.orgId;
  if (typeof body.projectId === 'string') entry.projectId = body.projectId;
  try {
    server.addToken(entry);
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : String(error), 'token');
  }
  return ok({ added: true, scopes, tier });
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '')
    throw badRequest(`${field} must be a non-empty string`, field);
  return value;
}

/** An optional cursor field: absent or null, or a cursor as the tail sends them (decimal digits). */
function optionalCursor(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !isCursorText(value)) {
    throw badRequest(
      `${field} must be a cursor: the decimal id of a tail event, such as "4823170001042"`,
      field,
    );
  }
  return value;
}

function requireNumber(body: Record<string, unknown>, field: string): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw badRequest(`${field} must be a number ≥ 0`, field);
  }
  return value;
}
