/**
 * `sotail tail` as a user runs it, against the mock and its faults: every test checks the exact
 * events written (by event_id), not just that something came out.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readUntil } from '../helpers/cli.js';
import { HOBBY_TOKEN, startTestMock } from '../helpers/mock-server.js';
import { appendEvents, eventIds, QUICK_RECONNECTS, spawnTail, untilTails } from '../helpers/tail.js';

describe('sotail tail under faults', () => {
  test('cuts at random byte offsets: every event once, in order', async () => {
    const mock = await startTestMock();
    mock.injectFault('cut:at=random,connections=6');
    const tail = spawnTail(mock, ['--count', '300', '-v'], { env: QUICK_RECONNECTS });
    await tail.live();
    const appended: string[] = [];
    for (let burst = 0; burst < 6; burst += 1) appended.push(...appendEvents(mock, 50, `b${burst}-`));
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(eventIds(result.stdout)).toEqual(appended);
    expect(result.stderr.match(/reconnecting/g)?.length).toBeGreaterThanOrEqual(6);
  });

  test('silence beyond --heartbeat-timeout: the connection is dropped and resumed', async () => {
    const mock = await startTestMock();
    mock.injectFault('silence:after=3');
    const tail = spawnTail(mock, ['--count', '10', '--heartbeat-timeout', '300ms', '-v'], {
      env: QUICK_RECONNECTS,
    });
    await tail.live();
    const appended = appendEvents(mock, 10);
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(eventIds(result.stdout)).toEqual(appended);
    expect(result.stderr).toMatch(/no data \(not even a heartbeat\) for 300ms: reconnecting/);
  });

  test.each([
    ['without --data (event: reset): what came after is fetched, nothing twice', false],
    ['with --data: resumed by cursor, no reset, no loss', true],
  ])('a restart %s', async (_name, keepData) => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'sotail-tail-')), 'events.ndjson');
    const mock = await startTestMock(keepData ? { dataFile } : {});
    const tail = spawnTail(mock, ['--count', '6', '-v'], { env: QUICK_RECONNECTS });
    await tail.live();
    const before = appendEvents(mock, 3, 'old');
    await readUntil(tail.child.stdout, /(?:.*\n){3}/);
    await mock.restart();
    const after = appendEvents(mock, 3, 'new');
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(eventIds(result.stdout)).toEqual([...before, ...after]);
    if (keepData) expect(result.stderr).not.toMatch(/reset/);
    else expect(result.stderr).toMatch(/the server was reset/);
  });

  test('a resume older than the replay window (event: gap) is backfilled from history', async () => {
    const mock = await startTestMock({ replayWindow: 20 });
    mock.injectFault('drop:after=2');
    const tail = spawnTail(mock, ['--count', '100', '-v'], { env: QUICK_RECONNECTS });
    await tail.live();
    const appended = appendEvents(mock, 100);
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(eventIds(result.stdout)).toEqual(appended);
    expect(result.stderr).toMatch(/could not replay from cursor \d+: fetching the hole from history/);
  });

  test('429 on a reconnect is waited out; the tail carries on', async () => {
    const mock = await startTestMock();
    mock.injectFault('drop:after=1');
    const tail = spawnTail(mock, ['--count', '5', '-v'], { env: QUICK_RECONNECTS });
    await tail.live();
    mock.injectFault('429@tail:count=2,retry-after=0');
    const appended = appendEvents(mock, 5);
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(eventIds(result.stdout)).toEqual(appended);
    expect(result.stderr).toMatch(/429 rate_limited/);
  });

  test('a revoked token ends the tail with the reason (exit 0); a new tail is refused (exit 3)', async () => {
    const mock = await startTestMock();
    const token = 'so_test_revoked_soon';
    mock.addToken({ token, scopes: ['logs:read'], tier: 'pro' });
    const tail = spawnTail(mock, [], { token });
    await untilTails(mock);
    const appended = appendEvents(mock, 2);
    await readUntil(tail.child.stdout, /(?:.*\n){2}/);
    mock.revokeToken(token);
    const result = await tail.done;
    expect(result.code).toBe(0);
    expect(eventIds(result.stdout)).toEqual(appended);
    expect(result.stderr).toMatch(/the server ended the tail: token_revoked/);
    const again = await spawnTail(mock, [], { token }).done;
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/hint: .*sotail login/);
  });

  test('the hobby plan: no retry, the plan named, exit 4', async () => {
    const mock = await startTestMock();
    const result = await spawnTail(mock, [], { token: HOBBY_TOKEN }).done;
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/hint: live tail needs the Pro plan/);
    expect(mock.snapshot().tails.metrics.opened).toBe(0);
  });

  test('the tail limit on the first connection: a clear message, exit 4', async () => {
    const mock = await startTestMock({ maxTailsPerToken: 1 });
    const first = spawnTail(mock, []);
    await untilTails(mock);
    const second = await spawnTail(mock, []).done;
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/at most 1 tails? may run at once per token/);
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(130);
  });
});

describe('sotail tail for people and scripts', () => {
  test('stdout closed early (| head -n 5): exit 0 at once, nothing on stderr', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, []);
    await untilTails(mock);
    appendEvents(mock, 50);
    await readUntil(tail.child.stdout, /(?:.*\n){5}/);
    tail.child.stdout.destroy();
    appendEvents(mock, 50);
    const result = await tail.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  test('Ctrl-C: a one-line summary on stderr, exit 130, everything received written', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, []);
    await untilTails(mock);
    const appended = appendEvents(mock, 3);
    await readUntil(tail.child.stdout, /(?:.*\n){3}/);
    tail.child.kill('SIGINT');
    const result = await tail.done;
    expect(result.code).toBe(130);
    expect(eventIds(result.stdout)).toEqual(appended);
    // One line (docs/tail.md): the summary, not the summary and then `interrupted (SIGINT)`.
    expect(result.stderr).toMatch(/^sotail: 3 events, 0 reconnects, 0 gaps backfilled in [^\n]+\n$/);
  });

  test('--timeout: exit 124 after writing everything received', async () => {
    const mock = await startTestMock();
    // The timeout counts from start-up, which alone took over a second in loaded full runs here.
    const tail = spawnTail(mock, ['--timeout', '4s']);
    await untilTails(mock);
    const appended = appendEvents(mock, 4);
    const result = await tail.done;
    expect(result.code).toBe(124);
    expect(eventIds(result.stdout)).toEqual(appended);
    expect(result.stderr).toMatch(/timed out after 4s/);
  });

  test('--since: matching history first, then live, with no gap and no overlap', async () => {
    const mock = await startTestMock();
    const old = new Date(Date.now() - 3 * 3_600_000).toISOString();
    mock.append({ message: 'too old', ts: old, level: 'error' });
    const recent = mock
      .append(
        { message: 'recent warn', level: 'warn' },
        { message: 'recent info', level: 'info' },
        { message: 'recent error', level: 'error' },
      )
      .map((a) => a.event.event_id);
    const tail = spawnTail(mock, ['severity >= warn', '--since', '1h', '--count', '4']);
    await untilTails(mock);
    const live = mock
      .append(
        { message: 'live error', level: 'error' },
        { message: 'live debug', level: 'debug' },
        { message: 'live warn', level: 'warn' },
      )
      .map((a) => a.event.event_id);
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(eventIds(result.stdout)).toEqual([recent[0], recent[2], live[0], live[2]]);
  });

  test('query -f: the matching history oldest first, then live; flags that cannot follow are refused', async () => {
    const mock = await startTestMock();
    const history = appendEvents(mock, 3, 'h');
    const tail = spawnTail(mock, ['source == api', '--since', '1h', '-f', '-v'], { command: ['query'] });
    await tail.live();
    // The history is out by the time the tail is live: two more lines are the live events.
    const live = appendEvents(mock, 2, 'l');
    await readUntil(tail.child.stdout, /(?:.*\n){2}/);
    tail.child.kill('SIGINT');
    const result = await tail.done;
    expect(result.code).toBe(130);
    expect(eventIds(result.stdout)).toEqual([...history, ...live]);
    const refused = await spawnTail(mock, ['--follow', '--limit', '5', '--order', 'asc'], {
      command: ['query'],
    }).done;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/does not take --limit, --order/);
  });

  test('-o pretty: level, source, message and payload; --fields picks fields in NDJSON', async () => {
    const mock = await startTestMock();
    // Piped, in a zone far from UTC: the one rule for times says UTC with the date (README "Output").
    const pretty = spawnTail(mock, ['-o', 'pretty', '--count', '1'], { env: { TZ: 'Asia/Tokyo' } });
    const picked = spawnTail(mock, ['--fields', 'severity,payload.user', '--count', '1']);
    await untilTails(mock, 2);
    mock.append({
      message: 'disk full',
      level: 'error',
      source: 'worker',
      meta: { user: 'ann' },
      ts: '2026-05-17T10:00:00.123Z',
    });
    const [p, f] = await Promise.all([pretty.done, picked.done]);
    // UTC times carry their Z (one time format for the whole program).
    expect(p.stdout).toBe('2026-05-17 10:00:00.123Z ERROR worker       disk full user=ann\n');
    expect(f.stdout).toBe('{"severity":"error","payload.user":"ann"}\n');
  });

  test('a GROUP BY or a bad filter is refused before connecting', async () => {
    const mock = await startTestMock();
    const grouped = await spawnTail(mock, ['severity >= warn GROUP BY source']).done;
    expect(grouped.code).toBe(2);
    expect(grouped.stderr).toMatch(/GROUP BY/);
    const bad = await spawnTail(mock, ['sevrity >= warn']).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/did you mean 'severity'/);
  });
});
