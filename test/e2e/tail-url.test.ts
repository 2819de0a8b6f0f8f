/**
 * `sotail tail --url` beyond the common cases of tail-sources.test.ts: a dropped connection and a
 * reset on a stream without history, the plain error shape, and a run with no profile at all.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, onTestFinished, test } from 'vitest';
import { parseNdjson, readUntil, runCli } from '../helpers/cli.js';
import { DEV_TOKEN, HOBBY_TOKEN, startTestMock } from '../helpers/mock-server.js';
import { QUICK_RECONNECTS, spawnTail, until, untilTails } from '../helpers/tail.js';

const PROXY = '/api/proxy-logs/_logs/stream';
const AUDIT = '/portal/v1/accounts/sotail_dev/audit-log/identities/stream';

describe('sotail tail --url', () => {
  test('a dropped connection resumes with Last-Event-ID: every entry once, in order', async () => {
    const mock = await startTestMock();
    mock.injectFault({ kind: 'drop', afterEvents: 2, connections: 2 });
    const tail = spawnTail(mock, ['--url', `${mock.url}${PROXY}`, '--count', '6', '-v'], {
      env: QUICK_RECONNECTS,
    });
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
    expect(result.stderr).toMatch(/warning: events may be missing.*the server was reset/);
  });

  test('needs no profile: with nothing configured, --header carries the token', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(
      mock,
      ['--url', `${mock.url}${PROXY}`, '--header', `Authorization: Bearer ${DEV_TOKEN}`, '--count', '1'],
      { env: { SOTAIL_API_URL: '', SOTAIL_TOKEN: '' } },
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

  test('an event nested 20,000 deep ends no output: NDJSON passes it, pretty and --fields elide it', async () => {
    const deep = `{"message":"deep","payload":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // One deep event on one line, one over two data: lines, then an ordinary one.
      res.end(
        `id: 1\ndata: ${deep}\n\nid: 2\ndata: {"message":"two",\ndata: "payload":${deep}}\n\nid: 3\ndata: {"message":"after"}\n\n`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
    const env = { SOTAIL_API_URL: '', SOTAIL_TOKEN: '' };

    const ndjson = await runCli(['tail', '--url', url, '-o', 'ndjson', '--count', '3'], { env });
    expect(ndjson.code, ndjson.stderr).toBe(0);
    expect(parseNdjson(ndjson.stdout).map((row) => row.message)).toEqual(['deep', 'two', 'after']);
    expect(ndjson.stdout.split('\n')[0]).toBe(deep);

    const pretty = await runCli(['tail', '--url', url, '-o', 'pretty', '--count', '3'], { env });
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(pretty.stdout).toMatch(/ deep .*\[nested too deep\]/);
    expect(pretty.stdout).toMatch(/ after\n$/);

    const fields = await runCli(
      ['tail', '--url', url, '--fields', 'payload', '--count', '3', '-o', 'ndjson'],
      { env },
    );
    expect(fields.code, fields.stderr).toBe(0);
    const rows = parseNdjson(fields.stdout);
    expect(rows).toHaveLength(3);
    expect(JSON.stringify(rows[0])).toContain('"[nested too deep]"');
  });
});
