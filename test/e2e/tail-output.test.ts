/**
 * The tail's output modes, from the one list query has too (output/event-output.ts): each mode
 * against a live stream, to a pipe, ended by `--count`.
 */
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestMock } from '../helpers/mock-server.js';
import { spawnTail } from '../helpers/tail.js';

const ts = '2026-05-17T10:00:00.123Z';

describe('sotail tail -o MODE', () => {
  test('raw: the message alone, verbatim to a pipe', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, ['-o', 'raw', '--count', '2', '-v']);
    await tail.live();
    mock.append({ message: 'first \u001b[31mred', source: 'api', ts }, { message: 'second', ts });
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('first \u001b[31mred\nsecond\n');
  });

  test('json: one array of the events, closed when --count ends the tail', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, ['-o', 'json', '--count', '2', '-v']);
    await tail.live();
    const appended = mock.append({ message: 'a', ts }, { message: 'b', ts });
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    const array = JSON.parse(result.stdout) as { event_id: string }[];
    expect(array.map((event) => event.event_id)).toEqual(appended.map((added) => added.event.event_id));
  });

  test('table: the header and a row per event as they come', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, ['-o', 'table', '--utc', '--count', '2', '-v']);
    await tail.live();
    mock.append({ message: 'a', source: 'api', level: 'warn', ts }, { message: 'b', source: 'web', ts });
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TS +SEVERITY +SOURCE +MESSAGE$/);
    // Piped: the date too (the one rule for times, README "Output").
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^2026-05-17 10:00:00\.123Z +warn +api +a$/),
      expect.stringMatching(/^2026-05-17 10:00:00\.123Z +info +web +b$/),
    ]);
  });

  test('--fields with -o raw is a usage error, as for query', async () => {
    for (const command of [['tail'], ['query']]) {
      const result = await runCli([...command, '-o', 'raw', '--fields', 'ts'], {
        env: { SOTAIL_API_URL: 'http://127.0.0.1:9', SOTAIL_TOKEN: 'so_test_sotail_dev' },
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--fields cannot be used with -o raw/);
    }
  });
});
