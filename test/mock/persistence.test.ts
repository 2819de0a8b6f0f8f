/** `--data FILE`: the log survives a restart and its cursors continue. */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { expect, test } from 'vitest';
import { startMockProcess } from '../helpers/mock-process.js';
import { DEV_TOKEN, startTestMock } from '../helpers/mock-server.js';
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

test('a torn last line is cut off at start, said on the warning channel, and the next event starts on a line of its own', async () => {
  const file = dataFile();
  const first = await startTestMock({ dataFile: file });
  first.append({ message: 'whole' });
  await first.close();
  const whole = readFileSync(file, 'utf8');
  appendFileSync(file, '{"seq":99,"message":"torn');
  const warnings: string[] = [];
  const second = await startTestMock({ dataFile: file, warn: (line) => warnings.push(line) });
  expect(warnings).toEqual([
    'data file: removed an unfinished last line (25 bytes) left by an interrupted write; it had not been acknowledged',
  ]);
  expect(readFileSync(file, 'utf8')).toBe(whole);
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

test('an ingested event is in the data file by the time its 201 arrives', async () => {
  const file = dataFile();
  const server = await startTestMock({ dataFile: file });
  for (let i = 0; i < 3; i++) {
    const stored = await call(server, 'POST', '/logs', { body: { message: `acknowledged ${i}` } });
    expect(stored.status).toBe(201);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      event_id: stored.json.id,
      message: `acknowledged ${i}`,
    });
  }
  const admin = await call(server, 'POST', '/_mock/events', { token: null, body: { message: 'by admin' } });
  expect(readFileSync(file, 'utf8')).toContain(admin.json.events[0].event_id);
});

test('an unreadable line in the middle costs only itself: later events keep their cursors', async () => {
  const file = dataFile();
  const first = await startTestMock({ dataFile: file });
  const appended = first.append(...Array.from({ length: 6 }, (_, i) => ({ message: `e${i}` })));
  await first.close();
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  lines[2] = lines[2]!.slice(0, 30); // torn
  lines[4] = '{"seq":"not a number"}';
  lines.push(lines[1]!); // a repeat of an earlier number
  writeFileSync(file, `${lines.join('\n')}\n`);

  const said: string[] = [];
  const second = await startTestMock({ dataFile: file, warn: (line) => said.push(line) });
  expect(said).toContain('data file: skipped 3 unreadable line(s)');
  expect(second.snapshot()).toMatchObject({ events: 4, head: appended[5]!.cursor });
  const page = await call(second, 'POST', '/query', { body: { order: 'asc' } });
  expect(page.json.events.map((event: { message: string }) => event.message)).toEqual([
    'e0',
    'e1',
    'e3',
    'e5',
  ]);
  // A resume from a cursor in the hole, or before it, gets exactly what is left after it.
  const tail = await SseReader.open(second, { q: '' }, { lastEventId: appended[1]!.cursor });
  await tail.until((t) => t.events.length === 2);
  expect(tail.frames.map((frame) => frame.id)).toEqual([appended[3]!.cursor, appended[5]!.cursor]);
  tail.close();
  const [next] = second.append({ message: 'after' });
  expect(Number(next!.cursor)).toBe(Number(appended[5]!.cursor) + 1);
});

test('every event acknowledged before a crash (SIGKILL) is there after the restart', async () => {
  const file = dataFile();
  const first = await startMockProcess(['--data', file]);
  const acknowledged: string[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async (_, worker) => {
      for (let i = 0; i < 25; i++) {
        const response = await request(`${first.url}/logs`, {
          method: 'POST',
          headers: { authorization: `Bearer ${DEV_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ message: `w${worker} #${i}` }),
        });
        const json = JSON.parse(await response.body.text());
        if (response.statusCode === 201) acknowledged.push(json.id);
      }
    }),
  );
  await first.crash();
  expect(acknowledged).toHaveLength(200);
  const second = await startTestMock({ dataFile: file });
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: { json: { events: { event_id: string }[]; next_cursor: string | null } } = await call(
      second,
      'POST',
      '/query',
      { body: { limit: 1000, ...(cursor ? { cursor } : {}) } },
    );
    for (const event of page.json.events) ids.add(event.event_id);
    cursor = page.json.next_cursor;
  } while (cursor);
  expect(acknowledged.filter((id) => !ids.has(id))).toEqual([]);
  expect(ids.size).toBe(200);
});

test('with --data a tail delivers an event only once it is in the file', async () => {
  const file = dataFile();
  const server = await startTestMock({ dataFile: file });
  const tail = await SseReader.open(server, { q: '' });
  await tail.until((t) => t.raw.startsWith('retry:'));
  const unwritten: string[] = [];
  for (let round = 0; round < 5; round++) {
    server.append(...Array.from({ length: 10 }, (_, i) => ({ message: `r${round} e${i}` })));
    await tail.until((t) => {
      // What a crash could take back must not have reached a client: each delivered id is on disk.
      const content = readFileSync(file, 'utf8');
      for (const event of t.events) if (!content.includes(event.event_id)) unwritten.push(event.event_id);
      return t.events.length === (round + 1) * 10;
    });
  }
  expect(unwritten).toEqual([]);
  tail.close();
});
