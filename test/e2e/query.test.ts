import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNdjson, REPO_ROOT, runCli } from '../helpers/cli.js';
import { type MockProcess, startMockProcess } from '../helpers/mock-process.js';
import { closedPort } from '../helpers/ports.js';

const HISTORY = 400;
let mock: MockProcess;

beforeAll(async () => {
  mock = await startMockProcess(['--history', String(HISTORY), '--rate', '0', '--seed', '7']);
});
afterAll(async () => {
  await mock.stop();
});

const query = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(['query', ...args], { env: { ...mock.env, ...env } });

describe('sotail query', () => {
  it('prints NDJSON to a pipe, newest first, limited', async () => {
    const result = await query(['--limit', '5', '--since', '30d']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const events = parseNdjson(result.stdout);
    expect(events).toHaveLength(5);
    const times = events.map((e) => String(e.ts));
    expect([...times].sort().reverse()).toEqual(times);
    for (const event of events)
      expect(event).toMatchObject({ event_id: expect.any(String), severity: expect.any(String) });
  });

  it('--all follows every page; the filter matches what GROUP BY counts', async () => {
    const all = await query(['severity >= error', '--all', '--since', '30d', '--order', 'asc']);
    expect(all.code).toBe(0);
    const events = parseNdjson(all.stdout);
    expect(events.every((e) => e.severity === 'error' || e.severity === 'critical')).toBe(true);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    const times = events.map((e) => String(e.ts));
    expect([...times].sort()).toEqual(times);

    const grouped = await query(['severity >= error GROUP BY severity', '--since', '30d']);
    expect(grouped.code).toBe(0);
    const groups = parseNdjson(grouped.stdout) as { key: { severity: string }; count: number }[];
    expect(groups.reduce((sum, g) => sum + g.count, 0)).toBe(events.length);
    const counts = groups.map((g) => g.count);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
  });

  it('-o json is one array; --fields projects', async () => {
    const result = await query([
      '--limit',
      '3',
      '--since',
      '30d',
      '-o',
      'json',
      '--fields',
      'severity,source',
    ]);
    expect(result.code).toBe(0);
    const events = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(events).toHaveLength(3);
    for (const event of events)
      expect(Object.keys(event).every((k) => k === 'severity' || k === 'source')).toBe(true);
  });

  it('pretty output is coloured only when asked (FORCE_COLOR, --color) and never with NO_COLOR', async () => {
    const forced = await query(['--limit', '3', '--since', '30d', '-o', 'pretty'], { FORCE_COLOR: '1' });
    expect(forced.stdout).toMatch(/\u001b\[/);
    const never = await query(['--limit', '3', '--since', '30d', '-o', 'pretty', '--color', 'never'], {
      FORCE_COLOR: '1',
    });
    expect(never.stdout).not.toMatch(/\u001b\[/);
    const noColor = await query(['--limit', '3', '--since', '30d', '-o', 'pretty'], { NO_COLOR: '1' });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
    expect(noColor.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('a bad query is shown with a caret and exits 2 without touching the network', async () => {
    const result = await query(['severity >= error AND sevrity == warn'], {
      SOTAIL_API_URL: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("did you mean 'severity'");
    expect(result.stderr).toContain('  severity >= error AND sevrity == warn\n                        ^');
  });

  it('--fail-on-empty exits 1 when nothing matches', async () => {
    const result = await query([
      'message == "no such message anywhere"',
      '--since',
      '30d',
      '--fail-on-empty',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no events matched');
  });

  it('exits 0 quietly when the reader closes the pipe early', async () => {
    const piped = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" bin/sotail query --all --since 30d | head -n 2 >/dev/null; echo "status=\${PIPESTATUS[0]}" >&2`,
      ],
      { cwd: REPO_ROOT, env: { ...process.env, ...mock.env }, encoding: 'utf8' },
    );
    // Nothing but the status: no EPIPE stack trace, no error line.
    expect(piped.stderr.trim()).toBe('status=0');
  });

  it('--timeout ends a query the service never answers with exit 124', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const result = await query(['--timeout', '300ms'], { SOTAIL_API_URL: `http://127.0.0.1:${port}` });
      expect(result.code).toBe(124);
      expect(result.stderr).toMatch(/timed out after 300ms/);
    } finally {
      silent.close();
    }
  });

  it('exits 5 when the service is unreachable after retries', async () => {
    const port = await closedPort();
    const result = await query([], {
      SOTAIL_API_URL: `http://127.0.0.1:${port}`,
      SOTAIL_RETRY_ATTEMPTS: '2',
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits 3 for a token the service rejects, and never prints the token', async () => {
    const result = await query([], { SOTAIL_TOKEN: 'so_test_not_a_real_token_1234' });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/login/);
    expect(result.stderr + result.stdout).not.toContain('so_test_not_a_real_token_1234');
  });
});

describe('sotail stats', () => {
  it('prints the totals as JSON to a pipe', async () => {
    const result = await runCli(['stats'], { env: mock.env });
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout) as { total: number; bySeverity: Record<string, number> };
    expect(stats.total).toBeGreaterThanOrEqual(HISTORY);
    expect(Object.values(stats.bySeverity).reduce((a, b) => a + b, 0)).toBe(stats.total);
  });
});
