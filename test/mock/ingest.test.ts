/** POST /logs, whoami and stats (api.md "Ingest", "Who am I", "Stats"). */
import { describe, expect, test } from 'vitest';
import { READONLY_TOKEN, startTestMock, withMock } from '../helpers/mock-server.js';
import { call } from './client.js';

describe('ingest', () => {
  const mock = withMock();

  test('201 with the stored entry: level→severity, meta→payload, created_at', async () => {
    const result = await call(mock(), 'POST', '/logs', {
      body: {
        level: 'warning',
        message: 'Player connected',
        meta: { player_id: 'steam:1100' },
        source: 'fivem',
      },
    });
    expect(result.status).toBe(201);
    expect(result.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      level: 'warn',
      message: 'Player connected',
      meta: { player_id: 'steam:1100' },
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const stored = await call(mock(), 'POST', '/query', { body: { limit: 1 } });
    expect(stored.json.events[0]).toMatchObject({
      event_id: result.json.id,
      severity: 'warn',
      source: 'fivem',
      payload: { player_id: 'steam:1100' },
      ingested_at: result.json.created_at,
      ts: result.json.created_at,
      org_id: 'org_sotail_dev',
      project_id: 'prj_sotail_dev',
    });
    expect(stored.json.events[0].bytes_raw).toBeGreaterThan(0);
  });

  test('accepts the aliases: severity, payload, msg, service, fatal/err', async () => {
    await call(mock(), 'POST', '/logs', {
      body: { severity: 'fatal', msg: 'down', service: 'api', payload: { a: 1 } },
    });
    await call(mock(), 'POST', '/logs', {
      body: { level: 'ERR', message: 'x', ts: '2026-05-17T12:00:00.5+02:00' },
    });
    const { json } = await call(mock(), 'POST', '/query', { body: { order: 'asc' } });
    expect(json.events[0]).toMatchObject({
      severity: 'critical',
      message: 'down',
      source: 'api',
      payload: { a: 1 },
    });
    expect(json.events[1]).toMatchObject({ severity: 'error', ts: '2026-05-17T10:00:00.500Z' });
  });

  test.each([
    [{ message: '' }, 'message'],
    [{ message: 3 }, 'message'],
    [{ message: 'x', meta: [1] }, 'meta'],
    [{ message: 'x', payload: 'p' }, 'payload'],
    [{ message: 'x', ts: 'yesterday' }, 'ts'],
    [{ message: 'x', source: 42 }, 'source'],
    [{ message: 'x', level: 'info', severity: 'error' }, 'severity'],
  ])('400 bad_request for %j names %s', async (body, field) => {
    const result = await call(mock(), 'POST', '/logs', { body });
    expect(result.status).toBe(400);
    expect(result.json.error).toMatchObject({ code: 'bad_request', field });
  });

  test('a repeated Idempotency-Key stores nothing new and replays the first answer', async () => {
    const headers = { 'idempotency-key': 'line-42' };
    const first = await call(mock(), 'POST', '/logs', { headers, body: { message: 'once' } });
    const again = await call(mock(), 'POST', '/logs', { headers, body: { message: 'once' } });
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json).toEqual(first.json);
    const other = await call(mock(), 'POST', '/logs', {
      headers: { 'idempotency-key': 'line-43' },
      body: { message: 'x' },
    });
    expect(other.json.id).not.toBe(first.json.id);
    expect((await call(mock(), 'GET', '/logs/stats')).json.total).toBe(2);
  });

  test('the answers kept for keys are bounded in bytes: the oldest keys go first', async () => {
    const server = await startTestMock({ idempotencyMaxBytes: 40_000, retainEvents: 10 });
    const meta = { blob: 'b'.repeat(5_000) };
    const first: { id: string }[] = [];
    for (let i = 0; i < 30; i++) {
      const stored = await call(server, 'POST', '/logs', {
        body: { message: `m${i}`, meta },
        headers: { 'idempotency-key': `key-${i}` },
      });
      expect(stored.status).toBe(201);
      first.push(stored.json);
    }
    const { idempotency } = server.snapshot();
    expect(idempotency.bytes).toBeLessThanOrEqual(40_000);
    expect(idempotency.keys).toBeGreaterThan(1);
    expect(idempotency.keys).toBeLessThan(30);
    // The newest keys still replay; the oldest were forgotten, so a retry of one stores again.
    const recent = await call(server, 'POST', '/logs', {
      body: { message: 'm29', meta },
      headers: { 'idempotency-key': 'key-29' },
    });
    expect([recent.headers['idempotent-replayed'], recent.json.id]).toEqual(['true', first[29]!.id]);
    const forgotten = await call(server, 'POST', '/logs', {
      body: { message: 'm0', meta },
      headers: { 'idempotency-key': 'key-0' },
    });
    expect(forgotten.headers['idempotent-replayed']).toBeUndefined();
    expect(forgotten.json.id).not.toBe(first[0]!.id);
  });

  test('an Idempotency-Key over 255 characters is a 400 naming the header', async () => {
    const result = await call(mock(), 'POST', '/logs', {
      headers: { 'idempotency-key': 'k'.repeat(256) },
      body: { message: 'x' },
    });
    expect(result.json.error).toMatchObject({ code: 'bad_request', field: 'Idempotency-Key' });
  });

  test('a lost response (stored=true fault) is safe to retry with the same key', async () => {
    mock().injectFault('503@ingest:stored=true');
    const headers = { 'idempotency-key': 'retry-me' };
    const lost = await call(mock(), 'POST', '/logs', { headers, body: { message: 'precious' } });
    expect(lost.status).toBe(503);
    const retry = await call(mock(), 'POST', '/logs', { headers, body: { message: 'precious' } });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await call(mock(), 'GET', '/logs/stats')).json.total).toBe(1);
  });

  test('intermittent ingest failures follow the seeded rate', async () => {
    mock().injectFault('500@ingest:rate=0.5');
    const statuses = [];
    for (let i = 0; i < 40; i++)
      statuses.push((await call(mock(), 'POST', '/logs', { body: { message: `m${i}` } })).status);
    expect(statuses).toContain(500);
    expect(statuses).toContain(201);
    expect((await call(mock(), 'GET', '/logs/stats')).json.total).toBe(
      statuses.filter((s) => s === 201).length,
    );
  });
});

describe('whoami and stats', () => {
  const mock = withMock();

  test('whoami shows a redacted token, scopes, tier and ids', async () => {
    const { json } = await call(mock(), 'GET', '/auth/whoami', { token: READONLY_TOKEN });
    expect(json).toEqual({
      token_prefix: 'so_test_sota…',
      mode: 'test',
      scopes: ['logs:read'],
      org_id: 'org_sotail_dev',
      project_id: 'prj_sotail_dev',
      tier: 'pro',
      tenantId: 'tenant-sotail_dev',
      userUuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  test('stats counts by severity (all listed), source and dataset; logs:read is enough', async () => {
    mock().append(
      { message: 'a', level: 'error', source: 'api', dataset: 'http' },
      { message: 'b', source: 'api' },
    );
    const { status, json } = await call(mock(), 'GET', '/logs/stats', { token: READONLY_TOKEN });
    expect(status).toBe(200);
    expect(json).toEqual({
      total: 2,
      bySeverity: { debug: 0, info: 1, notice: 0, warn: 0, error: 1, critical: 0 },
      bySource: { api: 2 },
      byDataset: { http: 1 },
    });
  });
});
