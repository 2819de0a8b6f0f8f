/**
 * `sotail tail QUERY --url …` as a user runs it: the stream cannot filter, so sotail applies the
 * query to each event, over the common fields every stream shares (docs/tail.md), in a pipe and in
 * pretty lines; a mistake in the query is exit 2 before anything is sent.
 */
import { describe, expect, test } from 'vitest';
import { parseNdjson, readUntil } from '../helpers/cli.js';
import { startTestMock } from '../helpers/mock-server.js';
import { spawnTail, untilTails } from '../helpers/tail.js';

const PROXY = '/api/proxy-logs/_logs/stream';
const AUDIT = '/portal/v1/accounts/sotail_dev/audit-log/identities/stream';

describe('a SOQL filter on a --url stream', () => {
  test('only the matching events, in order, as the stream sent them; --count counts those', async () => {
    const mock = await startTestMock();
    // The proxy stream says `level` and `serviceName`: the filter's `severity` and `source` read them.
    const tail = spawnTail(mock, [
      'severity >= warn AND source == pay',
      '--url',
      `${mock.url}${PROXY}`,
      '--count',
      '2',
    ]);
    await untilTails(mock);
    const appended = mock.append(
      { message: 'quiet', severity: 'info', source: 'pay' },
      { message: 'elsewhere', severity: 'error', source: 'web' },
      { message: 'slow bank', severity: 'warn', source: 'pay' },
      { message: 'debug noise', severity: 'debug', source: 'pay' },
      { message: 'declined', severity: 'critical', source: 'pay' },
      { message: 'after the count', severity: 'error', source: 'pay' },
    );
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    const entries = parseNdjson(result.stdout);
    expect(entries.map((entry) => entry.traceId)).toEqual([
      appended[2]!.event.event_id,
      appended[4]!.event.event_id,
    ]);
    // NDJSON is each entry as the stream sent it, not the common fields the filter read.
    expect(entries[0]).toMatchObject({ level: 'warn', serviceName: 'pay', data: { message: 'slow bank' } });
  });

  /** `tail QUERY --url PATH --count 1 -o pretty` while `events` are appended: its result. */
  async function firstPrettyMatch(query: string, path: string, ...events: Record<string, unknown>[]) {
    const mock = await startTestMock();
    const tail = spawnTail(mock, [query, '--url', `${mock.url}${path}`, '--count', '1', '-o', 'pretty']);
    await untilTails(mock);
    mock.append(...events);
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  }

  test('payload paths reach what else the stream sent; pretty lines show the matches', async () => {
    const stdout = await firstPrettyMatch(
      'payload.kind == response AND payload.status >= 500',
      PROXY,
      { message: 'GET /ok', source: 'api', payload: { method: 'GET', path: '/ok', status: 200 } },
      { message: 'no request', source: 'api', payload: { status: 503 } },
      { message: 'GET /boom', source: 'api', payload: { method: 'GET', path: '/boom', status: 502 } },
    );
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ api +GET \/boom\b/);
  });

  test('pretty lines of the audit-log stream: the source column is the service, never who acted', async () => {
    const stdout = await firstPrettyMatch(
      'source == billing',
      AUDIT,
      { message: 'not this one', source: 'web', actor: 'billing' },
      { message: 'card updated', source: 'billing', actor: 'alice', severity: 'warn' },
    );
    // time (date and time, UTC in a pipe), severity, source, message: the actor is in the payload.
    expect(stdout).toMatch(/^\d{4}-\d\d-\d\d \S+Z WARN +billing +\S+ card updated\b/);
  });

  test('Ctrl-C: the summary counts what the filter left out', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, ['message ~ "keep"', '--url', `${mock.url}${AUDIT}`]);
    await untilTails(mock);
    mock.append({ message: 'drop 1' }, { message: 'drop 2' }, { message: 'keep' });
    await readUntil(tail.child.stdout, /\n/);
    tail.child.kill('SIGINT');
    const result = await tail.done;
    expect(result.code).toBe(130);
    expect(parseNdjson(result.stdout)).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^sotail: 1 event, 0 reconnects, 0 gaps backfilled, 2 events filtered out in /m,
    );
  });

  test.each([
    ['a misspelt field', 'sevrity >= warn', /did you mean 'severity'/],
    ['GROUP BY', 'severity >= warn GROUP BY source', /GROUP BY cannot be used in a tail/],
  ])('%s is exit 2 before the stream is opened', async (_what, query, message) => {
    const mock = await startTestMock();
    const result = await spawnTail(mock, [query, '--url', `${mock.url}${PROXY}`]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(mock.snapshot().tails.metrics.opened).toBe(0);
  });
});
