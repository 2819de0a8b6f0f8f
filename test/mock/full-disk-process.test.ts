/**
 * `sotail mock --data` against a real kernel that refuses to grow the file: the process runs under
 * a file-size limit (`ulimit -f`, no root needed), so writes fail part-way with EFBIG exactly as
 * they fail with ENOSPC on a full disk. Every event answered 201 is in the file and in queries,
 * nothing answered 503 is anywhere, a kill -9 loses nothing, and a torn last line on a file that
 * cannot grow is cut off at start instead of failing it.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { expect, test } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { DEV_TOKEN, startMockProcess } from '../helpers/mock-process.js';

async function post(url: string, message: string, key: string): Promise<number> {
  const response = await request(`${url}/logs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEV_TOKEN}`, 'idempotency-key': key },
    body: JSON.stringify({ message, meta: { pad: 'p'.repeat(300) } }),
  });
  await response.body.text();
  return response.statusCode;
}

async function stored(url: string): Promise<string[]> {
  const response = await request(`${url}/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEV_TOKEN}` },
    body: JSON.stringify({ limit: 1000 }),
  });
  const page = (await response.body.json()) as { events: { message: string }[] };
  return page.events.map((event) => event.message).sort();
}

test('a file that cannot grow: 201 means written, 503 means nowhere, and start-up repairs without room', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sotail-fsize-')), 'log.ndjson');
  const mock = await startMockProcess(['--data', file], { fileSizeLimitBlocks: 64 });
  const acknowledged: string[] = [];
  let refused = 0;
  for (let i = 0; i < 1_000 && refused < 5; i++) {
    const status = await post(mock.url, `event ${i}`, `key-${i}`);
    if (status === 201) acknowledged.push(`event ${i}`);
    else {
      expect(status).toBe(503);
      refused += 1;
    }
  }
  expect(refused).toBe(5);
  expect(acknowledged.length).toBeGreaterThan(10);
  expect(await stored(mock.url)).toEqual([...acknowledged].sort());
  await expect.poll(() => mock.stderr()).toMatch(/sotail: warning: data file: a write failed \(EFBIG/);
  await mock.crash();

  const content = readFileSync(file, 'utf8');
  expect(content.endsWith('\n')).toBe(true);
  expect(
    content
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).message)
      .sort(),
  ).toEqual([...acknowledged].sort());

  // A torn last line, and a file that may not grow by a byte: start-up still works.
  appendFileSync(file, '{"seq":1,"event_id":"torn');
  const again = await startMockProcess(['--data', file], { fileSizeLimitBlocks: 1 });
  // Said before the listening line, but on another pipe: it may reach us a moment after it.
  await expect.poll(() => again.stderr()).toMatch(/data file: removed an unfinished last line \(25 bytes\)/);
  expect(await stored(again.url)).toEqual([...acknowledged].sort());
  expect(await post(again.url, 'no room', 'key-x')).toBe(503);
  expect(again.stderr()).not.toMatch(/unexpected error/);
  await again.crash();
  expect(readFileSync(file, 'utf8')).toBe(content);
});

test('--data on something that is not a regular file is refused at start, naming it', async () => {
  const child = spawn(process.execPath, [BIN, 'mock', '--port', '0', '--data', '/dev/full'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(stderr).toMatch(/--data \/dev\/full is not a regular file/);
  expect(stderr).not.toMatch(/unexpected error/);
  expect(code).not.toBe(0);
});
