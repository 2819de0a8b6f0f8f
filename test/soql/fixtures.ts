import { parseQuery, SoqlParseError } from '../../src/soql/index.js';

/** A handful of events covering what filters must cope with: aliases, odd types, absent fields. */
export const EVENTS: Record<string, unknown>[] = [
  {
    event_id: 'e1',
    ts: '2026-05-17T10:00:00.000Z',
    ingested_at: '2026-05-17T10:00:00.100Z',
    dataset: 'security',
    severity: 'error',
    event: 'player_kick',
    actor: 'admin:Mitch',
    source: 'fivem',
    message: 'VAC kick',
    payload: { target: '1337', user: 'mitch' },
    bytes_raw: 128,
  },
  {
    event_id: 'e2',
    ts: '2026-05-17T10:05:00.000Z',
    severity: 'warn',
    source: 'api',
    message: 'upstream timed out after 30s',
    payload: { user: 'ana', status: 504 },
    bytes_raw: 256,
  },
  {
    event_id: 'e3',
    ts: '2026-05-17T11:00:00.000Z',
    severity: 'info',
    source: 'web',
    message: 'GET /index 200',
    payload: { status: 200, admin: false, tags: ['db', 'slow'] },
    bytes_raw: 90,
  },
  {
    event_id: 'e4',
    ts: '2026-05-17T12:00:00.000Z',
    severity: 'critical',
    source: 'auth-service',
    message: 'Timeout talking to DB',
    payload: { db: { host: 'db-1', port: 5432 }, retries: '3' },
    bytes_raw: 300,
  },
  {
    event_id: 'e5',
    ts: '2026-05-16T23:59:59.999Z',
    severity: 'debug',
    actor: 'system',
    source: 'api',
    message: 'cache miss',
    payload: {},
  },
  {
    // Not canonical: a non-UTC offset (10:00Z) and an upper-case alias; no source.
    event_id: 'e6',
    ts: '2026-05-17T12:00:00+02:00',
    severity: 'WARNING',
    message: 'disk 91% full',
    payload: { admin: true, user: null },
    bytes_raw: '512',
  },
  {
    // Everything the wrong type.
    event_id: 'e7',
    ts: 'not a time',
    severity: 'bogus',
    source: ['x'],
    message: 42,
    payload: 'not an object',
    bytes_raw: { n: 1 },
  },
];

export const ALL_IDS = EVENTS.map((event) => event.event_id as string);

/** The error `query` fails to parse with; fails the test when it parses. */
export function parseError(query: string): SoqlParseError {
  try {
    parseQuery(query);
  } catch (error) {
    if (error instanceof SoqlParseError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(query)} not to parse`);
}
