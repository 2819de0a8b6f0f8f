/**
 * Every read is scoped to the token's org (docs/api.md "Common"): a token of another org neither
 * reads, tails nor counts the development org's events, on any endpoint, and the reverse.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { beforeEach, describe, expect, test } from 'vitest';
import type { MockServer } from '../../src/mock/index.js';
import { LOG_SCOPES } from '../../src/mock/options.js';
import { DEV_TOKEN, startTestMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

const ACME = 'so_test_acme';
const ACME_TOKEN = {
  token: ACME,
  scopes: [...LOG_SCOPES],
  tier: 'pro',
  orgId: 'org_acme',
  projectId: 'prj_acme',
} as const;

/** A mock holding, in this order: dev 1, acme 1, dev 2, acme 2 (each org's events interleaved). */
async function twoOrgs(
  options: Parameters<typeof startTestMock>[0] = {},
): Promise<{ server: MockServer; before: string }> {
  const server = await startTestMock({ ratePerSec: 0, history: 0, ...options });
  server.addToken({ ...ACME_TOKEN, scopes: [...ACME_TOKEN.scopes] });
  const before = server.head();
  // The admin route stores into the mock's own org; POST /logs into the token's.
  server.append({ message: 'dev 1', source: 'api', dataset: 'd' });
  for (const [token, message] of [
    [ACME, 'acme 1'],
    [DEV_TOKEN, 'dev 2'],
    [ACME, 'acme 2'],
  ] as const) {
    const { status } = await call(server, 'POST', '/logs', {
      token,
      body: { message, source: 'api', dataset: 'd' },
    });
    expect(status).toBe(201);
  }
  await server.flush();
  return { server, before };
}

const messages = (events: { message: string }[]): string[] => events.map((event) => event.message);

describe('another org reads none of the development org’s events', () => {
  let server: MockServer;
  let before: string;
  beforeEach(async () => {
    ({ server, before } = await twoOrgs());
  });

  test('POST /query: each org pages through its own events, labelled with its own org', async () => {
    const acme = await call(server, 'POST', '/query', { token: ACME, body: { q: '' } });
    expect(messages(acme.json.events)).toEqual(['acme 2', 'acme 1']);
    expect(new Set(acme.json.events.map((event: { org_id: string }) => event.org_id))).toEqual(
      new Set(['org_acme']),
    );
    // Not even counted: another org's events are not "scanned" either.
    expect(acme.json.stats).toMatchObject({ scanned: 2, matched: 2 });
    const dev = await call(server, 'POST', '/query', {
      body: { q: 'message ~ "1" OR message ~ "2"', order: 'asc' },
    });
    expect(messages(dev.json.events)).toEqual(['dev 1', 'dev 2']);
    // Page by page too: the cursor walks the caller's events only.
    const first = await call(server, 'POST', '/query', { token: ACME, body: { limit: 1 } });
    const second = await call(server, 'POST', '/query', {
      token: ACME,
      body: { limit: 1, cursor: first.json.next_cursor },
    });
    expect([...messages(first.json.events), ...messages(second.json.events)]).toEqual(['acme 2', 'acme 1']);
    expect(second.json.next_cursor).toBeNull();
  });

  test('POST /query with GROUP BY counts the caller’s events only', async () => {
    const acme = await call(server, 'POST', '/query', { token: ACME, body: { q: 'GROUP BY source' } });
    expect(acme.json.groups).toEqual([{ key: { source: 'api' }, count: 2 }]);
    expect(acme.json.stats).toMatchObject({ scanned: 2, matched: 2 });
  });

  test('GET /logs/stats counts the caller’s events only', async () => {
    const acme = await call(server, 'GET', '/logs/stats', { token: ACME });
    expect(acme.json).toMatchObject({ total: 2, bySource: { api: 2 }, byDataset: { d: 2 } });
    const dev = await call(server, 'GET', '/logs/stats');
    expect(dev.json).toMatchObject({ total: 2, bySource: { api: 2 } });
    // A token of an org that has stored nothing sees every severity at zero.
    server.addToken({ token: 'so_test_empty', scopes: ['usage:read'], tier: 'pro', orgId: 'org_empty' });
    const empty = await call(server, 'GET', '/logs/stats', { token: 'so_test_empty' });
    expect(empty.json).toMatchObject({ total: 0, bySeverity: { info: 0 }, bySource: {} });
  });

  test('POST /query/tail replays and streams the caller’s events only', async () => {
    const acme = await SseReader.open(server, { q: '' }, { token: ACME, lastEventId: before });
    const dev = await SseReader.open(server, { q: '' }, { lastEventId: before });
    await acme.until((reader) => reader.events.length >= 2);
    await dev.until((reader) => reader.events.length >= 2);
    // Live as well: the last event each stream gets proves the other org's came before it.
    server.append({ message: 'dev 3' });
    await call(server, 'POST', '/logs', { token: ACME, body: { message: 'acme 3' } });
    await acme.until((reader) => messages(reader.events).includes('acme 3'));
    await dev.until((reader) => messages(reader.events).includes('dev 3'));
    expect(messages(acme.events)).toEqual(['acme 1', 'acme 2', 'acme 3']);
    expect(messages(dev.events)).toEqual(['dev 1', 'dev 2', 'dev 3']);
    acme.close();
    dev.close();
  });

  test('the proxy-logs stream carries the caller’s events only', async () => {
    const path = '/api/proxy-logs/_logs/stream';
    const acme = await SseReader.get(server, path, { token: ACME, lastEventId: before });
    await call(server, 'POST', '/logs', { token: ACME, body: { message: 'acme 3' } });
    await acme.until((reader) => reader.events.some((entry) => entry.data.message === 'acme 3'));
    expect(acme.events.map((entry) => entry.data.message)).toEqual(['acme 1', 'acme 2', 'acme 3']);
    expect(acme.events[0].projectId).toBe('prj_acme');
    acme.close();
  });

  test('the audit-log stream carries the caller’s events only, its own audit rows included', async () => {
    // The development org's stream writes its audit rows into the development org.
    const dev = await SseReader.get(server, '/portal/v1/accounts/sotail_dev/audit-log/identities/stream');
    const path = '/portal/v1/accounts/acme/audit-log/identities/stream';
    const acme = await SseReader.get(server, path, { token: ACME, lastEventId: before });
    await call(server, 'POST', '/logs', { token: ACME, body: { message: 'acme 3' } });
    await acme.until((reader) => reader.named('audit-log').some((row) => row.resource_label === 'acme 3'));
    const labels = acme.named('audit-log').map((row) => row.resource_label);
    expect(labels).toEqual(['acme 1', 'acme 2', 'acme 3']);
    dev.close();
    acme.close();
  });

  test('sessions: another org’s session is not found by any route', async () => {
    const created = await call(server, 'POST', '/api/v1/logs/tail/sessions', {
      body: { tenantId: 't', userUuid: 'u', filter: '', service: 'api' },
    });
    expect(created.status).toBe(200);
    const id = created.json.id as string;
    const list = await call(server, 'GET', '/api/v1/logs/tail/sessions', { token: ACME });
    expect(list.json.sessions).toEqual([]);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { lastCursor: '1' }],
      ['DELETE', undefined],
    ] as const) {
      const answer = await call(server, method, `/api/v1/logs/tail/sessions/${id}`, { token: ACME, body });
      expect([method, answer.status]).toEqual([method, 404]);
    }
    const tail = await call(server, 'POST', '/query/tail', { token: ACME, body: { session_id: id } });
    expect(tail.status).toBe(404);
  });

  test('the admin routes see every org: they are the operator’s', async () => {
    expect(await server.count('')).toBe(4);
    const counted = await call(server, 'POST', '/_mock/count', { token: null, body: { q: 'source == api' } });
    expect(counted.json.count).toBe(4);
  });
});

test('off loopback, a token of another org cannot drive the mock, whatever its scopes', async () => {
  const server = await startTestMock({ host: '0.0.0.0', ratePerSec: 0 });
  server.addToken({ ...ACME_TOKEN, scopes: [...ACME_TOKEN.scopes] });
  const local = `http://127.0.0.1:${server.port}`;
  for (const [token, status] of [
    [ACME, 403],
    [DEV_TOKEN, 200],
  ] as const) {
    const answer = await request(`${local}/_mock/state`, { headers: { authorization: `Bearer ${token}` } });
    await answer.body.text();
    expect([token, answer.statusCode]).toEqual([token, status]);
  }
});

test('with --data, an event keeps its org across a restart', async () => {
  const dataFile = join(mkdtempSync(join(tmpdir(), 'sotail-orgs-')), 'log.ndjson');
  const { server } = await twoOrgs({ dataFile });
  await server.close();
  const reloaded = await startTestMock({ dataFile, ratePerSec: 0 });
  reloaded.addToken({ ...ACME_TOKEN, scopes: [...ACME_TOKEN.scopes] });
  const acme = await call(reloaded, 'POST', '/query', { token: ACME, body: { order: 'asc' } });
  expect(messages(acme.json.events)).toEqual(['acme 1', 'acme 2']);
  const dev = await call(reloaded, 'POST', '/query', { body: { order: 'asc' } });
  expect(messages(dev.json.events)).toEqual(['dev 1', 'dev 2']);
  expect((await call(reloaded, 'GET', '/logs/stats', { token: ACME })).json.total).toBe(2);
});
