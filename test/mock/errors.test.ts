/** Every row of api.md's error table, over real HTTP, in the one envelope. */
import { Readable } from 'node:stream';
import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import { HOBBY_TOKEN, READONLY_TOKEN, withMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

describe('error envelope', () => {
  const mock = withMock({ history: 50 });

  test('400 bad_request names the field', async () => {
    const missing = await call(mock(), 'POST', '/logs', { body: { level: 'info' } });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatchObject({ code: 'bad_request', field: 'message' });
    const level = await call(mock(), 'POST', '/logs', { body: { level: 'loud', message: 'x' } });
    expect(level.json.error).toMatchObject({ code: 'bad_request', field: 'level' });
    const limit = await call(mock(), 'POST', '/query', { body: { limit: 1001 } });
    expect(limit.json.error).toMatchObject({ code: 'bad_request', field: 'limit' });
  });

  test('400 bad_request for a body that is not JSON, with the reason', async () => {
    const result = await call(mock(), 'POST', '/logs', { body: '{"message": "x",' });
    expect(result.status).toBe(400);
    expect(result.json.error.code).toBe('bad_request');
    expect(result.json.error.message).toMatch(/not valid JSON: .+/);
    const array = await call(mock(), 'POST', '/query', { body: '[1,2]' });
    expect(array.json.error).toMatchObject({
      code: 'bad_request',
      message: 'request body must be a JSON object',
    });
  });

  test('400 soql_parse_error with position, near and field', async () => {
    const result = await call(mock(), 'POST', '/query', {
      body: { q: 'severity >= error AND sauce == fivem' },
    });
    expect(result.status).toBe(400);
    expect(result.json.error).toMatchObject({
      code: 'soql_parse_error',
      position: 22,
      near: 'sauce',
      field: 'sauce',
    });
    const syntax = await call(mock(), 'POST', '/query', { body: { q: 'severity >= ' } });
    expect(syntax.json.error).toMatchObject({ code: 'soql_parse_error', position: expect.any(Number) });
    expect(syntax.json.error.field).toBeUndefined();
  });

  test('400 soql_tail_aggregation_unsupported for GROUP BY on the tail', async () => {
    const result = await call(mock(), 'POST', '/query/tail', {
      body: { q: 'severity >= warn GROUP BY source' },
    });
    expect(result.status).toBe(400);
    expect(result.json.error.code).toBe('soql_tail_aggregation_unsupported');
  });

  test.each([
    ['missing', undefined],
    ['malformed', 'Basic dXNlcjpwYXNz'],
    ['not a sotail token', 'Bearer abc123'],
    ['unknown', 'Bearer so_test_nobody_has_this'],
  ])('401 unauthorized for a %s token', async (_, header) => {
    const headers: Record<string, string> = header === undefined ? {} : { authorization: header };
    const result = await call(mock(), 'GET', '/auth/whoami', { token: null, headers });
    expect(result.status).toBe(401);
    expect(result.json.error.code).toBe('unauthorized');
  });

  test('402 tier_upgrade_required for a tail on the hobby tier', async () => {
    const result = await call(mock(), 'POST', '/query/tail', { token: HOBBY_TOKEN, body: { q: '' } });
    expect(result.status).toBe(402);
    expect(result.json.error).toMatchObject({
      code: 'tier_upgrade_required',
      upgrade_url: '/dashboard/billing/plan',
    });
  });

  test('403 forbidden names the required scope', async () => {
    const result = await call(mock(), 'POST', '/logs', { token: READONLY_TOKEN, body: { message: 'x' } });
    expect(result.status).toBe(403);
    expect(result.json.error).toMatchObject({ code: 'forbidden', required_scope: 'logs:write' });
  });

  test('404 not_found for an unknown route and an unknown session', async () => {
    const route = await call(mock(), 'GET', '/nope');
    expect(route.status).toBe(404);
    expect(route.json.error.code).toBe('not_found');
    const session = await call(mock(), 'GET', '/api/v1/logs/tail/sessions/ses_missing');
    expect(session.status).toBe(404);
    expect(session.json.error.code).toBe('not_found');
    const garbled = await call(mock(), 'GET', '/api/v1/logs/tail/sessions/%E0%A4%A');
    expect(garbled.status).toBe(404);
  });

  test('405 method_not_allowed with Allow for a known path', async () => {
    const result = await call(mock(), 'GET', '/logs');
    expect(result.status).toBe(405);
    expect(result.headers.allow).toBe('POST');
    expect(result.json.error.code).toBe('method_not_allowed');
  });

  test('413 payload_too_large over 1 MiB, declared or streamed, and the connection stays usable', async () => {
    const big = JSON.stringify({ message: 'x'.repeat(1024 * 1024) });
    const declared = await call(mock(), 'POST', '/logs', { body: big });
    expect(declared.status).toBe(413);
    expect(declared.json.error).toMatchObject({ code: 'payload_too_large', limit_bytes: 1024 * 1024 });
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 24; i++) yield Buffer.alloc(64 * 1024, 0x61);
    }
    const streamed = await request(`${mock().url}/logs`, {
      method: 'POST',
      headers: { authorization: 'Bearer so_test_sotail_dev', 'content-type': 'application/json' },
      body: Readable.from(chunks()),
    });
    expect(streamed.statusCode).toBe(413);
    expect(((await streamed.body.json()) as { error: { code: string } }).error.code).toBe(
      'payload_too_large',
    );
    expect((await call(mock(), 'GET', '/auth/whoami')).status).toBe(200);
  });

  test('429 rate_limited with Retry-After, for as many requests as armed', async () => {
    mock().injectFault('429@query:count=2,retry-after=7');
    for (let i = 0; i < 2; i++) {
      const result = await call(mock(), 'POST', '/query', { body: {} });
      expect(result.status).toBe(429);
      expect(result.headers['retry-after']).toBe('7');
      expect(result.json.error.code).toBe('rate_limited');
    }
    expect((await call(mock(), 'POST', '/query', { body: {} })).status).toBe(200);
  });

  test('429 tail_session_limit_exceeded with limit and active', async () => {
    const tails = await Promise.all([1, 2, 3].map(() => SseReader.open(mock(), { q: '' })));
    const fourth = await call(mock(), 'POST', '/query/tail', { body: { q: '' } });
    expect(fourth.status).toBe(429);
    expect(fourth.json.error).toMatchObject({ code: 'tail_session_limit_exceeded', limit: 3, active: 3 });
    for (const tail of tails) tail.close();
  });

  test('429 quota_exceeded, cumulative, from --quota-events', async () => {
    mock().setQuota(1);
    expect((await call(mock(), 'POST', '/logs', { body: { message: 'one' } })).status).toBe(201);
    const result = await call(mock(), 'POST', '/logs', { body: { message: 'two' } });
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBeUndefined();
    expect(result.json.error).toMatchObject({
      code: 'quota_exceeded',
      metric: 'ingest_events',
      quotas: [{ metric: 'ingest_events', used: 1, limit: 1, cumulative: true }],
    });
  });

  test('429 quota_exceeded that waiting cures, from a fault', async () => {
    mock().injectFault('quota@ingest:retry-after=30');
    const result = await call(mock(), 'POST', '/logs', { body: { message: 'x' } });
    expect(result.json.error.quotas[0].cumulative).toBe(false);
    expect(result.headers['retry-after']).toBe('30');
  });

  test('500 internal and 503 unavailable with Retry-After', async () => {
    mock().injectFault({ kind: 'internal', family: 'auth' }, '503@auth:retry-after=2');
    const internal = await call(mock(), 'GET', '/auth/whoami');
    expect(internal.status).toBe(500);
    expect(internal.json.error.code).toBe('internal');
    const unavailable = await call(mock(), 'GET', '/auth/whoami');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('2');
    expect(unavailable.json.error.code).toBe('unavailable');
  });
});
