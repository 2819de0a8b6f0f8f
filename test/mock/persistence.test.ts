/** `--data FILE`: the log survives a restart and its cursors continue. */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { startTestMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

function dataFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'sotail-mock-')), 'log.ndjson');
}

test('events are written as NDJSON with their seq and reloaded at start', async () => {
  const file = dataFile();
  const first = await startTestMock({ dataFile: file, history: 20 });
  const [marked] = first.append({ message: 'keep me', level: 'error', meta: { n: 1 } });
  await first.close();
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(21);
  expect(JSON.parse(lines[20]!)).toMatchObject({
    seq: Number(marked!.cursor),
    message: 'keep me',
    payload: { n: 1 },
  });

  const second = await startTestMock({ dataFile: file, history: 20 });
  // Reloaded as it was: no new history on top, same incarnation, the same head.
  expect(second.snapshot()).toMatchObject({ events: 21, head: marked!.cursor });
  const { json } = await call(second, 'POST', '/query', { body: { limit: 1 } });
  expect(json.events[0]).toMatchObject({ event_id: marked!.event.event_id, message: 'keep me' });
  const [next] = second.append({ message: 'after restart' });
  expect(Number(next!.cursor)).toBe(Number(marked!.cursor) + 1);
});

test('a Last-Event-ID from before a persisted restart resumes instead of resetting', async () => {
  const file = dataFile();
  const first = await startTestMock({ dataFile: file });
  const [a] = first.append({ message: 'a' }, { message: 'b' });
  await first.close();
  const second = await startTestMock({ dataFile: file, port: 0 });
  const tail = await SseReader.open(second, { q: '' }, { lastEventId: a!.cursor });
  await tail.until((t) => t.events.length === 1);
  expect(tail.events[0].message).toBe('b');
  expect(tail.frames.some((frame) => frame.event === 'reset')).toBe(false);
  tail.close();
});

test('restart() with --data keeps the log; without it starts a new incarnation', async () => {
  const persisted = await startTestMock({ dataFile: dataFile() });
  persisted.append({ message: 'x' });
  const before = persisted.snapshot().incarnation;
  await persisted.restart();
  expect(persisted.snapshot()).toMatchObject({ incarnation: before, events: 1 });
  const volatile = await startTestMock({ history: 5 });
  const old = volatile.snapshot().incarnation;
  await volatile.restart();
  expect(volatile.snapshot().incarnation).not.toBe(old);
  expect(volatile.snapshot().events).toBe(5);
});

test('a torn last line is skipped, and the next event starts on a line of its own', async () => {
  const file = dataFile();
  const first = await startTestMock({ dataFile: file });
  first.append({ message: 'whole' });
  await first.close();
  appendFileSync(file, '{"seq":99,"message":"torn');
  const lines: string[] = [];
  const second = await startTestMock({ dataFile: file, log: (line) => lines.push(line) });
  expect(lines).toContain('data file: skipped 1 unreadable line(s)');
  second.append({ message: 'next' });
  await second.close();
  const content = readFileSync(file, 'utf8').split('\n');
  expect(JSON.parse(content.at(-2)!).message).toBe('next');
});

test('an empty data file starts a fresh log', async () => {
  const file = dataFile();
  writeFileSync(file, '');
  const server = await startTestMock({ dataFile: file });
  expect(server.snapshot().events).toBe(0);
});
