/**
 * Issue 16 item 3, the class: whatever else answers where the logs API should be (a web server, a
 * framework's JSON 404, an API without these routes, a server that implements nothing), every
 * command fails at once, exit 1, with "this does not look like the logs API at URL" and the setting
 * to check; it is never retried nor reconnected to. The API's own 404s (a session that is gone)
 * keep their meaning.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { type HostileRequest, hostileServer, sendJson } from '../helpers/hostile-server.js';
import { DEV_TOKEN, type MockProcess, startMockProcess } from '../helpers/mock-process.js';

const TOKEN = 'so_test_notapi0123456789';

type Answer = (request: HostileRequest, response: ServerResponse) => void;

const ANSWERS: [string, Answer][] = [
  [
    'a framework JSON 404',
    (_q, r) =>
      sendJson(r, 404, { message: 'Route POST:/query not found', error: 'Not Found', statusCode: 404 }),
  ],
  [
    'an API that has no such route',
    (q, r) =>
      sendJson(r, 404, { error: { code: 'not_found', message: `no route for ${q.method} ${q.path}` } }),
  ],
  ['a JSON 404 of another shape', (_q, r) => sendJson(r, 404, { detail: 'Not Found' })],
  [
    'a 405 with an empty body',
    (_q, r) => {
      r.writeHead(405, { allow: 'GET' });
      r.end();
    },
  ],
  [
    'a 405 in the API envelope',
    (q, r) =>
      sendJson(r, 405, {
        error: { code: 'method_not_allowed', message: `${q.method} is not allowed on ${q.path}` },
      }),
  ],
  [
    'a plain-text 501',
    (_q, r) => {
      r.writeHead(501, { 'content-type': 'text/plain' });
      r.end('Not Implemented');
    },
  ],
  ['a JSON 501', (_q, r) => sendJson(r, 501, { statusCode: 501, error: 'Not Implemented', message: 'nope' })],
];

const COMMANDS: [string, string[]][] = [
  ['query', ['query', 'severity >= error']],
  ['tail', ['tail', '--no-tui']],
  ['stats', ['stats']],
  ['whoami', ['whoami']],
  ['sessions list', ['sessions', 'list']],
  ['ingest', ['ingest', 'hello']],
];

/** Every answer against `query`; each other command against two of them (each answer twice in all). */
const CASES: [string, string[], string, Answer][] = [
  ...ANSWERS.map(([what, answer]): [string, string[], string, Answer] => [
    'query',
    ['query', 'severity >= error'],
    what,
    answer,
  ]),
  ...COMMANDS.slice(1).flatMap(([name, args], index) =>
    [index, index + 3].map((at): [string, string[], string, Answer] => {
      const [what, answer] = ANSWERS[at % ANSWERS.length]!;
      return [name, args, what, answer];
    }),
  ),
];

describe('where the API should be, something else answers', () => {
  it.each(CASES)('sotail %s (%j) against %s: not the logs API, at once', async (_, args, _what, answer) => {
    const server = await hostileServer(answer);
    const result = await runCli([...args, '--api-url', server.url], {
      env: { SOTAIL_TOKEN: TOKEN, SOTAIL_RETRY_BASE_MS: '1', SOTAIL_RETRY_MAX_MS: '5' },
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        `^sotail: this does not look like the logs API at ${server.url}: [A-Z]+ /\\S+ was answered with HTTP \\d{3}`,
      ),
    );
    expect(result.stderr).toMatch(/^hint: check --api-url /m);
    expect(server.requests).toHaveLength(1);
  });
});

describe("the API's own 404s keep their meaning", () => {
  let mock: MockProcess;
  beforeAll(async () => {
    mock = await startMockProcess();
  });
  afterAll(() => mock?.stop());

  it.each([
    ['tail', '--session', 'ses_0000000000000000', '--no-tui'],
    ['sessions', 'show', 'ses_0000000000000000'],
    ['sessions', 'close', 'ses_0000000000000000'],
  ])('sotail %s %s %s: no tail session', async (...args) => {
    const result = await runCli(args, { env: { SOTAIL_API_URL: mock.url, SOTAIL_TOKEN: DEV_TOKEN } });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^sotail: no tail session ses_0000000000000000$/m);
    expect(result.stderr).toMatch(/^hint: `sotail sessions list` shows the sessions there are/m);
  });
});
