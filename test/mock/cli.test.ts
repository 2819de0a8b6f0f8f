/** `sotail mock` as a user runs it: the built bin, one listening line, a clean exit on SIGTERM. */
import { expect, test } from 'vitest';
import { collect, readUntil, runCli, spawnCli } from '../helpers/cli.js';

test('prints one listening line, serves, and exits 0 on SIGTERM', async () => {
  const child = spawnCli([
    'mock',
    '--port',
    '0',
    '--rate',
    '200',
    '--history',
    '100',
    '--token',
    'so_test_ci:logs:read:hobby',
  ]);
  const done = collect(child, 15_000, ['mock']);
  const line = await readUntil(child.stdout, /listening on http:\/\/127\.0\.0\.1:\d+\n/);
  const url = /(http:\/\/\S+)/.exec(line)![1]!;
  const whoami = await fetch(`${url}/auth/whoami`, { headers: { authorization: 'Bearer so_test_ci' } });
  expect(await whoami.json()).toMatchObject({ scopes: ['logs:read'], tier: 'hobby' });
  const stats = await fetch(`${url}/logs/stats`, { headers: { authorization: 'Bearer so_test_sotail_dev' } });
  expect(((await stats.json()) as { total: number }).total).toBeGreaterThanOrEqual(100);
  child.kill('SIGTERM');
  const result = await done;
  expect(result.code).toBe(0);
  expect(result.stdout).toBe(`sotail mock listening on ${url}\n`);
  // The start-up notice names the dev token and how to log in with it (stderr, silenced by -q).
  expect(result.stderr).toBe(
    `dev token: so_test_sotail_dev (all log scopes); log in with: echo so_test_sotail_dev | sotail login --api-url ${url} --token-stdin\n`,
  );
});

test('-q keeps the start-up notice off stderr', async () => {
  const child = spawnCli(['mock', '--port', '0', '-q']);
  const done = collect(child, 15_000, ['mock', '-q']);
  await readUntil(child.stdout, /listening on http:\/\/127\.0\.0\.1:\d+\n/);
  child.kill('SIGTERM');
  const result = await done;
  expect(result.code).toBe(0);
  expect(result.stderr).toBe('');
});

test.each([
  [['--heartbeat', 'soon'], /--heartbeat takes a duration/],
  [['--port', '70000'], /--port takes a whole number from 0 to 65535/],
  [['--fault', 'explode'], /unknown fault kind "explode"/],
  [['--token', 'so_test_x:logs:read:platinum'], /"logs:read:platinum" is not a scope/],
])('bad flags %j exit 2 with a clear message', async (args, message) => {
  const result = await runCli(['mock', '--port', '0', ...args]);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stdout).toBe('');
});

test('--history beyond what --retain keeps is a usage error, not a long freeze at start', async () => {
  const result = await runCli(['mock', '--port', '0', '--history', '1000000000000', '--retain', '1000']);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(
    /--history 1000000000000 is more than the 1000 events the mock keeps in memory/,
  );
  expect(result.stderr).toMatch(/lower --history, or raise --retain/);
});
