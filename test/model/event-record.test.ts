/**
 * The one field table: every stream shape of docs/api.md read into the same common fields, and a
 * record read before and after it is mapped for display gives the same fields (so a pretty line,
 * a table, `--fields`, the live view and a `--url` filter all agree whichever they are given).
 */
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import {
  COMMON_FIELD_KEYS,
  displayRecord,
  type EventRecord,
  eventMessage,
  eventSeverity,
  eventSource,
  eventTime,
  toCommonEvent,
} from '../../src/model/event-record.js';

const NATIVE = {
  event_id: '019b2f4e-8a0c-7b1e-9d3a-5c1e2f3a4b5c',
  ts: '2026-05-17T10:00:00.123Z',
  severity: 'error',
  actor: 'admin:Mitch',
  source: 'fivem',
  message: 'VAC kick',
  payload: { target: '1337' },
};

/** docs/api.md "Proxy logs", as the mock sends it. */
const PROXY = {
  id: 1042,
  traceId: '019b2f4e-8a0c-7b1e-9d3a-5c1e2f3a4b5c',
  tsMs: 1779012000123,
  tsIso: '2026-05-17T10:00:00.123Z',
  kind: 'response',
  level: 'warn',
  projectId: 'prj_sotail_dev',
  containerId: 'cnt_1f2e3d4c',
  serviceName: 'api',
  method: 'GET',
  url: '/v1/users',
  clientIp: null,
  status: 404,
  data: { message: 'GET /v1/users 404 12ms', payload: {} },
  source: 'backend',
};

/** docs/api.md "Identity audit log", as the mock sends it. */
const AUDIT = {
  id: '019b2f4e-8a0c-7b1e-9d3a-5c1e2f3a4b5c',
  created_at: '2026-05-17T10:00:00.123Z',
  action: 'payments.charge_failed',
  category: 'billing',
  severity: 'critical',
  outcome: 'failure',
  actor_type: 'customer',
  actor_label: 'cus_1a2b3c4d',
  resource_type: 'billing',
  resource_label: 'charge of 12.00 usd declined',
  metadata: { source: 'payments', event: 'charge_failed', dataset: 'billing', payload: {} },
};

describe('the common fields of each stream shape', () => {
  test.each<[string, EventRecord, [string | undefined, string | undefined, string | undefined, string]]>([
    ['a native event', NATIVE, ['2026-05-17T10:00:00.123Z', 'error', 'fivem', 'VAC kick']],
    [
      'a proxy-log entry: serviceName, not its tier in `source`; the message in data',
      PROXY,
      ['2026-05-17T10:00:00.123Z', 'warn', 'api', 'GET /v1/users 404 12ms'],
    ],
    [
      'a proxy-log entry without a message: the request line',
      { ...PROXY, data: {} },
      ['2026-05-17T10:00:00.123Z', 'warn', 'api', 'GET /v1/users 404'],
    ],
    [
      'an audit row: the service from metadata, never the actor; the action and what it acted on',
      AUDIT,
      [
        '2026-05-17T10:00:00.123Z',
        'critical',
        'payments',
        'payments.charge_failed charge of 12.00 usd declined',
      ],
    ],
    [
      'an audit row of a system actor without metadata: no source rather than the actor',
      { ...AUDIT, actor_type: 'system', metadata: undefined },
      [
        '2026-05-17T10:00:00.123Z',
        'critical',
        undefined,
        'payments.charge_failed charge of 12.00 usd declined',
      ],
    ],
    [
      'an audit row at `warning`: the scale`s `warn`',
      { ...AUDIT, severity: 'warning' },
      ['2026-05-17T10:00:00.123Z', 'warn', 'payments', 'payments.charge_failed charge of 12.00 usd declined'],
    ],
    [
      'a generic stream: msg, service, epoch seconds in `time`',
      { msg: 'hi', service: 'svc', time: 1_700_000_000, level: 'INFO' },
      ['2023-11-14T22:13:20.000Z', 'info', 'svc', 'hi'],
    ],
    ['nothing known', { a: 1 }, [undefined, undefined, undefined, '']],
  ])('%s', (_name, record, [ts, severity, source, message]) => {
    expect([eventSeverity(record), eventSource(record), eventMessage(record)]).toEqual([
      severity,
      source,
      message,
    ]);
    expect(toCommonEvent(record)).toEqual({ ts, severity, source, message });
    const shown = displayRecord(record);
    expect([shown.ts, shown.severity, shown.source, shown.message]).toEqual([ts, severity, source, message]);
  });

  it('keeps a native event as it is, and puts what another shape carried under payload', () => {
    expect(displayRecord(NATIVE)).toBe(NATIVE);
    const shown = displayRecord(AUDIT);
    expect(shown.payload).toMatchObject({ actor_label: 'cus_1a2b3c4d', action: 'payments.charge_failed' });
    expect(shown.payload).not.toHaveProperty('created_at');
  });

  it('reads the API`s own names first in every row but source', () => {
    expect(COMMON_FIELD_KEYS.ts[0]).toBe('ts');
    expect(COMMON_FIELD_KEYS.severity[0]).toBe('severity');
    expect(COMMON_FIELD_KEYS.message[0]).toBe('message');
    expect(COMMON_FIELD_KEYS.source).not.toContain('actor_label');
  });
});

describe('one table, read before and after mapping', () => {
  const keys = fc.constantFrom(
    ...Object.values(COMMON_FIELD_KEYS).flat(),
    'actor_label',
    'actor',
    'metadata',
    'data',
    'url',
    'path',
    'method',
    'status',
    'action',
    'resource_label',
    'event',
    'payload',
  );
  const value = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('', 'WARNING', 'err', '2026-05-17T12:00:00+02:00', 'yesterday'),
    fc.integer(),
    fc.double(),
    fc.constantFrom(1e300, 1_700_000_000, 1_779_012_000_123, -0),
    fc.record({ source: fc.string({ maxLength: 5 }), message: fc.string({ maxLength: 5 }) }),
    fc.constant(null),
  );

  it('gives the same fields from the record as from its display record', () => {
    fc.assert(
      fc.property(fc.dictionary(keys, value, { maxKeys: 8 }), (record) => {
        const common = toCommonEvent(record);
        const shown = displayRecord(record);
        expect(eventMessage(shown)).toBe(common.message);
        expect(eventSeverity(shown)).toBe(common.severity);
        expect(eventSource(shown)).toBe(common.source);
        if (shown !== record) expect(eventTime(shown)).toBe(common.ts);
        // Read in place, the record gives the same text before a display record's normalising.
        expect(eventMessage(record)).toBe(common.message);
        expect(eventSeverity(record)?.slice(0, 256)).toBe(common.severity);
        expect(eventSource(record)?.slice(0, 256)).toBe(common.source);
      }),
    );
  });
});
