import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cliEnv, collect, runCli, spawnCli } from '../helpers/cli.js';
import { type MockProcess, startMockProcess, storedMessages } from '../helpers/mock-process.js';
import { closedPort } from '../helpers/ports.js';

let mock: MockProcess | undefined;
afterEach(async () => {
  await mock?.stop();
  mock = undefined;
});

const lines = (prefix: string, n: number): string =>
  `${Array.from({ length: n }, (_, i) => JSON.stringify({ level: 'info', message: `${prefix} ${i}` })).join('\n')}\n`;

function deadLetterPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'sotail-dl-')), 'dead.ndjson');
}

describe('sotail ingest under faults', () => {
  it('retries 503s, 429s and 500s (the Idempotency-Key makes it safe): all stored once, nothing dead-lettered', async () => {
    mock = await startMockProcess([
      '--fault',
      '503@ingest:rate=0.2,retry-after=0',
      '--fault',
      '429@ingest:rate=0.1,retry-after=0',
      '--fault',
      '500@ingest:rate=0.1,stored=true',
      '--seed',
      '3',
    ]);
    const deadLetter = deadLetterPath();
    const env = { ...mock.env, SOTAIL_RETRY_ATTEMPTS: '12' };
    const result = await runCli(['ingest', '--concurrency', '8', '--dead-letter', deadLetter], {
      env,
      stdin: lines('flaky', 300),
    });
    expect(result.code).toBe(0);
    expect(existsSync(deadLetter)).toBe(false);
    // A 500 after storing is retried and answered as a replay: counted apart, so the buckets add up to 300.
    const summary =
      /ingest: (\d+) stored, (\d+) already stored earlier \(not stored twice\), 0 invalid, 0 dead-lettered — 300 lines read/.exec(
        result.stderr,
      );
    expect(summary, result.stderr).not.toBeNull();
    expect(Number(summary![1]) + Number(summary![2])).toBe(300);
    expect(Number(summary![2])).toBeGreaterThan(0);
    const messages = await storedMessages(mock, 'flaky');
    expect(messages).toHaveLength(300);
    expect(new Set(messages).size).toBe(300);
  });

  it('a 500 that outlasts the retries is dead-lettered; the replay reads as already stored, never twice', async () => {
    mock = await startMockProcess(['--fault', '500@ingest:count=all,stored=true']);
    const deadLetter = deadLetterPath();
    const env = { ...mock.env, SOTAIL_RETRY_ATTEMPTS: '3' };
    const first = await runCli(['ingest', '--dead-letter', deadLetter], { env, stdin: lines('stubborn', 5) });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('ingest: 0 stored, 0 invalid, 5 dead-lettered — 5 lines read');
    expect(readFileSync(deadLetter, 'utf8').trim().split('\n')).toHaveLength(5);

    await fetch(`${mock.url}/_mock/faults`, { method: 'DELETE' });
    const again = await runCli(['ingest', '--file', deadLetter], { env });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(
      'ingest: 0 stored, 5 already stored earlier (not stored twice), 0 invalid, 0 dead-lettered — 5 lines read',
    );
    expect(await storedMessages(mock, 'stubborn')).toHaveLength(5);
  });

  it('a cumulative quota stops sending at once; the rest is dead-lettered; exit 4', async () => {
    mock = await startMockProcess(['--quota-events', '5']);
    const deadLetter = deadLetterPath();
    const result = await runCli(['ingest', '--concurrency', '1', '--dead-letter', deadLetter], {
      env: mock.env,
      stdin: lines('quota', 12),
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('5 stored');
    expect(result.stderr).toContain('7 dead-lettered');
    expect(result.stderr).toMatch(/quota/);
    const dead = readFileSync(deadLetter, 'utf8').trim().split('\n');
    expect(dead).toHaveLength(7);
    expect(await storedMessages(mock, 'quota')).toHaveLength(5);
  });

  it('an unreachable service: every entry dead-lettered, exit 5', async () => {
    const deadLetter = deadLetterPath();
    const result = await runCli(['ingest', '--dead-letter', deadLetter], {
      env: {
        SOTAIL_API_URL: `http://127.0.0.1:${await closedPort()}`,
        SOTAIL_TOKEN: 'so_test_sotail_dev',
        SOTAIL_RETRY_ATTEMPTS: '2',
        SOTAIL_RETRY_BASE_MS: '1',
      },
      stdin: lines('offline', 4),
    });
    expect(result.code).toBe(5);
    expect(readFileSync(deadLetter, 'utf8').trim().split('\n')).toHaveLength(4);
    expect(result.stderr).toContain(`retry them with: sotail ingest --file ${deadLetter}`);
  });

  it('Ctrl-C mid-run: what was read is stored or dead-lettered, the summary says how far it got, exit 130', async () => {
    mock = await startMockProcess([]);
    const deadLetter = deadLetterPath();
    const live = spawnCli(['ingest', '--dead-letter', deadLetter], { env: mock.env, openStdin: true });
    live.stdin.write(lines('interrupted', 10));
    const m = mock;
    await expect
      .poll(async () => (await storedMessages(m, 'interrupted')).length, { timeout: 10_000, interval: 50 })
      .toBe(10);
    live.kill('SIGINT');
    const result = await collect(live, 10_000);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('10 stored, 0 invalid, 0 dead-lettered');
    expect(result.stderr).toMatch(/stopped after input line 10: interrupted/);
    // Nothing was dead-lettered, so no (empty) dead-letter file was left behind.
    expect(existsSync(deadLetter)).toBe(false);
  });

  it('the dead-letter file hits a file size limit mid-line: reading stops, the file stays whole, exit 74, and the resume stores every line once', async () => {
    mock = await startMockProcess(['--fault', '503@ingest:rate=0.5,retry-after=0', '--seed', '5']);
    const dir = mkdtempSync(join(tmpdir(), 'sotail-full-'));
    const input = join(dir, 'in.ndjson');
    writeFileSync(input, lines('full', 300));
    const deadLetter = join(dir, 'dead.ndjson');
    const env = { ...mock.env, SOTAIL_RETRY_ATTEMPTS: '1' };
    // `ulimit -f` (512-byte blocks in sh): the kernel refuses writes past 4 KiB with EFBIG, cutting the
    // write that crosses it short, as a full disk does, with no root needed. Node ignores SIGXFSZ.
    const limited = spawn(
      '/bin/sh',
      [
        '-c',
        'ulimit -f 8 && exec "$@"',
        'sh',
        process.execPath,
        BIN,
        'ingest',
        '--file',
        input,
        '--dead-letter',
        deadLetter,
      ],
      { cwd: dir, env: cliEnv(env), stdio: 'pipe' },
    );
    limited.stdin.end();
    const first = await collect(limited, 30_000);
    expect(first.code, first.stderr).toBe(74);
    expect(first.stderr).not.toMatch(/unexpected error|EFBIG|at async/);
    const counts =
      /ingest: (\d+) stored, (\d+) invalid, (\d+) dead-lettered, (\d+) not handled — (\d+) lines read/.exec(
        first.stderr,
      );
    expect(counts, first.stderr).not.toBeNull();
    const [stored, invalid, dead, notHandled, read] = counts!.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    expect(stored + invalid + dead + notHandled).toBe(read);
    expect(read).toBeLessThan(300);
    expect(first.stderr).toContain(`cannot write the dead-letter file ${deadLetter}: file too large`);
    // Whole lines only: every one parses and carries its key.
    const letters = readFileSync(deadLetter, 'utf8');
    expect(letters.endsWith('\n')).toBe(true);
    const parsed = letters
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed).toHaveLength(dead);
    for (const letter of parsed) expect(letter._idempotency_key).toEqual(expect.any(String));
    const from = Number(/first line not yet handled: ([\d,]+)/.exec(first.stderr)![1]!.replace(/,/g, ''));
    expect(first.stderr).toContain(`run the same command with --from-line ${from}`);

    // Space freed and the service well: the dead letters, then the rest from the line it named.
    await fetch(`${mock.url}/_mock/faults`, { method: 'DELETE' });
    const letterRun = await runCli(['ingest', '--file', deadLetter], { env, cwd: dir });
    expect(letterRun.code, letterRun.stderr).toBe(0);
    const resumed = await runCli(['ingest', '--file', input, '--from-line', String(from)], { env, cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`${from - 1} skipped (before --from-line)`);
    const messages = await storedMessages(mock, 'full');
    expect(messages).toHaveLength(300);
    expect(new Set(messages).size).toBe(300);
    // Three ingest runs and a query after the mock: a loaded machine needs more than the default.
  }, 60_000);
});
