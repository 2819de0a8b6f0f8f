/**
 * The proxy-logs and audit-log streams of docs/api.md "Other stream shapes the mock serves", over
 * real HTTP: their shapes, filters, resume rules, limits and plain error shape.
 */
import { describe, expect, test } from 'vitest';
import { DEV_TOKEN, HOBBY_TOKEN, startTestMock, withMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

const PROXY = '/api/proxy-logs/_logs/stream';
const AUDIT = '/portal/v1/accounts/sotail_dev/audit-log/identities/stream';

describe('proxy-logs stream', () => {
  const mock = withMock();

  test('sends entries in the proxy-log shape with id: <ringSeq>, and bare : heartbeats', async () => {
    const tail = await SseReader.get(mock(), PROXY);
    expect(tail.status).toBe(200);
    expect(tail.contentType).toBe('text/event-stream; charset=utf-8');
    const appended = mock().append(
      {
        message: 'GET /v1/users 200 12ms',
        source: 'api',
        level: 'notice',
        meta: { method: 'GET', path: '/v1/users', status: 200, ip: '203.0.113.9' },
      },
      { message: 'boom', source: 'worker', level: 'critical', event: 'job_failed', actor: 'user:alice' },
    );
    await tail.until((t) => t.frames.length === 2 && t.comments.length >= 1);
    expect(tail.comments[0]).toBe('');
    expect(tail.raw).toContain('\n:\n\n');
    expect(tail.frames.map((frame) => [frame.event, frame.id])).toEqual([
      [undefined, appended[0]!.cursor],
      [undefined, appended[1]!.cursor],
    ]);
    const [request, job] = tail.frames.map((frame) => JSON.parse(frame.data));
    const first = appended[0]!.event;
    expect(request).toEqual({
      id: expect.any(Number),
      traceId: first.event_id,
      tsMs: Date.parse(first.ts),
      tsIso: first.ts,
      kind: 'response',
      level: 'info',
      projectId: 'prj_sotail_dev',
      containerId: expect.stringMatching(/^cnt_[0-9a-f]{8}$/),
      serviceName: 'api',
      method: 'GET',
      url: '/v1/users',
      clientIp: '203.0.113.9',
      status: 200,
      data: { message: 'GET /v1/users 200 12ms', payload: first.payload },
      source: 'backend',
    });
    // The row id is not the resume cursor: clients must resume with the frame's id.
    expect(String(request.id)).not.toBe(appended[0]!.cursor);
    expect(job.id).toBe(request.id + 1);
    expect(job).toMatchObject({
      kind: 'event',
      level: 'error',
      serviceName: 'worker',
      method: null,
      url: null,
      status: null,
      clientIp: null,
      data: { message: 'boom', event: 'job_failed', actor: 'user:alice' },
    });
    tail.close();
  });

  test('filters by level (one or a comma list), kind and containerId', async () => {
    const api = await SseReader.get(mock(), `${PROXY}?level=warn,error&kind=event`);
    const all = await SseReader.get(mock(), PROXY);
    mock().append(
      { message: 'quiet', source: 'api', level: 'info' },
      { message: 'loud', source: 'api', level: 'error' },
      { message: 'request', source: 'api', level: 'warn', meta: { method: 'GET', path: '/x' } },
      { message: 'web warn', source: 'web', level: 'warning' },
    );
    await all.until((t) => t.frames.length === 4);
    await api.until((t) => t.frames.length === 2);
    expect(api.frames.map((frame) => JSON.parse(frame.data).data.message)).toEqual(['loud', 'web warn']);
    const webContainer = JSON.parse(all.frames[3]!.data).containerId;
    const byContainer = await SseReader.get(mock(), `${PROXY}?containerId=${webContainer}`);
    mock().append({ message: 'api again', source: 'api' }, { message: 'web again', source: 'web' });
    await byContainer.until((t) => t.frames.length === 1);
    expect(JSON.parse(byContainer.frames[0]!.data)).toMatchObject({ serviceName: 'web', source: 'edge' });
    for (const tail of [api, all, byContainer]) tail.close();
  });

  test.each([
    ['kind=audit', /kind must be one of request, response, event/],
    ['level=fatal', /level must be one of debug, info, warn, error/],
    ['level=info,,error', /level must be one of/],
  ])('an invalid filter (%s) is a 400 in the plain error shape', async (query, message) => {
    const answer = await SseReader.get(mock(), `${PROXY}?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(message),
    });
  });

  test('Last-Event-ID replays only entries after it, then goes live', async () => {
    const appended = mock().append(...Array.from({ length: 6 }, (_, i) => ({ message: `m${i}` })));
    const tail = await SseReader.get(mock(), PROXY, { lastEventId: appended[2]!.cursor });
    await tail.until((t) => t.frames.length === 3);
    mock().append({ message: 'live' });
    await tail.until((t) => t.frames.length === 4);
    expect(tail.frames.map((frame) => JSON.parse(frame.data).data.message)).toEqual([
      'm3',
      'm4',
      'm5',
      'live',
    ]);
    expect(tail.frames.map((frame) => frame.id)).toEqual([
      appended[3]!.cursor,
      appended[4]!.cursor,
      appended[5]!.cursor,
      expect.any(String),
    ]);
    tail.close();
  });

  test('a cursor older than the ring buffer gets event: gap first; a foreign one event: reset', async () => {
    const server = await startTestMock({ replayWindow: 3 });
    const appended = server.append(...Array.from({ length: 10 }, (_, i) => ({ message: `m${i}` })));
    const tail = await SseReader.get(server, PROXY, { lastEventId: appended[1]!.cursor });
    await tail.until((t) => t.frames.length === 4);
    expect(tail.frames[0]).toEqual({
      event: 'gap',
      id: undefined,
      data: JSON.stringify({ after: appended[1]!.cursor, resumed_from: appended[7]!.cursor }),
    });
    tail.close();
    const reset = await SseReader.get(server, PROXY, { lastEventId: '12' });
    expect(await reset.finished()).toBe('end');
    expect(reset.frames.map((frame) => frame.event)).toEqual(['reset']);
  });

  test('errors come as {statusCode, error, message}: bad token 403, no scope 403, hobby 402, POST 405', async () => {
    const noToken = await SseReader.get(mock(), PROXY, { token: null });
    expect(noToken.status).toBe(403);
    expect(noToken.json).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Logs token missing or invalid: missing authorization token',
    });
    mock().addToken({ token: 'so_test_writer', scopes: ['logs:write'], tier: 'pro' });
    const writer = await SseReader.get(mock(), PROXY, { token: 'so_test_writer' });
    expect([writer.status, writer.json.error]).toEqual([403, 'Forbidden']);
    const hobby = await SseReader.get(mock(), PROXY, { token: HOBBY_TOKEN });
    expect(hobby.json).toEqual({ statusCode: 402, error: 'Payment Required', message: expect.any(String) });
    const post = await call(mock(), 'POST', PROXY);
    expect([post.status, post.headers.allow, post.json.error]).toEqual([
      405,
      'GET, HEAD',
      'Method Not Allowed',
    ]);
  });

  test('shares the per-token tail limit with /query/tail: the 4th open stream is a 429', async () => {
    const open = [
      await SseReader.open(mock(), { q: '' }),
      await SseReader.get(mock(), PROXY),
      await SseReader.get(mock(), PROXY),
    ];
    const fourth = await SseReader.get(mock(), PROXY);
    expect(fourth.status).toBe(429);
    expect(fourth.json).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/^Rate limit exceeded for log stream/),
    });
    for (const tail of open) tail.close();
  });

  test('an injected 503 keeps its Retry-After; tail faults break the stream', async () => {
    mock().injectFault('503@tail:retry-after=7');
    const refused = await SseReader.get(mock(), PROXY);
    expect([refused.status, refused.headers['retry-after'], refused.json.error]).toEqual([
      503,
      '7',
      'Service Unavailable',
    ]);
    mock().injectFault({ kind: 'reset', afterEvents: 2 });
    const tail = await SseReader.get(mock(), PROXY);
    mock().append(...Array.from({ length: 4 }, (_, i) => ({ message: `m${i}` })));
    expect(await tail.finished()).toBe('end');
    expect(tail.frames.map((frame) => frame.event ?? 'entry')).toEqual(['entry', 'entry', 'reset']);
    mock().injectFault({ kind: 'drop', afterEvents: 1 });
    const dropped = await SseReader.get(mock(), PROXY);
    mock().append({ message: 'one' }, { message: 'two' });
    expect(await dropped.finished()).toBeInstanceOf(Error);
    expect(dropped.frames).toHaveLength(1);
  });

  test('revoking the token sends scope-destroyed and ends the stream', async () => {
    mock().addToken({ token: 'so_test_revoked', scopes: ['logs:read'], tier: 'pro' });
    const tail = await SseReader.get(mock(), PROXY, { token: 'so_test_revoked' });
    mock().revokeToken('so_test_revoked');
    expect(await tail.finished()).toBe('end');
    expect(tail.frames).toEqual([
      { event: 'scope-destroyed', id: undefined, data: JSON.stringify({ reason: 'token_revoked' }) },
    ]);
  });
});

describe('audit-log identities stream', () => {
  const mock = withMock();

  test('sends rows as event: audit-log frames with ids; severities map onto four', async () => {
    const tail = await SseReader.get(mock(), AUDIT);
    expect(tail.status).toBe(200);
    const appended = mock().append(
      {
        message: 'login failed for bob',
        source: 'auth-service',
        level: 'warn',
        event: 'login_failed',
        actor: 'user:bob',
      },
      { message: 'kicked', source: 'fivem', level: 'error', event: 'player_kick', actor: 'admin:Mitch' },
      { message: 'tick', level: 'debug' },
    );
    await tail.until((t) => t.frames.length === 3);
    expect(tail.frames.map((frame) => [frame.event, frame.id])).toEqual(
      appended.map((added) => ['audit-log', added.cursor]),
    );
    const [login, kick, tick] = tail.named('audit-log');
    expect(login).toEqual({
      id: appended[0]!.event.event_id,
      created_at: appended[0]!.event.ts,
      action: 'auth-service.login_failed',
      category: 'auth',
      severity: 'warning',
      outcome: 'failure',
      actor_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      actor_type: 'user',
      actor_label: 'bob',
      resource_type: 'event',
      resource_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      resource_label: 'login failed for bob',
      correlation_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      application_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      environment_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      metadata: { source: 'auth-service', event: 'login_failed', payload: {} },
    });
    expect(kick).toMatchObject({
      severity: 'critical',
      outcome: 'denied',
      actor_type: 'admin',
      actor_label: 'Mitch',
    });
    expect(tick).toMatchObject({
      severity: 'info',
      outcome: 'success',
      actor_type: 'system',
      action: 'log.event',
    });
    tail.close();
  });

  test('records its own tails: audit.live_tail.started and .ended rows reach other streams', async () => {
    const watcher = await SseReader.get(mock(), `${AUDIT}?category=audit`);
    const other = await SseReader.get(mock(), AUDIT);
    await watcher.until((t) => t.frames.length === 1);
    other.close();
    await watcher.until((t) => t.frames.length === 2);
    expect(watcher.named('audit-log').map((row) => row.action)).toEqual([
      'audit.live_tail.started',
      'audit.live_tail.ended',
    ]);
    expect(other.frames).toEqual([]);
    watcher.close();
  });

  test('filters: repeated or comma-separated action, severity, actor_id, full-text q', async () => {
    const byAction = await SseReader.get(mock(), `${AUDIT}?action=api.a&action=api.b,api.c`);
    const bySeverity = await SseReader.get(mock(), `${AUDIT}?severity=critical&outcome=failure`);
    const byText = await SseReader.get(mock(), `${AUDIT}?q=NEEDLE`);
    mock().append(
      { message: 'a', source: 'api', event: 'a' },
      { message: 'b', source: 'api', event: 'b', level: 'critical' },
      { message: 'c', source: 'api', event: 'c', meta: { note: 'has a needle' } },
      { message: 'd', source: 'api', event: 'd', actor: 'user:needleman' },
    );
    await byAction.until((t) => t.frames.length === 3);
    await bySeverity.until((t) => t.frames.length === 1);
    await byText.until((t) => t.frames.length === 2);
    expect(byAction.named('audit-log').map((row) => row.resource_label)).toEqual(['a', 'b', 'c']);
    expect(bySeverity.named('audit-log')[0]).toMatchObject({ resource_label: 'b' });
    expect(byText.named('audit-log').map((row) => row.resource_label)).toEqual(['c', 'd']);
    const actorId = byText.named('audit-log')[1].actor_id;
    const byActor = await SseReader.get(mock(), `${AUDIT}?actor_id=${actorId}`);
    mock().append({ message: 'e', actor: 'user:needleman' }, { message: 'f', actor: 'user:other' });
    await byActor.until((t) => t.frames.length === 1);
    expect(byActor.named('audit-log')[0]).toMatchObject({ resource_label: 'e' });
    for (const tail of [byAction, bySeverity, byText, byActor]) tail.close();
  });

  test.each([
    ['category=nope', /category must be one of auth, identity/],
    ['severity=error', /severity must be one of info, notice, warning, critical/],
    ['actor_id=42', /actor_id must be a UUID/],
    ['from=yesterday', /from must be a date-time/],
    ['limit=500', /limit must be an integer from 1 to 200/],
  ])('an invalid parameter (%s) is a 400 in the plain error shape', async (query, message) => {
    const answer = await SseReader.get(mock(), `${AUDIT}?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(message),
    });
  });

  test('resumes with Last-Event-ID, with gap and reset as on the other streams', async () => {
    const appended = mock().append(...Array.from({ length: 5 }, (_, i) => ({ message: `m${i}` })));
    const tail = await SseReader.get(mock(), AUDIT, { lastEventId: appended[2]!.cursor });
    await tail.until((t) => t.frames.length === 2);
    expect(tail.named('audit-log').map((row) => row.resource_label)).toEqual(['m3', 'm4']);
    tail.close();
    await mock().restart();
    const reset = await SseReader.get(mock(), AUDIT, { lastEventId: appended[4]!.cursor });
    expect(await reset.finished()).toBe('end');
    expect(reset.frames.map((frame) => frame.event)).toEqual(['reset']);
  });

  test('errors: bad token 401, another account 403, no scope 403', async () => {
    const noToken = await SseReader.get(mock(), AUDIT, { token: 'so_test_unknown' });
    expect(noToken.status).toBe(401);
    expect(noToken.headers['www-authenticate']).toBe('Bearer');
    expect(noToken.json).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Invalid or expired token: unknown or revoked token',
    });
    const other = await SseReader.get(mock(), '/portal/v1/accounts/someone-else/audit-log/identities/stream');
    expect(other.json).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: expect.stringContaining('someone-else'),
    });
    const prefixed = await SseReader.get(
      mock(),
      '/portal/v1/accounts/org_sotail_dev/audit-log/identities/stream',
    );
    expect(prefixed.status).toBe(200);
    prefixed.close();
    mock().addToken({ token: 'so_test_writer', scopes: ['logs:write'], tier: 'pro' });
    const writer = await SseReader.get(mock(), AUDIT, { token: 'so_test_writer' });
    expect(writer.json).toMatchObject({ statusCode: 403, error: 'Forbidden' });
  });

  test('ten streams per account across tokens, not three per token; the eleventh is a 429', async () => {
    mock().addToken({ token: 'so_test_second', scopes: ['logs:read'], tier: 'pro' });
    const open: SseReader[] = [];
    for (let i = 0; i < 10; i++) {
      const tail = await SseReader.get(mock(), AUDIT, { token: i % 2 ? DEV_TOKEN : 'so_test_second' });
      expect(tail.status).toBe(200);
      open.push(tail);
    }
    const eleventh = await SseReader.get(mock(), AUDIT);
    expect(eleventh.json).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringContaining('concurrency limit'),
    });
    // The audit streams use none of the token's /query/tail slots.
    const queryTail = await SseReader.open(mock(), { q: '' });
    expect(queryTail.status).toBe(200);
    for (const tail of [...open, queryTail]) tail.close();
  });

  test('has no idle end (only its 30-minute cap), unlike the proxy-logs stream', async () => {
    const server = await startTestMock({ idleTimeoutMs: 50 });
    const audit = await SseReader.get(server, AUDIT);
    const proxy = await SseReader.get(server, PROXY);
    expect(await proxy.finished()).toBe('end');
    await audit.until((t) => t.comments.length >= 4);
    expect(audit.ended).toBeUndefined();
    audit.close();
  });
});
