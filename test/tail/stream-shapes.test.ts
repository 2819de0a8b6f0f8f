/**
 * Classifying SSE frames of any log stream and mapping their records onto the common fields:
 * tables of shapes, a fuzz test, and the two shapes the mock serves read over real HTTP.
 */
import { createParser } from 'eventsource-parser';
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { ApiError } from '../../src/errors.js';
import type { MockServer } from '../../src/mock/index.js';
import {
  displayRecord,
  eventMessage,
  eventSeverity,
  eventSource,
  eventTime,
  toCommonEvent,
} from '../../src/model/event-record.js';
import { Token } from '../../src/model/token.js';
import {
  type ClassifiedFrame,
  classifyFrame,
  classifyRawFrame,
  type LogEventFrame,
} from '../../src/tail/stream-shapes.js';
import { DEV_TOKEN, HOBBY_TOKEN, startTestMock } from '../helpers/mock-server.js';

const PROXY_ENTRY = {
  id: 84321,
  traceId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
  tsMs: 1718201234000,
  tsIso: '2024-06-12T14:33:54.000Z',
  kind: 'request',
  level: 'info',
  projectId: 'proj_a1b2c3d4',
  containerId: 'cnt_x9y8z7w6',
  serviceName: 'user-api',
  method: 'POST',
  url: '/v1/users',
  clientIp: '203.0.113.42',
  status: 201,
  data: { bytesIn: 412 },
  source: 'backend',
};

const AUDIT_ROW = {
  id: 'b6c1…',
  created_at: '2026-05-17T10:00:00.123Z',
  action: 'identity.created',
  severity: 'warning',
  actor_label: 'admin@example.com',
  resource_label: 'alice@example.com',
};

const NATIVE = {
  event_id: '019b2f4e-8a0c-7b1e-9d3a-5c1e2f3a4b5c',
  ts: '2026-05-17T10:00:00.123Z',
  severity: 'error',
  source: 'fivem',
  message: 'VAC kick',
  payload: { target: '1337' },
};

describe('classifyFrame', () => {
  test.each<[string, string | undefined, unknown, Partial<ClassifiedFrame>]>([
    ['an unnamed frame', undefined, NATIVE, { kind: 'event', record: NATIVE }],
    ['the SSE default name', 'message', NATIVE, { kind: 'event' }],
    ['an audit-log frame', 'audit-log', AUDIT_ROW, { kind: 'event', record: AUDIT_ROW }],
    [
      'reset',
      'reset',
      { reason: 'server_restart' },
      { kind: 'control', control: 'reset', reason: 'server_restart' },
    ],
    ['reset without data', 'reset', undefined, { kind: 'control', control: 'reset', data: {} }],
    [
      'gap',
      'gap',
      { after: '12', resumed_from: 20 },
      { kind: 'control', control: 'gap', after: '12', resumedFrom: '20' },
    ],
    [
      'scope-destroyed',
      'scope-destroyed',
      { reason: 'token_revoked' },
      { kind: 'control', control: 'scope-destroyed', reason: 'token_revoked' },
    ],
    ['an unknown name', 'ping', {}, { kind: 'ignore', why: 'unknown-name', reason: 'unknown event "ping"' }],
    [
      'data that is not JSON',
      undefined,
      undefined,
      { kind: 'ignore', why: 'not-json', reason: 'data is not JSON' },
    ],
    [
      'an array',
      undefined,
      [1, 2],
      { kind: 'ignore', why: 'not-object', reason: 'data is not a JSON object' },
    ],
    ['null', 'audit-log', null, { kind: 'ignore', why: 'not-object', reason: 'data is not a JSON object' }],
    [
      'a string',
      undefined,
      'hello',
      { kind: 'ignore', why: 'not-object', reason: 'data is not a JSON object' },
    ],
  ])('%s', (_, name, data, expected) => {
    expect(classifyFrame(name, data)).toMatchObject(expected);
  });

  it('parses data text, and calls text that is not JSON just that', () => {
    expect(classifyRawFrame(undefined, '{"message":"hi"}')).toMatchObject({
      kind: 'event',
      common: { message: 'hi' },
    });
    expect(classifyRawFrame(undefined, '{"message":')).toEqual({
      kind: 'ignore',
      why: 'not-json',
      reason: 'data is not JSON',
    });
    expect(classifyRawFrame('gap', 'nope')).toMatchObject({ kind: 'control', control: 'gap', data: {} });
  });
});

describe('toCommonEvent', () => {
  test.each<[string, Record<string, unknown>, ReturnType<typeof toCommonEvent>]>([
    [
      'a native event',
      NATIVE,
      { ts: '2026-05-17T10:00:00.123Z', severity: 'error', source: 'fivem', message: 'VAC kick' },
    ],
    [
      'a proxy-log entry (serviceName over its backend/edge source; a request line)',
      PROXY_ENTRY,
      { ts: '2024-06-12T14:33:54.000Z', severity: 'info', source: 'user-api', message: 'POST /v1/users 201' },
    ],
    [
      'a proxy entry with only tsMs and a message in data',
      { tsMs: 1718201234102, level: 'WARN', serviceName: 'x', data: { message: 'slow' } },
      { ts: '2024-06-12T14:07:14.102Z', severity: 'warn', source: 'x', message: 'slow' },
    ],
    [
      'an audit row (warning → warn, action + resource; actor_label is who acted, not the source)',
      AUDIT_ROW,
      {
        ts: '2026-05-17T10:00:00.123Z',
        severity: 'warn',
        source: undefined,
        message: 'identity.created alice@example.com',
      },
    ],
    [
      'an audit row whose metadata names the service',
      { ...AUDIT_ROW, metadata: { source: 'payments', payload: {} } },
      {
        ts: '2026-05-17T10:00:00.123Z',
        severity: 'warn',
        source: 'payments',
        message: 'identity.created alice@example.com',
      },
    ],
    [
      'msg, service, epoch seconds, an unknown severity word',
      { msg: 'hi', service: 'svc', time: 1_700_000_000, level: 'Verbose' },
      { ts: '2023-11-14T22:13:20.000Z', severity: 'verbose', source: 'svc', message: 'hi' },
    ],
    [
      'a time that is not a date, kept as sent; an offset time normalised to UTC',
      { ts: 'yesterday-ish', created_at: '2026-05-17T12:00:00+02:00' },
      { ts: 'yesterday-ish', severity: undefined, source: undefined, message: '' },
    ],
    [
      'an out-of-range tsMs, alone: shown as written, as a time that is not a date is',
      { tsMs: 1e300, event: 'tick' },
      { ts: '1e+300', severity: undefined, source: undefined, message: 'tick' },
    ],
    [
      'an out-of-range tsMs beside a time that is one: the time',
      { tsMs: 1e300, time: 1_700_000_000 },
      { ts: '2023-11-14T22:13:20.000Z', severity: undefined, source: undefined, message: '' },
    ],
    ['nothing known', { a: 1 }, { ts: undefined, severity: undefined, source: undefined, message: '' }],
  ])('%s', (_, record, expected) => {
    expect(toCommonEvent(record)).toEqual(expected);
  });

  it('normalises an offset time to UTC', () => {
    expect(toCommonEvent({ created_at: '2026-05-17T12:00:00+02:00' }).ts).toBe('2026-05-17T10:00:00.000Z');
  });
});

function eventFrame(record: Record<string, unknown>): LogEventFrame {
  const frame = classifyFrame(undefined, record);
  if (frame.kind !== 'event') throw new Error('not an event');
  return frame;
}

describe('the cost on the NDJSON path', () => {
  it('works out no common fields for a native event (NDJSON and pretty need none)', () => {
    let reads = 0;
    const record = {
      get ts() {
        reads += 1;
        return '2026-05-17T10:00:00.123Z';
      },
      severity: 'info',
      message: 'm',
    };
    const frame = classifyFrame(undefined, record);
    if (frame.kind !== 'event') throw new Error('not an event');
    expect(displayRecord(frame.record)).toBe(record);
    // One read: the native check. Mapping the time would have been a second.
    expect(reads).toBe(1);
    expect(frame.common.ts).toBe('2026-05-17T10:00:00.123Z');
  });
});

describe('displayRecord', () => {
  it('leaves a native event as it is', () => {
    expect(displayRecord(eventFrame(NATIVE).record)).toBe(NATIVE);
  });

  it('puts the common fields first and the rest under payload, without the fields read or nulls', () => {
    const shown = displayRecord(eventFrame({ ...PROXY_ENTRY, clientIp: null }).record);
    expect(shown).toEqual({
      ts: '2024-06-12T14:33:54.000Z',
      severity: 'info',
      source: 'user-api',
      message: 'POST /v1/users 201',
      payload: {
        id: 84321,
        traceId: PROXY_ENTRY.traceId,
        kind: 'request',
        projectId: 'proj_a1b2c3d4',
        containerId: 'cnt_x9y8z7w6',
        method: 'POST',
        url: '/v1/users',
        status: 201,
        data: { bytesIn: 412 },
        source: 'backend',
      },
    });
    // The renderer's own field lookups now read the right values.
    expect([eventTime(shown), eventSeverity(shown), eventSource(shown), eventMessage(shown)]).toEqual([
      '2024-06-12T14:33:54.000Z',
      'info',
      'user-api',
      'POST /v1/users 201',
    ]);
  });
});

describe('fuzz', () => {
  it('never throws on any JSON value and any name, and always yields a string message', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: undefined }), fc.jsonValue(), (name, data) => {
        const frame = classifyFrame(name, data);
        if (frame.kind === 'event') expect(typeof displayRecord(frame.record).message).toBe('string');
      }),
    );
  });

  it('never throws on records with hostile values in every known key', () => {
    const hostile = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(1e300, -1e300, -0, Number.MAX_SAFE_INTEGER, '\u0000\u001b[31m', '\ud800', ''),
    );
    const keys = fc.constantFrom(
      'ts',
      'tsIso',
      'tsMs',
      'time',
      'timestamp',
      'created_at',
      'level',
      'severity',
      'serviceName',
      'service',
      'source',
      'actor_label',
      'actor',
      'message',
      'msg',
      'data',
      'url',
      'method',
      'status',
      'action',
      'resource_label',
      'event',
      '__proto__',
    );
    fc.assert(
      fc.property(fc.dictionary(keys, hostile), (record) => {
        const frame = classifyFrame('audit-log', record);
        if (frame.kind === 'event') displayRecord(frame.record);
      }),
    );
  });

  it('never throws on arbitrary data text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        classifyRawFrame(undefined, text);
      }),
    );
  });

  it('handles a record nested 100,000 deep without walking it', () => {
    const deep = `${'{"data":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const frame = classifyRawFrame(undefined, deep);
    expect(frame).toMatchObject({ kind: 'event', common: { message: '' } });
  });
});

describe('the mock streams, read over HTTP', () => {
  async function readFrames(
    path: string,
    count: number,
    append: (server: MockServer) => void,
  ): Promise<ClassifiedFrame[]> {
    const server = await startTestMock();
    const client = new ApiClient({ baseUrl: server.url, token: Token.from(DEV_TOKEN), userAgent: 'test' });
    const abort = new AbortController();
    try {
      const response = await client.openStream({ method: 'GET', url: path, signal: abort.signal });
      append(server);
      const frames: ClassifiedFrame[] = [];
      const parser = createParser({
        onEvent: (event) => frames.push(classifyRawFrame(event.event, event.data)),
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        parser.feed(decoder.decode(chunk, { stream: true }));
        if (frames.length >= count) break;
      }
      return frames;
    } finally {
      abort.abort();
      await client.close();
    }
  }

  it('maps the proxy-logs and audit-log shapes onto the same common fields', async () => {
    const input = {
      message: 'charge declined',
      source: 'payments',
      level: 'warning',
      ts: '2026-05-17T10:00:00.123Z',
      actor: 'customer:cus_1',
    };
    const proxy = await readFrames('/api/proxy-logs/_logs/stream', 1, (server) => server.append(input));
    const audit = await readFrames(
      '/portal/v1/accounts/sotail_dev/audit-log/identities/stream',
      1,
      (server) => server.append(input),
    );
    expect(proxy[0]).toMatchObject({
      kind: 'event',
      common: {
        ts: '2026-05-17T10:00:00.123Z',
        severity: 'warn',
        source: 'payments',
        message: 'charge declined',
      },
    });
    expect(audit[0]).toMatchObject({
      kind: 'event',
      common: {
        ts: '2026-05-17T10:00:00.123Z',
        severity: 'warn',
        // The service that logged it (the row's metadata), not the actor's label (cus_1).
        source: 'payments',
        message: 'payments.event charge declined',
      },
    });
  });

  it('shows the plain error shape of these streams as the server worded it', async () => {
    const server = await startTestMock();
    const client = new ApiClient({ baseUrl: server.url, token: Token.from(HOBBY_TOKEN), userAgent: 'test' });
    try {
      const error = await client
        .openStream({
          method: 'GET',
          url: '/api/proxy-logs/_logs/stream',
          signal: new AbortController().signal,
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        status: 402,
        code: 'http_402',
        message: 'Live tail needs a paid plan: upgrade at /dashboard/billing/plan',
        extra: { error: 'Payment Required' },
      });
    } finally {
      await client.close();
    }
  });
});
