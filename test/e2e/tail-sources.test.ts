/**
 * `sotail tail --session` (checkpoints across Ctrl-C and kill -9) and `--url` (the other stream
 * shapes the mock serves), against the in-process mock.
 */
import { describe, expect, test } from 'vitest';
import type { MockServer } from '../../src/mock/index.js';
import { readUntil } from '../helpers/cli.js';
import { startTestMock } from '../helpers/mock-server.js';
import { QUICK_RECONNECTS, spawnTail } from '../helpers/tail.js';
import { call } from '../mock/client.js';

async function createSession(mock: MockServer, filter: string, service: string): Promise<string> {
  const created = await call(mock, 'POST', '/api/v1/logs/tail/sessions', {
    body: { tenantId: 't', userUuid: 'u', filter, service },
  });
  expect(created.status).toBe(200);
  return created.json.id as string;
}

async function sessionCursor(mock: MockServer, id: string): Promise<string> {
  return (await call(mock, 'GET', `/api/v1/logs/tail/sessions/${id}`)).json.lastCursor as string;
}

/** Polls the session until the server holds `cursor` as its position. */
async function untilSaved(mock: MockServer, id: string, cursor: string): Promise<void> {
  let saved = '';
  const started = Date.now();
  while (saved !== cursor) {
    if (Date.now() - started > 10_000) throw new Error(`the session holds ${saved}, not ${cursor}`);
    saved = await sessionCursor(mock, id);
  }
}

function appendTo(mock: MockServer, source: string, count: number, tag: string) {
  return mock.append(
    ...Array.from({ length: count }, (_, i) => ({ message: `${tag}${i}`, level: 'error', source })),
  );
}

const messages = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => String(JSON.parse(line).message));

describe('sotail tail --session', () => {
  test('after kill -9 once a checkpoint was taken: continues with nothing lost or repeated', async () => {
    const mock = await startTestMock();
    const id = await createSession(mock, 'severity >= error', 'payments');
    const first = spawnTail(mock, ['--session', id, '--checkpoint-interval', '50ms', '-v']);
    await first.live();
    appendTo(mock, 'api', 2, 'other'); // another service: not the session's
    const seen = appendTo(mock, 'payments', 5, 'a');
    await readUntil(first.child.stdout, /(?:.*\n){5}/);
    await untilSaved(mock, id, seen.at(-1)!.cursor);
    first.child.kill('SIGKILL');
    await first.done;
    appendTo(mock, 'payments', 3, 'b');
    const second = await spawnTail(mock, ['--session', id, '--count', '3']).done;
    expect(second.code, second.stderr).toBe(0);
    expect(messages(second.stdout)).toEqual(['b0', 'b1', 'b2']);
  });

  test('Ctrl-C saves the position on the way out: sessions resume continues after it', async () => {
    const mock = await startTestMock();
    const id = await createSession(mock, '', 'worker');
    // An interval far longer than the test: only the save on exit can store the position.
    const first = spawnTail(mock, [id, '--checkpoint-interval', '1h', '-v'], {
      command: ['sessions', 'resume'],
    });
    await first.live();
    const seen = appendTo(mock, 'worker', 2, 'a');
    await readUntil(first.child.stdout, /(?:.*\n){2}/);
    first.child.kill('SIGINT');
    const ended = await first.done;
    expect(ended.code).toBe(130);
    expect(await sessionCursor(mock, id)).toBe(seen.at(-1)!.cursor);
    appendTo(mock, 'worker', 1, 'b');
    const second = await spawnTail(mock, ['--session', id, '--count', '1']).done;
    expect(messages(second.stdout)).toEqual(['b0']);
  });

  test("an unknown session: exit 1 with the API's message, before any stream", async () => {
    const mock = await startTestMock();
    const result = await spawnTail(mock, ['--session', 'ses_0000000000000000']).done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no tail session ses_0000000000000000/);
  });
});

describe('sotail tail --url', () => {
  test("the proxy-logs stream: resumes across cuts, NDJSON is the stream's own records", async () => {
    const mock = await startTestMock();
    // Each connection is cut mid-frame some ten frames in (frames are ~360 bytes; heartbeats, 3
    // bytes each, cannot fill 4,000 within the test's time). Not `at=random`, which cuts inside
    // the first batch: on a loaded machine the mock's first batch can be a single event, cut
    // before it is whole, and a stream without an event id yet and without a history API has
    // nothing to resume from: its reconnect starts at "now", after the 60 events.
    mock.injectFault('cut:at=4000,connections=3');
    const tail = spawnTail(
      mock,
      ['--url', `${mock.url}/api/proxy-logs/_logs/stream`, '--count', '60', '-v'],
      {
        env: QUICK_RECONNECTS,
      },
    );
    await tail.live();
    const appended = appendTo(mock, 'api', 60, 'p');
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    const records = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(records.map((r) => r.traceId)).toEqual(appended.map((a) => a.event.event_id));
    expect(result.stderr.match(/reconnecting/g)?.length).toBeGreaterThanOrEqual(3);
  });

  test('the audit-log stream in pretty lines: its own names mapped to time, level, source, message', async () => {
    const mock = await startTestMock();
    const url = `${mock.url}/portal/v1/accounts/sotail_dev/audit-log/identities/stream`;
    const tail = spawnTail(mock, ['--url', url, '-o', 'pretty', '--utc', '--count', '2', '-v']);
    await tail.live();
    const ts = '2026-05-17T10:00:00.123Z';
    mock.append(
      { message: 'card declined', level: 'critical', source: 'payments', ts },
      // The source column is the service that logged it, never who acted (the row's actor_label).
      { message: 'refund issued', level: 'info', source: 'billing-api', actor: 'user:alice', ts },
    );
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    const [first, second] = result.stdout.split('\n');
    // Piped: the date and the UTC time (the one rule for times, README "Output").
    expect(first).toMatch(/^2026-05-17 10:00:00\.123Z CRIT +payments +payments\.event card declined /);
    expect(second).toMatch(
      /^2026-05-17 10:00:00\.123Z INFO +billing-api +billing-api\.event refund issued .*actor_label=alice/,
    );
  });

  test('the token goes only to the API host; --header sends one elsewhere', async () => {
    const mock = await startTestMock();
    // The token is for an API elsewhere: the stream is on another origin. (Spellings of this
    // machine, localhost for 127.0.0.1, are one origin: test/e2e/messages.test.ts.)
    const elsewhere = { env: { SOTAIL_API_URL: 'https://logs.example.com' } };
    const url = `${mock.url}/api/proxy-logs/_logs/stream`;
    const refused = await spawnTail(mock, ['--url', url, '--count', '1'], elsewhere).done;
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/missing authorization token.*\(no token was sent: /);
    const tail = spawnTail(
      mock,
      ['--url', url, '--header', 'Authorization: Bearer so_test_sotail_dev', '--count', '1', '-v'],
      elsewhere,
    );
    await tail.live();
    const [appended] = appendTo(mock, 'api', 1, 'h');
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).traceId).toBe(appended!.event.event_id);
  });

  test('a response that is not an event stream fails fast with the status and a snippet', async () => {
    const mock = await startTestMock();
    const result = await spawnTail(mock, ['--url', `${mock.url}/_mock/state`]).done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/200.*(event-stream|application\/json)/s);
  });
});
