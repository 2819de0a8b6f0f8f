import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_FIELD, type LineOptions, parseIngestLine } from '../../src/ingest/parse-entry.js';

const auto: LineOptions = { format: 'auto', defaultLevel: 'info' };

describe('parseIngestLine', () => {
  it.each([
    ['text line, default level', 'server started', auto, { level: 'info', message: 'server started' }],
    [
      'text line, level word',
      'ERROR db timeout after 5s',
      auto,
      { level: 'error', message: 'db timeout after 5s' },
    ],
    ['bracketed level', '[warn] disk 91%', auto, { level: 'warn', message: 'disk 91%' }],
    ['level with colon', 'fatal: out of memory', auto, { level: 'critical', message: 'out of memory' }],
    ['level= prefix', 'level=debug cache miss', auto, { level: 'debug', message: 'cache miss' }],
    [
      'a non-level first word stays',
      'Errorless run done',
      auto,
      { level: 'info', message: 'Errorless run done' },
    ],
    ['CRLF ending', 'hello\r', auto, { level: 'info', message: 'hello' }],
    [
      'object with aliases',
      '{"severity":"warning","msg":"slow","payload":{"ms":900},"service":"api"}',
      auto,
      { level: 'warn', message: 'slow', meta: { ms: 900 }, source: 'api' },
    ],
    [
      'unknown keys kept in meta',
      '{"level":"info","message":"hi","user":"u1","meta":{"a":1}}',
      auto,
      { level: 'info', message: 'hi', meta: { a: 1, user: 'u1' } },
    ],
    [
      'defaults fill in, the line wins',
      '{"message":"x","source":"web"}',
      { ...auto, defaults: { source: 'api', dataset: 'prod' }, defaultMeta: { host: 'h1' } },
      { level: 'info', message: 'x', source: 'web', dataset: 'prod', meta: { host: 'h1' } },
    ],
    [
      'text format never parses JSON',
      '{"message":"x"}',
      { ...auto, format: 'text' },
      { level: 'info', message: '{"message":"x"}' },
    ],
  ] as const)('%s', (_name, line, options, entry) => {
    expect(parseIngestLine(line, options)).toEqual({ kind: 'entry', entry });
  });

  it('keeps a dead-lettered key so a re-ingest cannot duplicate', () => {
    expect(parseIngestLine(`{"level":"info","message":"m","${IDEMPOTENCY_FIELD}":"k-1"}`, auto)).toEqual({
      kind: 'entry',
      entry: { level: 'info', message: 'm' },
      idempotencyKey: 'k-1',
    });
  });

  it.each([
    ['bad JSON', '{"message": oops}', /not valid JSON/],
    ['array', '[1,2]', /not a JSON object/],
    ['missing message', '{"level":"info"}', /missing "message"/],
    ['unknown level', '{"level":"loud","message":"x"}', /unknown level "loud"/],
    ['meta not an object', '{"message":"x","meta":[1]}', /"meta" must be an object/],
    ['bad ts', '{"message":"x","ts":"yesterday"}', /"ts" must be an RFC 3339 time/],
  ])('rejects %s', (_name, line, reason) => {
    const parsed = parseIngestLine(line, { ...auto, format: 'ndjson' });
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.reason).toMatch(reason);
  });

  it('NDJSON format rejects a text line', () => {
    expect(parseIngestLine('plain', { ...auto, format: 'ndjson' }).kind).toBe('invalid');
  });

  it('skips blank lines', () => {
    expect(parseIngestLine('   ', auto)).toEqual({ kind: 'blank' });
  });
});
