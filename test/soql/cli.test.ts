/** SOQL as the CLI presents it: carets in terminal columns, GROUP BY cuts said aloud, filters checked locally. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../src/mock/index.js';
import { parseNdjson, runCli } from '../helpers/cli.js';
import { type MockProcess, startMockProcess } from '../helpers/mock-process.js';
import { closedPort } from '../helpers/ports.js';
import { call } from '../mock/client.js';

const ACTORS = 1_723;

describe('sotail query and GROUP BY', () => {
  let mock: MockProcess;
  const query = (args: string[]) => runCli(['query', ...args], { env: mock.env });

  beforeAll(async () => {
    mock = await startMockProcess(['--rate', '0']);
    // Actor i logs i % 7 + 1 events, so counts tie often and the order still has to be stable.
    const events = Array.from({ length: ACTORS }, (_, i) =>
      Array.from({ length: (i % 7) + 1 }, () => ({ message: 'm', actor: `user:${i}`, source: 'api' })),
    ).flat();
    const server = { url: mock.url } as MockServer;
    for (let i = 0; i < events.length; i += 2_000) {
      const reply = await call(server, 'POST', '/_mock/events', {
        body: { events: events.slice(i, i + 2_000) },
      });
      expect(reply.status).toBe(200);
    }
  });
  afterAll(() => mock.stop());

  it('asks for as many groups as -n or --all say, up to the service maximum, and says when groups were cut', async () => {
    for (const args of [['-n', '1000'], ['--all'], ['-n', '5000']]) {
      const result = await query(['GROUP BY actor', '--since', '1d', ...args]);
      expect(result.code, args.join(' ')).toBe(0);
      expect(parseNdjson(result.stdout)).toHaveLength(1_000);
      expect(result.stderr).toMatch(
        /only the 1,000 largest groups shown: [\d,]+ matching events are in groups not shown; the service returns at most 1,000 groups/,
      );
    }
    const few = await query(['GROUP BY actor', '--since', '1d', '-n', '5']);
    const groups = parseNdjson(few.stdout) as { count: number }[];
    expect(groups.map((group) => group.count)).toEqual([7, 7, 7, 7, 7]);
    expect(few.stderr).toContain('only the 5 largest groups shown');
    expect(few.stderr).toContain('-n 1000 shows up to 1,000');
  });

  it('says nothing when every group is shown', async () => {
    const result = await query(['GROUP BY source', '--since', '1d', '-n', '1']);
    expect(result.code).toBe(0);
    expect(parseNdjson(result.stdout)).toEqual([{ key: { source: 'api' }, count: expect.any(Number) }]);
    expect(result.stderr).toBe('');
  });
});

describe('parse errors before any request', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    // Nothing listens: a command that tried to connect would fail with a connection error instead.
    env = { SOTAIL_API_URL: `http://127.0.0.1:${await closedPort()}`, SOTAIL_TOKEN: 'so_test_sotail_dev' };
  });

  it('puts the caret under the mistake in terminal columns after wide and combining characters', async () => {
    const result = await runCli(['query', 'message == "日本語 e\u0301😀" AND sevrity > 1'], { env });
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n');
    const at = lines.findIndex((line) => line.includes('AND sevrity'));
    // message == "日本語 é😀" AND : 12 + 6 + 1 + 1 + 2 + 1 + 5 = 28 columns before `sevrity`
    expect(lines[at + 1]).toBe(`  ${' '.repeat(28)}^`);
  });

  it('refuses GROUP BY in a tail session filter like any other invalid filter', async () => {
    const result = await runCli(
      ['sessions', 'create', '--service', 'api', '--filter', 'severity >= warn GROUP BY source'],
      { env },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("GROUP BY cannot be used in a tail session's filter");
    expect(result.stderr).toContain(`  severity >= warn GROUP BY source\n  ${' '.repeat(17)}^`);
  });
});
