/**
 * Several streams in one tail, as a user runs it: the API's own tail and the mock's other streams
 * merged into one output, each event labelled with its stream, each stream failing or going on by
 * itself, `--count` and `--timeout` across them all.
 */
import { describe, expect, test } from 'vitest';
import { parseNdjson, readUntil, runCli } from '../helpers/cli.js';
import { DEV_TOKEN, startTestMock } from '../helpers/mock-server.js';
import { spawnTail, untilTails } from '../helpers/tail.js';

const PROXY = '/api/proxy-logs/_logs/stream';

/** The ids of each stream's events, in the order written: an API event's `event_id`, a proxy entry's `traceId`. */
function byStream(stdout: string): Record<string, string[]> {
  const streams: Record<string, string[]> = {};
  for (const event of parseNdjson(stdout)) {
    const label = String(event._stream);
    streams[label] = [...(streams[label] ?? []), String(event.event_id ?? event.traceId)];
  }
  return streams;
}

describe('sotail tail with several streams', () => {
  test('the API tail and two --url streams: every event of each once, labelled, --count across all', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, [
      '--api',
      '--url',
      `all=${mock.url}${PROXY}`,
      '--url',
      `${mock.url}${PROXY}?level=error`,
      '--count',
      '5',
      '-v',
    ]);
    await untilTails(mock, 3);
    const appended = mock.append({ message: 'one', level: 'info' }, { message: 'two', level: 'error' });
    const ids = appended.map((added) => added.event.event_id);
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(byStream(result.stdout)).toEqual({ api: ids, all: ids, 'proxy-logs': [ids[1]] });
    // Each stream says its own state, named.
    expect(result.stderr).toMatch(/^sotail: all: live: /m);
    expect(result.stderr).toMatch(/^sotail: proxy-logs: live: /m);
  });

  test('one stream out of reach: the others go on; --timeout says which was not there (exit 5)', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(
      mock,
      [
        '--url',
        `good=${mock.url}${PROXY}`,
        '--url',
        'down=http://127.0.0.1:9/stream',
        '--timeout',
        '4s',
        '-v',
      ],
      { env: { SOTAIL_RETRY_MAX_MS: '200' } },
    );
    await untilTails(mock, 1);
    const [added] = mock.append({ message: 'still flowing' });
    await readUntil(tail.child.stdout, /still flowing/);
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(5);
    expect(byStream(result.stdout)).toEqual({ good: [added!.event.event_id] });
    expect(result.stderr).toMatch(/^sotail: down: .*reconnecting/m);
    expect(result.stderr).not.toMatch(/^sotail: good: .*reconnecting/m);
    // The summary counts per stream.
    expect(result.stderr).toMatch(/^sotail: 1 event, .* from 2 streams:$/m);
    expect(result.stderr).toMatch(/^ {2}good: 1 event, 0 reconnects, 0 gaps backfilled; connected$/m);
    expect(result.stderr).toMatch(
      /^ {2}down: 0 events, \d+ reconnects?, 0 gaps backfilled; never connected/m,
    );
    expect(result.stderr).toMatch(/without ever reaching the service|out of reach/);
  });

  test('a stream refused for good is said once, and the others go on', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, [
      '--url',
      `${mock.url}${PROXY}`,
      '--url',
      `refused=${mock.url}${PROXY}?level=loud`,
      '--count',
      '1',
    ]);
    await readUntil(
      tail.child.stderr,
      /^sotail: refused: warning: this stream stopped \(the others go on\): /m,
    );
    await untilTails(mock, 1);
    const [added] = mock.append({ message: 'after the refusal' });
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(byStream(result.stdout)).toEqual({ 'proxy-logs': [added!.event.event_id] });
    expect(result.stderr.match(/this stream stopped/g)).toHaveLength(1);
  });

  test('pretty lines start with the stream name, in a column', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, [
      '--api',
      '--url',
      `proxy=${mock.url}${PROXY}`,
      '-o',
      'pretty',
      '--count',
      '2',
      '--utc',
    ]);
    await untilTails(mock, 2);
    mock.append({ message: 'hello both', source: 'web' });
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').sort();
    expect(lines).toHaveLength(2);
    // Piped: the date and the UTC time (the one rule for times, README "Output").
    expect(lines[0]).toMatch(/^api {3}\S+ \S+Z INFO\s+web\s+hello both/);
    expect(lines[1]).toMatch(/^proxy \S+ \S+Z INFO\s+web\s+hello both/);
    expect(result.stdout).not.toMatch(/_stream=/);
  });

  test('names that clash or are not names are usage errors (exit 2)', async () => {
    const env = { SOTAIL_API_URL: 'http://127.0.0.1:9', SOTAIL_TOKEN: DEV_TOKEN };
    const twice = await runCli(
      ['tail', '--url', 'a=http://127.0.0.1:9/x', '--url', 'a=http://127.0.0.1:9/y'],
      { env },
    );
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--url a=… is given twice/);
    const api = await runCli(['tail', '--api', '--url', 'api=http://127.0.0.1:9/x'], { env });
    expect(api.code).toBe(2);
    expect(api.stderr).toMatch(/'api' is the name of the API's own tail/);
    const bad = await runCli(['tail', '--url', 'a=/relative', '--url', 'http://127.0.0.1:9/y'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--url/);
  });
});
