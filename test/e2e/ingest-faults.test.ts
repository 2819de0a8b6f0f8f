import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, runCli, spawnCli } from '../helpers/cli.js';
import { type MockProcess, startMockProcess } from '../helpers/mock-process.js';
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

async function storedMessages(m: MockProcess, prefix: string): Promise<string[]> {
  const result = await runCli(['query', `message STARTSWITH "${prefix}"`, '--all', '--since', '1d'], {
    env: m.env,
  });
  expect(result.code).toBe(0);
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => String((JSON.parse(line) as { message: string }).message));
}

describe('sotail ingest under faults', () => {
  it('retries 503s and 429s; entries hit by a 500 after being stored are dead-lettered and re-ingest without duplicates', async () => {
    mock = await startMockProcess([
      '--fault',
      '503@ingest:rate=0.2,retry-after=0',
      '--fault',
      '429@ingest:rate=0.1,retry-after=0',
      '--fault',
      '500@ingest:rate=0.05,stored=true',
      '--seed',
      '3',
    ]);
    const deadLetter = deadLetterPath();
    const env = { ...mock.env, SOTAIL_RETRY_ATTEMPTS: '12' };
    const first = await runCli(['ingest', '--concurrency', '8', '--dead-letter', deadLetter], {
      env,
      stdin: lines('flaky', 300),
    });
    // A 500 is not retried (it is a service bug, not a transient state); its entries are kept.
    expect(first.code).toBe(1);
    const dead = readFileSync(deadLetter, 'utf8').trim().split('\n');
    expect(dead.length).toBeGreaterThan(0);
    expect(first.stderr).toContain(`${300 - dead.length} stored`);

    await fetch(`${mock.url}/_mock/faults`, { method: 'DELETE' });
    const again = await runCli(['ingest', '--file', deadLetter], { env });
    expect(again.code).toBe(0);
    // Those entries had reached the store before the 500: the service replays them, it does not store them twice.
    expect(again.stderr).toContain(`${dead.length} stored, ${dead.length} already stored (replayed)`);
    const messages = await storedMessages(mock, 'flaky');
    expect(messages).toHaveLength(300);
    expect(new Set(messages).size).toBe(300);
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
    const live = spawnCli(['ingest', '--dead-letter', deadLetterPath()], { env: mock.env, openStdin: true });
    live.stdin.write(lines('interrupted', 10));
    const m = mock;
    await expect
      .poll(async () => (await storedMessages(m, 'interrupted')).length, { timeout: 10_000, interval: 50 })
      .toBe(10);
    live.kill('SIGINT');
    const result = await collect(live, 10_000);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('10 stored');
    expect(result.stderr).toMatch(/stopped after input line 10: interrupted/);
  });
});
