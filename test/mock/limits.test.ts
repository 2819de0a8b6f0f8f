/**
 * docs/api.md "Limits": nesting, size and encoding limits on what a client sends, checked before
 * anything is stored and answered 400 with the field.
 */
import { describe, expect, test } from 'vitest';
import { MAX_MESSAGE_CHARS, MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH } from '../../src/model/limits.js';
import { withMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

/** `{"message":"p","meta":{"a":{"a":…1…}}}` with `depth` nested objects, as raw JSON text. */
function deepIngestBody(depth: number): string {
  return `{"message":"p","meta":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
}

/** The field a payload nested too deep is reported under: the path to the first level over the limit. */
const DEEP_FIELD = `meta.${Array.from({ length: MAX_PAYLOAD_DEPTH }, () => 'a').join('.')}`;

describe('limits', () => {
  const mock = withMock();

  test('meta nested 5,000 deep while a tail is open: 400 naming the path, the mock and the tail live on', async () => {
    const tail = await SseReader.open(mock(), { q: '' });
    const deep = await call(mock(), 'POST', '/logs', { body: deepIngestBody(5_000) });
    expect(deep.status).toBe(400);
    expect(deep.json.error).toMatchObject({ code: 'bad_request', field: DEEP_FIELD });
    expect(deep.json.error.message).toContain(`deeper than ${MAX_PAYLOAD_DEPTH} levels`);
    const next = await call(mock(), 'POST', '/logs', { body: { message: 'after the deep one' } });
    expect(next.status).toBe(201);
    await tail.until((t) => t.events.length === 1);
    expect(tail.events[0].message).toBe('after the deep one');
    tail.close();
  });

  test('nothing over a limit is stored, so /query keeps answering', async () => {
    const before = mock().snapshot().events;
    expect((await call(mock(), 'POST', '/logs', { body: deepIngestBody(5_000) })).status).toBe(400);
    expect(
      (await call(mock(), 'POST', '/logs', { body: deepIngestBody(MAX_PAYLOAD_DEPTH + 1) })).status,
    ).toBe(400);
    expect(mock().snapshot().events).toBe(before);
    const atLimit = await call(mock(), 'POST', '/logs', { body: deepIngestBody(MAX_PAYLOAD_DEPTH) });
    expect(atLimit.status).toBe(201);
    const page = await call(mock(), 'POST', '/query', { body: { limit: 10 } });
    expect(page.status).toBe(200);
    expect(page.json.events).toHaveLength(before + 1);
  });

  test('arrays count as levels too, and the path names their indexes', async () => {
    const body = `{"message":"p","payload":{"list":${'['.repeat(40)}${']'.repeat(40)}}}`;
    const result = await call(mock(), 'POST', '/logs', { body });
    expect(result.json.error).toMatchObject({
      code: 'bad_request',
      field: `payload.list${'.0'.repeat(MAX_PAYLOAD_DEPTH - 1)}`,
    });
  });

  test.each([
    ['message', { message: 'm'.repeat(MAX_MESSAGE_CHARS + 1) }, 'message'],
    ['msg alias', { msg: 'm'.repeat(MAX_MESSAGE_CHARS + 1) }, 'msg'],
    ['meta size', { message: 'x', meta: { blob: 'b'.repeat(MAX_PAYLOAD_BYTES) } }, 'meta'],
    ['source length', { message: 'x', source: 's'.repeat(257) }, 'source'],
  ])('%s over its limit is a 400 naming the field', async (_name, body, field) => {
    const result = await call(mock(), 'POST', '/logs', { body });
    expect(result.status).toBe(400);
    expect(result.json.error).toMatchObject({ code: 'bad_request', field });
    expect(mock().snapshot().events).toBe(0);
  });

  test('a message exactly at the limit is stored whole', async () => {
    const message = 'm'.repeat(MAX_MESSAGE_CHARS);
    expect((await call(mock(), 'POST', '/logs', { body: { message } })).status).toBe(201);
    const page = await call(mock(), 'POST', '/query', { body: { limit: 1 } });
    expect(page.json.events[0].message).toBe(message);
  });

  test('POST /_mock/events applies the same limits, and a bad event stores none of the batch', async () => {
    const deep = await call(mock(), 'POST', '/_mock/events', {
      token: null,
      body: `{"events":[{"message":"fine"},${deepIngestBody(5_000)}]}`,
    });
    expect(deep.status).toBe(400);
    expect(deep.json.error).toMatchObject({ code: 'bad_request', field: DEEP_FIELD });
    const ignoredButDeep = await call(mock(), 'POST', '/_mock/events', {
      token: null,
      body: `{"message":"x","extra":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
    });
    expect(ignoredButDeep.status).toBe(400);
    expect(mock().snapshot().events).toBe(0);
  });

  test('invalid UTF-8 is refused with the offset of the first bad byte, never replaced', async () => {
    const body = Buffer.concat([
      Buffer.from('{"message":"caf'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const result = await call(mock(), 'POST', '/logs', { body });
    expect(result.status).toBe(400);
    expect(result.json.error).toEqual({
      code: 'bad_request',
      message: 'request body is not valid UTF-8 (first bad byte at offset 15)',
      field: 'body',
    });
    // An encoded lone surrogate (CESU-8) is not UTF-8 either.
    const surrogate = Buffer.concat([
      Buffer.from('{"message":"'),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);
    expect((await call(mock(), 'POST', '/logs', { body: surrogate })).json.error.field).toBe('body');
    const query = await call(mock(), 'POST', '/query', { body: Buffer.from([0x7b, 0xff, 0x7d]) });
    expect(query.json.error).toMatchObject({ field: 'body', message: expect.stringContaining('offset 1') });
    expect(mock().snapshot().events).toBe(0);
  });

  test('a UTF-8 byte-order mark before the JSON is accepted', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"message":"café ☕"}')]);
    const result = await call(mock(), 'POST', '/logs', { body });
    expect(result.status).toBe(201);
    expect(result.json.message).toBe('café ☕');
  });
});
