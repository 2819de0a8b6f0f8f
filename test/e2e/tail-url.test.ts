/**
 * `sotail tail --url` against the other stream shapes the mock serves (proxy logs, audit log):
 * NDJSON passes each record through as sent, pretty lines read the mapped common fields, resume
 * works by Last-Event-ID, and the token goes only where it belongs.
 */
import { describe, expect, test } from 'vitest';
import { parseNdjson, readUntil, runCli } from '../helpers/cli.js';
import { DEV_TOKEN, HOBBY_TOKEN, startTestMock } from '../helpers/mock-server.js';
import { spawnTail, until, untilTails } from '../helpers/tail.js';

const PROXY = '/api/proxy-logs/_logs/stream';
const AUDIT = '/portal/v1/accounts/sotail_dev/audit-log/identities/stream';

describe('sotail tail --url', () => {
  test('proxy logs as NDJSON: each entry written exactly as the stream sent it', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, ['--url', `${mock.url}${PROXY}?level=error`, '--count', '2']);
    await untilTails(mock);
    const appended = mock.append(
      { message: 'fine', source: 'api' },
      { message: 'boom', source: 'api', level: 'error' },
      { message: 'bang', source: 'worker', level: 'critical' },
    );
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line).traceId)).toEqual([
      appended[1]!.event.event_id,
      appended[2]!.event.event_id,
    ]);
    // Passed through, not rebuilt: the stream's own key order, the row id first.
    expect(Object.keys(JSON.parse(lines[0]!))[0]).toBe('id');
    expect(lines[0]).toMatch(/^\{"id":\d+,"traceId":/);
  });

  test('audit log as pretty lines: the mapped time, level, actor and action', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, ['--url', `${mock.url}${AUDIT}`, '-o', 'pretty', '--utc', '--count', '1']);
    await untilTails(mock);
    mock.append({
      message: 'login failed for bob',
      source: 'auth-service',
      level: 'warn',
      event: 'login_failed',
      actor: 'user:bob',
      ts: '2026-05-17T10:00:00.123Z',
    });
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^10:00:00\.123 WARN {2}bob {10}auth-service\.login_failed login failed for bob .*category=auth/,
    );
  });

  test('a dropped connection resumes with Last-Event-ID: every entry once, in order', async () => {
    const mock = await startTestMock();
    mock.injectFault({ kind: 'drop', afterEvents: 2, connections: 2 });
    const tail = spawnTail(mock, ['--url', `${mock.url}${PROXY}`, '--count', '6', '-v']);
    await untilTails(mock);
    const appended = mock.append(...Array.from({ length: 6 }, (_, i) => ({ message: `m${i}` })));
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(parseNdjson(result.stdout).map((entry) => entry.traceId)).toEqual(
      appended.map((added) => added.event.event_id),
    );
    expect(result.stderr.match(/reconnecting/g)?.length).toBeGreaterThanOrEqual(2);
  });

  test('event: reset on a stream without history: starts afresh and says what may be missing', async () => {
    const mock = await startTestMock();
    mock.injectFault({ kind: 'reset', afterEvents: 1 });
    const tail = spawnTail(mock, ['--url', `${mock.url}${AUDIT}`, '--count', '2', '-v']);
    await untilTails(mock);
    const [first] = mock.append({ message: 'first' }, { message: 'lost in the reset' });
    await readUntil(tail.child.stderr, /may be missing/);
    await until(() => {
      const { active, metrics } = mock.snapshot().tails;
      return metrics.opened === 2 && active === 1;
    }, 'the tail to reconnect');
    const [later] = mock.append({ message: 'after' });
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(parseNdjson(result.stdout).map((row) => row.id)).toEqual([
      first!.event.event_id,
      later!.event.event_id,
    ]);
    expect(result.stderr).toMatch(/warning: events may be missing: the server was reset/);
  });

  test("the profile's token goes only to its own host; --header sends one anywhere", async () => {
    const mock = await startTestMock();
    const elsewhere = { SOTAIL_API_URL: 'http://127.0.0.1:9', SOTAIL_TOKEN: DEV_TOKEN };
    const refused = await runCli(['tail', '--url', `${mock.url}${PROXY}`, '--count', '1'], {
      env: elsewhere,
    });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^sotail: Logs token missing or invalid: missing authorization token$/m);
    const tail = spawnTail(
      mock,
      ['--url', `${mock.url}${PROXY}`, '--header', `Authorization: Bearer ${DEV_TOKEN}`, '--count', '1'],
      {
        env: { SOTAIL_API_URL: '', SOTAIL_TOKEN: '' },
      },
    );
    await untilTails(mock);
    const [added] = mock.append({ message: 'with a header' });
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(parseNdjson(result.stdout)[0]).toMatchObject({ traceId: added!.event.event_id });
  });

  test('the plain error shape is shown in its own words, with its exit code', async () => {
    const mock = await startTestMock();
    const result = await runCli(
      ['tail', '--url', `${mock.url}${PROXY}`, '--header', `authorization: Bearer ${HOBBY_TOKEN}`],
      { env: {} },
    );
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(
      /^sotail: Live tail needs a paid plan: upgrade at \/dashboard\/billing\/plan$/m,
    );
  });

  test.each([
    [['severity >= error', '--url', 'http://127.0.0.1:9/s'], /--url tails the stream as it is/],
    [['--url', 'http://127.0.0.1:9/s', '--since', '5m'], /--since needs the API's history/],
    [['--url', 'ftp://127.0.0.1/s'], /--url takes an http or https URL/],
    [['--url', 'http://127.0.0.1:9/s', '--header', 'no colon'], /--header takes 'Name: value'/],
    [['--url', 'http://127.0.0.1:9/s', '--header', 'Host: x'], /set by sotail itself/],
    [['--header', 'X-A: 1'], /--header goes with --url/],
  ])('usage errors exit 2: %j', async (args, message) => {
    const result = await runCli(['tail', ...args], {
      env: { SOTAIL_API_URL: 'http://127.0.0.1:9', SOTAIL_TOKEN: DEV_TOKEN },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
