/**
 * `sotail sessions resume` of a session whose cursor the service never issued (`sessions create
 * --from-cursor`, the `--help` example): reset once, said once, and from then on the session runs
 * from now (docs/api.md "Tail sessions").
 */
import { expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DEV_TOKEN, startTestMock } from '../helpers/mock-server.js';
import { eventIds, spawnTail, untilTails } from '../helpers/tail.js';

test('a session from a cursor the service never issued: one warning naming it, then live from now', async () => {
  const mock = await startTestMock();
  const env = { SOTAIL_API_URL: mock.url, SOTAIL_TOKEN: DEV_TOKEN };
  const created = await runCli(
    ['sessions', 'create', '--service', 'api', '--filter', '', '--from-cursor', '1234', '-o', 'json'],
    { env },
  );
  expect(created.code, created.stderr).toBe(0);
  const { id } = JSON.parse(created.stdout) as { id: string };
  const tail = spawnTail(mock, [id, '--count', '1'], { command: ['sessions', 'resume'] });
  await untilTails(mock);
  const [added] = mock.append({ message: 'after the reset', source: 'api' });
  const result = await tail.done;
  expect(result.code, result.stderr).toBe(0);
  expect(eventIds(result.stdout)).toEqual([added!.event.event_id]);
  expect(result.stderr.match(/does not know cursor 1234/g)).toHaveLength(1);
  expect(result.stderr.match(/reset/g)).toHaveLength(1);
});
