import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IDEMPOTENCY_FIELD,
  invalidUtf8At,
  type LineOptions,
  parseIngestLine,
} from '../../src/ingest/parse-entry.js';
import { MAX_PAYLOAD_DEPTH } from '../../src/model/limits.js';

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

  it('a carried key that a header could not carry unchanged makes the line invalid, never replaced by another', () => {
    for (const [key, why] of [
      ['', 'must be 1 to 255 characters'],
      ['k'.repeat(256), 'must be 1 to 255 characters'],
      ['line\nbreak', 'must be printable ASCII'],
      [42, 'must be a string'],
    ] as const) {
      const parsed = parseIngestLine(JSON.stringify({ message: 'm', [IDEMPOTENCY_FIELD]: key }), auto);
      expect(parsed.kind).toBe('invalid');
      expect((parsed as { reason: string }).reason).toContain(`"${IDEMPOTENCY_FIELD}" ${why}`);
    }
    expect(parseIngestLine(JSON.stringify({ message: 'm', [IDEMPOTENCY_FIELD]: null }), auto)).toEqual({
      kind: 'entry',
      entry: { level: 'info', message: 'm' },
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

  it('rejects meta nested past the shared limit, naming the path, without overflowing the stack', () => {
    const deep = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const parsed = parseIngestLine(`{"message":"deep","meta":${deep(6_000)}}`, auto);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.reason).toMatch(
      new RegExp(`^"meta" is nested deeper than ${MAX_PAYLOAD_DEPTH} levels \\(at meta(\\.a){32}\\)$`),
    );
    // Unknown top-level keys go into meta, so they are held to the same limit.
    expect(parseIngestLine(`{"message":"deep","data":${deep(MAX_PAYLOAD_DEPTH)}}`, auto).kind).toBe(
      'invalid',
    );
    expect(parseIngestLine(`{"message":"ok","meta":${deep(MAX_PAYLOAD_DEPTH - 1)}}`, auto).kind).toBe(
      'entry',
    );
  });

  it.each([
    [
      'RFC 3339 time then a level word (kubectl logs --timestamps)',
      '2026-11-22T01:02:03Z ERROR db down',
      { level: 'error', message: 'db down', ts: '2026-11-22T01:02:03Z' },
    ],
    [
      'nanoseconds and an offset, no level word',
      '2026-11-22T01:02:03.123456789+01:00 cache warmed',
      { level: 'info', message: 'cache warmed', ts: '2026-11-22T01:02:03.123456789+01:00' },
    ],
    [
      'a bracketed time and a bracketed level',
      '[2026-11-22 01:02:03Z] [warn] disk 91%',
      { level: 'warn', message: 'disk 91%', ts: '2026-11-22 01:02:03Z' },
    ],
    [
      'a date that does not exist stays text',
      '2026-02-30T00:00:00Z ERROR x',
      { level: 'info', message: '2026-02-30T00:00:00Z ERROR x' },
    ],
  ] as const)('text: %s', (_name, line, entry) => {
    expect(parseIngestLine(line, auto)).toEqual({ kind: 'entry', entry });
  });

  it('rejects bytes that are not UTF-8, saying where, and accepts real UTF-8', () => {
    expect(parseIngestLine(Buffer.from([0x6f, 0x6b, 0xc3, 0x28]), auto)).toEqual({
      kind: 'invalid',
      reason: 'not valid UTF-8 (byte 3 of the line)',
    });
    expect(parseIngestLine(Buffer.from('{"message":"naïve ☃"}'), auto)).toEqual({
      kind: 'entry',
      entry: { level: 'info', message: 'naïve ☃' },
    });
  });

  it.each([
    [[0x80], 0],
    [[0x61, 0xc0, 0x80], 1],
    [[0xe0, 0x80, 0x80], 0],
    [[0xed, 0xa0, 0x80], 0],
    [[0xf4, 0x90, 0x80, 0x80], 0],
    [[0x61, 0x62, 0xe2, 0x82], 2],
  ])('finds the first bad byte of %j at %i', (bytes, at) => {
    expect(invalidUtf8At(Uint8Array.from(bytes))).toBe(at);
  });

  it('fuzz: meta of any depth and shape is an entry within the limit and invalid past it, never a throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 2 * MAX_PAYLOAD_DEPTH }), fc.integer({ min: 1, max: 5_000 })),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        (depth, shapes) => {
          // Nested objects and arrays, mixed, `depth` deep in all: meta itself is depth 1.
          let inner = '1';
          for (let level = depth - 1; level >= 1; level -= 1) {
            inner = shapes[level % shapes.length] ? `[${inner}]` : `{"k":${inner}}`;
          }
          const parsed = parseIngestLine(`{"message":"m","meta":{"top":${inner}}}`, auto);
          expect(parsed.kind).toBe(depth <= MAX_PAYLOAD_DEPTH ? 'entry' : 'invalid');
        },
      ),
    );
  });
});
