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
    // One line naming the query and the window, for the CI log.
    expect(result.stderr).toContain(
      `no events matched 'message == "no such message anywhere"' in the last 30d`,
    );
    expect(result.stderr.match(/no events matched/g)).toHaveLength(1);
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

describe('sotail query: consistent flags and notices', () => {
  it('says on stderr when the default cap of 100 cut the result, also to a pipe; -q hides it', async () => {
    const capped = await query(['--since', '30d']);
    expect(capped.code).toBe(0);
    expect(parseNdjson(capped.stdout)).toHaveLength(100);
    expect(capped.stderr).toMatch(/only the first 100 events; --all or a larger --limit shows more/);
    const quiet = await query(['--since', '30d', '-q']);
    expect(quiet.stderr).toBe('');
    expect(parseNdjson(quiet.stdout)).toHaveLength(100);
    const whole = await query(['--since', '30d', '--limit', String(HISTORY * 2)]);
    expect(whole.stderr).toBe('');
  });

  it('--fields takes the SOQL names and aliases, and answers an unknown one with exit 2', async () => {
    const aliased = await query(['--since', '30d', '--limit', '3', '--fields', 'level,msg,meta.user']);
    expect(aliased.code).toBe(0);
    for (const event of parseNdjson(aliased.stdout)) {
      expect(Object.keys(event).sort()).toEqual(
        ['message', 'severity', ...('payload.user' in event ? ['payload.user'] : [])].sort(),
      );
      expect(typeof event.severity).toBe('string');
    }
    const unknown = await query(['--since', '30d', '--fields', 'sevrity']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(
      /^sotail: --fields: unknown field 'sevrity'\nhint: did you mean 'severity'\?/m,
    );
    const nosuch = await query(['--fields', 'nosuch']);
    expect(nosuch.code).toBe(2);
  });

  it('-o pretty --fields selects the fields instead of appending them', async () => {
    const result = await query(['--since', '30d', '--limit', '2', '-o', 'pretty', '--fields', 'level,msg']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatch(/^(DEBUG|INFO |NOTE |WARN |ERROR|CRIT ) \S/);
      expect(line).not.toMatch(/ts=|severity=|\d{2}:\d{2}:\d{2}/);
    }
  });

  it.each([
    [['--from', '2026-02-30'], /--from: '2026-02-30' is not a real date/],
    [['--from', '2026-02-31T00:00:00Z'], /not a real date/],
    [['--to', '2026-11-22T24:00:00Z'], /not a real date/],
    [['--since', '-1h'], /cannot be negative/],
    [['--since', '2026-02-30'], /--since: '2026-02-30' is not a real date/],
    [['--since', '1x'], /--since takes a duration such as 30s, 5m, 1h30m or 7d/],
    [['--since', '0s'], /longer than 0/],
    // Longer than a Node timer can wait: it would fire at once.
    [['--timeout', '30d'], /--timeout can be at most 24d21h/],
  ])('rejects %j with exit 2 before any request', async (args, message) => {
    const result = await query(args, { SOTAIL_API_URL: `http://127.0.0.1:${await closedPort()}` });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('the flags and SOQL read times the same way', async () => {
    const bad = await query(['ts >= 2026-02-30'], {
      SOTAIL_API_URL: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(bad.code).toBe(2);
    const flag = await query(['--from', '2020-01-01T00:00Z', '--limit', '5']);
    const soql = await query(['ts >= 2020-01-01T00:00Z', '--limit', '5']);
    expect(flag.code).toBe(0);
    expect(soql.code).toBe(0);
    expect(parseNdjson(flag.stdout)).toEqual(parseNdjson(soql.stdout));
  });

  it('--since takes a time as well as a duration, the same window as --from (one rule everywhere)', async () => {
    const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const since = await query(['--since', from, '--all', '-q']);
    expect(since.code, since.stderr).toBe(0);
    const fromFlag = await query(['--from', from, '--all', '-q']);
    expect(parseNdjson(since.stdout)).toEqual(parseNdjson(fromFlag.stdout));
    expect(parseNdjson(since.stdout).length).toBeGreaterThan(0);
    const stats = await runCli(['stats', '--since', from], { env: mock.env });
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout).total).toBe(parseNdjson(since.stdout).length);
  });

  it('durations: compound forms and bare seconds', async () => {
    const compound = await query(['--since', '1h30m', '-q']);
    expect(compound.code).toBe(0);
    // The CLI starts after this instant, so its window starts after it minus 100 s.
    const before = Date.now();
    const seconds = await query(['--since', '100', '-q']);
    expect(seconds.code).toBe(0);
    const sinceMs = before - 100_000;
    for (const event of parseNdjson(seconds.stdout))
      expect(Date.parse(String(event.ts))).toBeGreaterThanOrEqual(sinceMs);
  });

  it('-o raw prints the messages alone', async () => {
    const raw = await query(['--since', '30d', '--limit', '4', '-o', 'raw']);
    const ndjson = await query(['--since', '30d', '--limit', '4']);
    expect(raw.code).toBe(0);
    expect(raw.stdout).toBe(
      parseNdjson(ndjson.stdout)
        .map((e) => `${String(e.message)}\n`)
        .join(''),
    );
  });

  it('--no-headers prints a table without its header', async () => {
    const withHeader = await query(['--since', '30d', '--limit', '3', '-o', 'table']);
    const without = await query(['--since', '30d', '--limit', '3', '-o', 'table', '--no-headers']);
    expect(withHeader.stdout.split('\n')[0]).toMatch(/^TS\s+SEVERITY\s+SOURCE\s+MESSAGE$/);
    expect(without.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(without.stdout).not.toContain('SEVERITY');
  });

  it('a GROUP BY that matches nothing still names its group column', async () => {
    const result = await query(['source == no-such-source GROUP BY source', '-o', 'table']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('SOURCE  COUNT  SHARE\n');
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

  it('--timeout ends stats the service never answers with exit 124', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      for (const args of [['stats'], ['stats', '--since', '1h']]) {
        const result = await runCli([...args, '--timeout', '300ms'], {
          env: { ...mock.env, SOTAIL_API_URL: `http://127.0.0.1:${port}` },
        });
        expect(result.code).toBe(124);
        expect(result.stderr).toMatch(/timed out after 300ms/);
      }
    } finally {
      silent.close();
    }
  });

  it('--since counts a window through the query endpoint, in the same shape', async () => {
    const everything = JSON.parse((await runCli(['stats'], { env: mock.env })).stdout) as Record<
      string,
      unknown
    >;
    const window = await runCli(['stats', '--since', '30d'], { env: mock.env });
    expect(window.code).toBe(0);
    // Every stored event is newer than 30 days (rate 0): the window is the whole log.
    expect(JSON.parse(window.stdout)).toEqual(everything);
    const recent = await runCli(['stats', '--since', '1h', '-o', 'ndjson'], { env: mock.env });
    const stats = JSON.parse(recent.stdout) as { total: number; bySeverity: Record<string, number> };
    expect(Object.keys(stats.bySeverity)).toEqual(['debug', 'info', 'notice', 'warn', 'error', 'critical']);
    expect(stats.total).toBeLessThan(HISTORY);
    expect(Object.values(stats.bySeverity).reduce((a, b) => a + b, 0)).toBe(stats.total);
  });
});
