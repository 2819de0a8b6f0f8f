/**
 * Hostile input at every admin route (`/_mock/*`): random JSON of every type in every field the
 * routes read, odd keys, non-objects. Whatever comes in, the answer is never a 5xx and the mock
 * keeps answering. Bounded: FUZZ_RUNS requests, else 4 × SOTAIL_FC_RUNS (400 by default), each
 * guarded by a liveness timeout.
 */
import fc from 'fast-check';
import { request } from 'undici';
import { expect, test } from 'vitest';
import { fcRuns } from '../helpers/fast-check.js';
import { startTestMock } from '../helpers/mock-server.js';

const ROUTES: Record<string, string[]> = {
  'POST /_mock/events': ['message', 'level', 'meta', 'ts', 'source', 'events', 'generate'],
  'POST /_mock/faults': ['faults', 'fault', 'kind', 'family', 'count', 'afterEvents', 'atByte', 'forMs'],
  'POST /_mock/revoke': ['token'],
  'POST /_mock/tokens': ['token', 'scopes', 'tier', 'orgId', 'projectId'],
  'POST /_mock/traffic': ['rate'],
  'POST /_mock/quota': ['events'],
  'POST /_mock/count': ['q', 'after', 'through'],
  'POST /_mock/reset': [],
  'GET /_mock/state': [],
  'GET /_mock/faults': [],
  'DELETE /_mock/faults': [],
};

const scalar = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'abc',
      '',
      '-5',
      '1e400',
      '99999999999999999999',
      '12',
      'so_test_fuzz',
      'severity >= error',
      '429@ingest:count=2',
      'drop:after=1',
      'explode',
      null,
      -1,
      Number.POSITIVE_INFINITY,
      Number.MAX_SAFE_INTEGER,
      0.5,
      2_000_000,
    ),
  },
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string(), scalar, { maxKeys: 3 }) },
);

function body(fields: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: 5, arbitrary: fields.length > 0 ? fc.constantFrom(...fields) : fc.string() },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '') },
  );
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .dictionary(key, value, { minKeys: 1, maxKeys: 4 })
        .map((object) => JSON.stringify(object)),
    },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '"x"', '{', '{"__proto__":{"a":1}}') },
  );
}

const RUNS = Number(process.env.FUZZ_RUNS ?? fcRuns(4));

test(
  'admin routes: no input is a 5xx, every request is answered',
  async () => {
    const server = await startTestMock({ history: 20 });
    const tried = new Map<number, number>();
    const input = fc
      .constantFrom(...Object.keys(ROUTES))
      .chain((route) => fc.tuple(fc.constant(route), body(ROUTES[route]!)));
    await fc.assert(
      fc.asyncProperty(input, async ([route, text]) => {
        const [method, path] = route.split(' ') as [string, string];
        const response = await request(`${server.url}${path}`, {
          method: method as 'POST',
          headers: { 'content-type': 'application/json' },
          body: method === 'GET' ? undefined : text,
          signal: AbortSignal.timeout(5_000),
        });
        const answer = await response.body.text();
        tried.set(response.statusCode, (tried.get(response.statusCode) ?? 0) + 1);
        expect(response.statusCode, `${route} ${text} → ${answer}`).toBeLessThan(500);
        // Keep the run cheap: undo what would slow the next requests down.
        if (path === '/_mock/traffic' || path === '/_mock/faults') {
          server.setRate(0);
          server.clearFaults();
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 13) },
    );
    expect((await request(`${server.url}/_mock/state`)).statusCode).toBe(200);
    console.info(`admin fuzz: statuses ${JSON.stringify(Object.fromEntries(tried))}`);
  },
  Math.max(60_000, RUNS * 100),
);
