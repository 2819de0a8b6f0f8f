/**
 * `sotail tail --tail N` as a user runs it: the newest N matching events first (in time order),
 * then live from exactly after them: none missing at the seam, none twice.
 */
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DEV_TOKEN, startTestMock } from '../helpers/mock-server.js';
import { appendEvents, eventIds, spawnTail } from '../helpers/tail.js';

describe('sotail tail --tail N', () => {
  test('to a pipe: the newest N matching events, then the live ones, each once', async () => {
    const mock = await startTestMock();
    const before: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const [warn] = mock.append({ message: `w${i}`, level: 'warn' }, { message: `i${i}`, level: 'info' });
      before.push(warn!.event.event_id);
    }
    const tail = spawnTail(mock, ['severity >= warn', '--tail', '5', '--count', '8', '-v']);
    await tail.live();
    const live = mock
      .append(...Array.from({ length: 6 }, (_, i) => ({ message: `l${i}`, level: i % 2 ? 'info' : 'error' })))
      .filter((_, i) => i % 2 === 0)
      .map((added) => added.event.event_id);
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(eventIds(result.stdout)).toEqual([...before.slice(-5), ...live]);
  });

  test('more than match: all of them; --tail 0: none, as without it', async () => {
    const mock = await startTestMock();
    const before = appendEvents(mock, 3, 'old');
    const all = spawnTail(mock, ['--tail', '100', '--count', '4', '-v']);
    await all.live();
    const [next] = appendEvents(mock, 1, 'new');
    const result = await all.done;
    expect(result.code, result.stderr).toBe(0);
    expect(eventIds(result.stdout)).toEqual([...before, next]);
    const none = spawnTail(mock, ['--tail', '0', '--count', '1', '-v']);
    await none.live();
    const [only] = appendEvents(mock, 1, 'only');
    expect(eventIds((await none.done).stdout)).toEqual([only]);
  });

  test('refused where there is no history to show, or a bad number (exit 2)', async () => {
    const env = { SOTAIL_API_URL: 'http://127.0.0.1:9', SOTAIL_TOKEN: DEV_TOKEN };
    const url = await runCli(['tail', '--url', 'http://127.0.0.1:9/stream', '--tail', '5'], { env });
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/--tail needs the history of the API/);
    const session = await runCli(['tail', '--session', 'ses_3f9a0c1d2e4b5a69', '--tail', '5'], { env });
    expect(session.code).toBe(2);
    expect(session.stderr).toMatch(/--tail works with a filter, not with --session/);
    const bad = await runCli(['tail', '--tail', '-1'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tail/);
  });
});
