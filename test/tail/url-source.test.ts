/** The pieces `tail --url` adds: frames of any stream to engine meanings, stream URLs, pretty records. */
import { describe, expect, it, test } from 'vitest';
import { parseStreamUrl } from '../../src/api/transport-policy.js';
import { UsageError } from '../../src/errors.js';
import { createPalette } from '../../src/output/palette.js';
import { formatTailBatch } from '../../src/output/tail-lines.js';
import { interpretShapedFrame } from '../../src/tail/url-source.js';

const ENTRY = {
  id: 7,
  tsMs: 1_779_012_000_123,
  level: 'warn',
  serviceName: 'user-api',
  url: '/v1',
  status: 503,
  source: 'edge',
};

describe('interpretShapedFrame', () => {
  test.each<[string, string, unknown, object]>([
    [
      'a native event, as it is',
      'message',
      { ts: 't', severity: 'info', message: 'm' },
      { kind: 'event', record: { message: 'm' } },
    ],
    [
      'a proxy entry, with a display record',
      'message',
      ENTRY,
      { kind: 'event', record: ENTRY, display: { source: 'user-api' } },
    ],
    [
      'an audit row',
      'audit-log',
      { action: 'a.b', severity: 'notice' },
      { kind: 'event', display: { severity: 'notice', message: 'a.b' } },
    ],
    ['gap', 'gap', { after: '1', resumed_from: '5' }, { kind: 'gap', after: '1', resumedFrom: '5' }],
    ['reset', 'reset', { reason: 'server_restart' }, { kind: 'reset', detail: 'server_restart' }],
    ['scope-destroyed', 'scope-destroyed', {}, { kind: 'scope-destroyed', detail: undefined }],
    ['a log frame that is not an object', 'audit-log', [1], { kind: 'invalid' }],
    ['a log frame that is not JSON', 'audit-log', undefined, { kind: 'invalid' }],
    ['an unknown name', 'ping', {}, { kind: 'ignore' }],
  ])('%s', (_, name, data, expected) => {
    expect(interpretShapedFrame(name, data)).toMatchObject(expected);
  });

  it('gives a native event no display record: it renders as it is', () => {
    expect(interpretShapedFrame('message', { ts: 't', severity: 'info', message: 'm' })).not.toHaveProperty(
      'display',
    );
  });
});

describe('parseStreamUrl', () => {
  it('keeps the query and path as given, drops the fragment', () => {
    expect(parseStreamUrl(' http://h:1/a/stream/?level=error&kind=event#x ').toString()).toBe(
      'http://h:1/a/stream/?level=error&kind=event',
    );
  });

  it.each(['ftp://h/x', 'http://user:pw@h/x', 'not a url'])('refuses %s', (url) => {
    expect(() => parseStreamUrl(url)).toThrow(UsageError);
  });
});

describe('formatTailBatch with display records', () => {
  const palette = createPalette(0);
  const meaning = interpretShapedFrame('message', ENTRY);
  const item = { event: ENTRY, display: meaning.kind === 'event' ? meaning.display : undefined };

  it('NDJSON writes the record as sent; pretty the mapped columns', () => {
    expect(formatTailBatch([{ ...item, raw: JSON.stringify(ENTRY) }], { format: 'ndjson', palette })).toBe(
      `${JSON.stringify(ENTRY)}\n`,
    );
    expect(formatTailBatch([item], { format: 'pretty', palette, utc: true })).toMatch(
      /^10:00:00\.123 WARN {2}user-api {5}\/v1 503 id=7 url=\/v1 status=503 source=edge\n$/,
    );
  });

  it('--fields name the record as sent; in pretty lines the common columns keep their mapping', () => {
    const fields = ['source', 'status'];
    expect(formatTailBatch([item], { format: 'ndjson', palette, fields })).toBe(
      '{"source":"edge","status":503}\n',
    );
    expect(formatTailBatch([item], { format: 'pretty', palette, fields, utc: true })).toMatch(
      /^10:00:00\.123 WARN {2}user-api {5}\/v1 503 source=user-api status=503\n$/,
    );
  });
});
