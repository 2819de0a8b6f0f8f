import { execFileSync } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, type RunOptions, runCli, spawnCli } from '../helpers/cli.js';
import { type MockProcess, startMockProcess, storedMessages } from '../helpers/mock-process.js';

let mock: MockProcess;
beforeAll(async () => {
  mock = await startMockProcess([]);
});
afterAll(async () => {
  await mock.stop();
});

const ndjson = (prefix: string, n: number): string =>
  `${Array.from({ length: n }, (_, i) => JSON.stringify({ message: `${prefix} ${i + 1}` })).join('\n')}\n`;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sotail-rerun-'));
}

async function count(prefix: string): Promise<number> {
  const response = await fetch(`${mock.url}/_mock/count`, {
    method: 'POST',
    body: JSON.stringify({ q: `message STARTSWITH "${prefix} "` }),
  });
  return ((await response.json()) as { count: number }).count;
}

function ingest(args: string[], options: RunOptions = {}) {
  const dir = tempDir();
  return runCli(['ingest', '--dead-letter', join(dir, 'dl.ndjson'), ...args], { env: mock.env, ...options });
}

describe('sotail ingest run again: nothing stored twice', () => {
  it('stdin killed with -9 part-way, then the same input piped again: every line stored exactly once', async () => {
    const input = ndjson('kill9', 100);
    const lines = input.split('\n');
    const first = spawnCli(['ingest', '--dead-letter', join(tempDir(), 'dl.ndjson')], {
      env: mock.env,
      openStdin: true,
    });
    // Half of the input, then a kill -9 while it is being sent: no summary, no clean end.
    first.stdin.write(`${lines.slice(0, 50).join('\n')}\n`);
    await expect.poll(() => count('kill9'), { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(20);
    first.kill('SIGKILL');
    await collect(first, 10_000);
    const before = await count('kill9');

    const rerun = await ingest([], { stdin: input });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain(
      `ingest: ${100 - before} stored, ${before} already stored earlier (not stored twice), 0 invalid, 0 dead-lettered — 100 lines read`,
    );
    const stored = await storedMessages(mock, 'kill9');
    expect(stored).toHaveLength(100);
    expect(new Set(stored).size).toBe(100);
  });

  it('a --file run again stores nothing, whatever spelling of its path', async () => {
    const dir = tempDir();
    const file = join(dir, 'app.log');
    writeFileSync(file, 'rerun-file starting up\nrerun-file ready\nrerun-file ready\n');
    const first = await ingest(['--file', file, '--source', 'rerun']);
    expect(first.stderr).toContain('ingest: 3 stored, 0 invalid');
    const again = await ingest(['--file', './app.log', '--source', 'rerun'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('ingest: 0 stored, 3 already stored earlier (not stored twice)');
    expect(again.stderr).toContain('add --resend');
    expect(await storedMessages(mock, 'rerun-file')).toHaveLength(3);
  });

  it('another --source, a copy elsewhere, --resend or a new prefix is another input: stored again', async () => {
    const dir = tempDir();
    const file = join(dir, 'app.log');
    writeFileSync(file, 'rerun-other starting up\nrerun-other ready\n');
    copyFileSync(file, join(dir, 'app.log.1'));
    const base = ['--file', file, '--source', 'rerun'];
    expect((await ingest(base)).stderr).toContain('ingest: 2 stored');
    const storedAgain = await Promise.all([
      ingest(['--file', file, '--source', 'rerun-2']),
      ingest(['--file', join(dir, 'app.log.1'), '--source', 'rerun']),
      ingest([...base, '--resend']),
      ingest([...base, '--idempotency-key-prefix', 'job-7-']),
    ]);
    for (const result of storedAgain) expect(result.stderr).toContain('ingest: 2 stored');
    const prefixedAgain = await ingest([...base, '--idempotency-key-prefix', 'job-7-']);
    expect(prefixedAgain.stderr).toContain('ingest: 0 stored, 2 already stored earlier');
    expect(await storedMessages(mock, 'rerun-other')).toHaveLength(10);
    // Seven CLI runs, four at once: a loaded machine needs more than the default 20 s.
  }, 60_000);

  it('stdin, `--file -` and a named pipe are the same stream: known by content alone', async () => {
    const input = ndjson('rerun-stream', 5);
    expect((await ingest([], { stdin: input })).stderr).toContain('ingest: 5 stored');
    const fifo = join(tempDir(), 'fifo');
    execFileSync('mkfifo', [fifo]);
    const [dash, named] = await Promise.all([
      ingest(['--file', '-'], { stdin: input }),
      ingest(['--file', fifo]),
      new Promise<void>((resolve, reject) =>
        createWriteStream(fifo)
          .on('error', reject)
          .end(input, () => resolve()),
      ),
    ]);
    expect(dash.stderr).toContain('ingest: 0 stored, 5 already');
    expect(named.stderr).toContain('ingest: 0 stored, 5 already');
    expect(await storedMessages(mock, 'rerun-stream')).toHaveLength(5);
  });

  it.each([
    ['plain', [], 2],
    ['keyed', ['--idempotency-key', 'deploy-42'], 1],
    ['prefixed', ['--idempotency-key-prefix', 'pipeline-9-'], 1],
  ] as const)(
    'a message argument sent twice (%s): a new entry each time, unless given a key or a prefix',
    async (name, flags, times) => {
      const message = `rerun-arg ${name}`;
      const send = () => runCli(['ingest', message, ...flags, '-v'], { env: mock.env });
      expect((await send()).code).toBe(0);
      const second = await send();
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr.includes('already stored this entry')).toBe(times === 1);
      expect((await storedMessages(mock, 'rerun-arg')).filter((m) => m === message)).toHaveLength(times);
    },
  );

  it('usage errors, before anything is sent', async () => {
    const cases: [string[], string][] = [
      [['rerun-usage', '--from-line', '3'], '--from-line applies to lines from stdin or --file'],
      [['--idempotency-key', 'k'], '--idempotency-key names the key of a single entry'],
      [['--resend', '--idempotency-key-prefix', 'p'], "option '--resend' cannot be used with option"],
      [['--idempotency-key-prefix', ' lead'], '--idempotency-key-prefix must be printable ASCII'],
      [['--from-line', '0'], '--from-line takes a whole number of at least 1'],
    ];
    const results = await Promise.all(
      cases.map(([args]) => ingest(args, { stdin: '{"message":"rerun-usage never"}\n' })),
    );
    results.forEach((result, i) => {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(cases[i]![1]);
    });
    expect(await count('rerun-usage')).toBe(0);
  });
});
