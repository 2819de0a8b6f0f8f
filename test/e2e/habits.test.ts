/**
 * Habits users bring from tail, kubectl, stern and logcli, and the promises of README
 * "Conventions": `tail -f`, `query --tail N`, `-q` on a tail, `-o` for ingest's stored entry.
 */
import { describe, expect, test } from 'vitest';
import { parseNdjson, runCli } from '../helpers/cli.js';
import { DEV_TOKEN, startTestMock } from '../helpers/mock-server.js';
import { closedPort } from '../helpers/ports.js';
import { spawnTail, untilTails } from '../helpers/tail.js';

describe('tail -f', () => {
  test.each([['-f'], ['--follow']])('%s is accepted: a tail always follows', async (flag) => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, [flag, '--count', '1']);
    await untilTails(mock);
    const [added] = mock.append({ message: 'followed' });
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(parseNdjson(result.stdout).map((event) => event.event_id)).toEqual([added!.event.event_id]);
  });
});

describe('query --tail N', () => {
  const times = ['10:00:01', '10:00:02', '10:00:03', '10:00:04', '10:00:05'];
  async function stored() {
    const mock = await startTestMock();
    const ids = mock
      .append(...times.map((time, i) => ({ message: `m${i + 1}`, ts: `2026-05-17T${time}.000Z` })))
      .map((added) => added.event.event_id);
    const env = { SOTAIL_API_URL: mock.url, SOTAIL_TOKEN: DEV_TOKEN };
    const query = (...args: string[]) => runCli(['query', '--from', '2026-05-17T00:00Z', ...args], { env });
    return { ids, query };
  }

  test('prints the newest N matching events, oldest first, in every mode', async () => {
    const { ids, query } = await stored();
    const ndjson = await query('--tail', '3');
    expect(ndjson.code, ndjson.stderr).toBe(0);
    expect(parseNdjson(ndjson.stdout).map((event) => event.event_id)).toEqual(ids.slice(2));
    // Nothing said about the older ones: the newest N is what was asked for.
    expect(ndjson.stderr).toBe('');
    const json = await query('--tail', '2', '-o', 'json');
    expect((JSON.parse(json.stdout) as { message: string }[]).map((event) => event.message)).toEqual([
      'm4',
      'm5',
    ]);
    const raw = await query('message ~ "m[1-4]"', '--tail', '2', '-o', 'raw');
    expect(raw.stdout).toBe('m3\nm4\n');
  });

  test('is a usage error with --limit, --all, --order or --follow', async () => {
    const { query } = await stored();
    for (const clash of [['--limit', '2'], ['--all'], ['--order', 'asc'], ['-f']]) {
      const result = await query('--tail', '2', ...clash);
      expect(result.code, clash.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/--tail/);
    }
  });
});

test('tail -q: no notices about reconnecting, but the error that ends it', async () => {
  const url = `http://127.0.0.1:${await closedPort()}/stream`;
  const args = ['tail', '--url', url, '--max-retries', '1'];
  const loud = await runCli(args, { env: {} });
  expect(loud.stderr).toMatch(/reconnecting/);
  const quiet = await runCli([...args, '-q'], { env: {} });
  expect(quiet.code).toBe(loud.code);
  expect(quiet.stderr).not.toMatch(/reconnecting/);
  expect(quiet.stderr).toMatch(/^sotail: .*connection refused/m);
});

test('ingest MESSAGE -o json prints the stored entry as one JSON document; bulk input refuses -o', async () => {
  const mock = await startTestMock();
  const env = { SOTAIL_API_URL: mock.url, SOTAIL_TOKEN: DEV_TOKEN };
  const one = await runCli(['ingest', 'cache warmed', '-o', 'json'], { env });
  expect(one.code, one.stderr).toBe(0);
  const stored = JSON.parse(one.stdout) as { id: string; message: string };
  expect(stored).toMatchObject({ id: expect.any(String), message: 'cache warmed' });
  expect(one.stdout).toMatch(/^\{\n {2}"/);
  const bulk = await runCli(['ingest', '-o', 'json'], { env, stdin: 'a line\n' });
  expect(bulk.code).toBe(2);
  expect(bulk.stderr).toMatch(/-o prints the stored entry of a single entry/);
});
