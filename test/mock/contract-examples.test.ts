/**
 * Every request example of the upstream API documents (test/mock/fixtures/contract-examples.json),
 * sent byte for byte with a dev token, gets the answer its document gives.
 */
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { expect, test } from 'vitest';
import { DEV_TOKEN, startTestMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

interface Example {
  name: string;
  method: string;
  path: string;
  body: string;
  answer: { status: number; contentType?: string; fields?: string[]; echoes?: Record<string, unknown> };
  matching?: Record<string, unknown>;
}

const { examples } = JSON.parse(
  readFileSync(new URL('./fixtures/contract-examples.json', import.meta.url), 'utf8'),
) as { examples: Example[] };

test.each(examples.filter((example) => example.answer.contentType === undefined))(
  '$name: $method $path answers $answer.status',
  async (example) => {
    const server = await startTestMock({ history: 5 });
    const response = await request(`${server.url}${example.path}`, {
      method: example.method as 'POST',
      headers: { authorization: `Bearer ${DEV_TOKEN}`, 'content-type': 'application/json' },
      body: example.body,
    });
    const json = JSON.parse(await response.body.text());
    expect(response.statusCode, JSON.stringify(json)).toBe(example.answer.status);
    expect(Object.keys(json).sort()).toEqual([...(example.answer.fields ?? [])].sort());
    expect(json).toMatchObject(example.answer.echoes ?? {});
  },
);

test.each(examples.filter((example) => example.answer.contentType === 'text/event-stream'))(
  '$name: $path streams the matching events',
  async (example) => {
    const server = await startTestMock({ history: 5 });
    const tail = await SseReader.open(server, JSON.parse(example.body));
    expect(tail.status).toBe(example.answer.status);
    expect(tail.contentType).toMatch(/^text\/event-stream/);
    await tail.until((t) => t.raw.startsWith('retry:'));
    const stored = await call(server, 'POST', '/logs', { body: example.matching });
    expect(stored.status).toBe(201);
    await tail.until((t) => t.events.length === 1);
    expect(tail.events[0]).toMatchObject({ message: example.matching?.message, severity: 'error' });
    tail.close();
  },
);

test('the session of the create example tails like a stale cursor: reset, then live from now', async () => {
  const server = await startTestMock({ history: 5 });
  const create = examples.find((example) => example.path.endsWith('/sessions'))!;
  const { json } = await call(server, 'POST', create.path, { body: create.body });
  const reset = await SseReader.open(server, { session_id: json.id });
  expect(await reset.finished()).toBe('end');
  expect(reset.frames.map((frame) => [frame.event, frame.id])).toEqual([['reset', '']]);
  const live = await SseReader.open(server, { session_id: json.id });
  await live.until((t) => t.raw.startsWith('retry:'));
  server.append({ level: 'error', message: 'token refresh failed', source: 'auth-service' });
  await live.until((t) => t.events.length === 1);
  live.close();
});
