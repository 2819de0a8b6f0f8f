/**
 * `--data` on a disk that fills up (docs/api.md "The mock"): an event counts (2xx, visible to
 * queries and tails, in the file) only once its whole line is written; a write that fails is
 * rolled back to the last whole line and answered 503, nothing of it kept; a retry with the same
 * Idempotency-Key stores it once; start-up cuts a torn last line off without needing free space.
 * The disk is simulated (test/helpers/failing-data-file.ts) here; full-disk-process.test.ts runs
 * the real thing against a file size limit.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { NODE_DATA_FILE_SYSTEM, repairTornTail } from '../../src/mock/data-file.js';
import type { MockServer } from '../../src/mock/index.js';
import { fillingDisk } from '../helpers/failing-data-file.js';
import { startTestMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

function dataFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'sotail-full-')), 'log.ndjson');
}

async function storedMessages(server: MockServer): Promise<string[]> {
  const page = await call(server, 'POST', '/query', { body: { limit: 1000, order: 'asc' } });
  return page.json.events.map((event: { message: string }) => event.message);
}

function ingest(server: MockServer, i: number) {
  return call(server, 'POST', '/logs', {
    body: { message: `event ${i}`, meta: { pad: 'z'.repeat(200) } },
    headers: { 'idempotency-key': `key-${i}` },
  });
}

test('a full disk: only written events are acknowledged and shown; retries store each once', async () => {
  const file = dataFile();
  const disk = fillingDisk(3_000);
  const warnings: string[] = [];
  const server = await startTestMock({
    dataFile: file,
    dataFileSystem: disk,
    warn: (line) => warnings.push(line),
  });
  const tail = await SseReader.open(server, { q: '' });
  await tail.until((t) => t.raw.startsWith('retry:'));

  const first = await Promise.all(Array.from({ length: 40 }, (_, i) => ingest(server, i)));
  const acknowledged = first.flatMap((answer, i) => (answer.status === 201 ? [i] : []));
  const refused = first.flatMap((answer, i) => (answer.status === 503 ? [i] : []));
  expect(acknowledged.length + refused.length).toBe(40);
  expect(refused.length).toBeGreaterThan(0);
  expect(disk.failures).toBeGreaterThan(0);
  const answer = first[refused[0]!]!;
  expect(answer.json.error.code).toBe('unavailable');
  expect(answer.headers['retry-after']).toBe('5');
  expect(warnings[0]).toMatch(/^data file: a write failed \(ENOSPC: no space left on device, write\)/);

  // What was refused is nowhere: not in queries, not in the tail, not in the file.
  const expected = acknowledged.map((i) => `event ${i}`).sort();
  expect((await storedMessages(server)).sort()).toEqual(expected);
  const content = readFileSync(file, 'utf8');
  expect(content.endsWith('\n')).toBe(true);
  const lines = content
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line).message);
  expect(lines.sort()).toEqual(expected);
  await tail.until((t) => t.events.length === acknowledged.length);

  // Room again: each refused event, retried with its key, is stored once; a stored one replays.
  disk.free(1_000_000);
  for (const i of refused) expect((await ingest(server, i)).status).toBe(201);
  const replay = await ingest(server, acknowledged[0]!);
  expect(replay.headers['idempotent-replayed']).toBe('true');
  const all = Array.from({ length: 40 }, (_, i) => `event ${i}`).sort();
  expect((await storedMessages(server)).sort()).toEqual(all);
  expect(warnings.at(-1)).toBe('data file: writes succeed again');
  await tail.until((t) => t.events.length === 40);
  tail.close();
  await server.close();

  // And after a restart, exactly those, once each.
  const again = await startTestMock({ dataFile: file });
  expect((await storedMessages(again)).sort()).toEqual(all);
});

test('a failed rollback is retried before the next write, which is refused until it succeeds', async () => {
  const file = dataFile();
  const disk = fillingDisk(400);
  const server = await startTestMock({ dataFile: file, dataFileSystem: disk, warn: () => {} });
  expect((await call(server, 'POST', '/logs', { body: { message: 'fits' } })).status).toBe(201);
  disk.failTruncate = true;
  expect((await call(server, 'POST', '/logs', { body: { message: 'x'.repeat(600) } })).status).toBe(503);
  disk.free(1_000_000);
  // The torn bytes are still there and cannot be cut: writing after them would glue lines.
  expect((await call(server, 'POST', '/logs', { body: { message: 'blocked' } })).status).toBe(503);
  disk.failTruncate = false;
  expect((await call(server, 'POST', '/logs', { body: { message: 'after' } })).status).toBe(201);
  expect(await storedMessages(server)).toEqual(['fits', 'after']);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  expect(lines.map((line) => JSON.parse(line).message)).toEqual(['fits', 'after']);
});

test('admin appends are refused as a whole when their write fails, and not shown', async () => {
  const file = dataFile();
  const disk = fillingDisk(0);
  const server = await startTestMock({ dataFile: file, dataFileSystem: disk, warn: () => {} });
  const events = await call(server, 'POST', '/_mock/events', {
    token: null,
    body: { events: [{ message: 'a' }, { message: 'b' }] },
  });
  expect(events.status).toBe(503);
  const generated = await call(server, 'POST', '/_mock/events', { token: null, body: { generate: 5 } });
  expect(generated.status).toBe(503);
  expect(server.snapshot().events).toBe(0);
  expect(readFileSync(file, 'utf8')).toBe('');
});

test('repairing a torn tail cuts to the last newline, however long the torn line, and needs no room', async () => {
  for (const [content, kept] of [
    ['{"a":1}\n{"b":2}\n', '{"a":1}\n{"b":2}\n'],
    ['{"a":1}\n{"b":', '{"a":1}\n'],
    [`{"a":1}\n${'t'.repeat(200_000)}`, '{"a":1}\n'],
    ['no newline at all', ''],
    ['', ''],
  ] as const) {
    const file = dataFile();
    writeFileSync(file, content);
    const handle = await NODE_DATA_FILE_SYSTEM.open(file);
    expect(await repairTornTail(handle)).toBe(content.length - kept.length);
    await handle.close();
    expect(readFileSync(file, 'utf8')).toBe(kept);
  }
});
