import { describe, expect, it } from 'vitest';
import { type Expr, parseQuery } from '../../src/soql/index.js';

/** The tree without positions, which the shape checks do not care about. */
function shape(query: string): unknown {
  return JSON.parse(JSON.stringify(parseQuery(query).filter), (key, value) =>
    key === 'position' || key === 'raw' ? undefined : value,
  );
}

const compare = (field: string, op: string, value: unknown) => ({ kind: 'compare', field, op, value });
const text = (value: string) => ({ kind: 'string', value });

describe('parseQuery', () => {
  it('takes an empty or blank query as no filter', () => {
    expect(parseQuery('')).toEqual({ source: '', filter: null, groupBy: null, groupByPosition: null });
    expect(parseQuery(' \n\t ')).toEqual({
      source: ' \n\t ',
      filter: null,
      groupBy: null,
      groupByPosition: null,
    });
  });

  it('keeps the source text and the positions of fields and values', () => {
    const parsed = parseQuery('  source == "a b"');
    expect(parsed.source).toBe('  source == "a b"');
    expect(parsed.filter).toEqual({
      kind: 'compare',
      field: 'source',
      op: '==',
      value: { kind: 'string', value: 'a b', raw: 'a b', position: 12 },
      position: 2,
    } satisfies Expr);
  });

  it('flattens AND and OR chains and gives NOT > AND > OR', () => {
    expect(shape('source == a AND actor == b AND event == c')).toEqual({
      kind: 'and',
      items: [
        compare('source', '==', text('a')),
        compare('actor', '==', text('b')),
        compare('event', '==', text('c')),
      ],
    });
    expect(shape('source == a OR NOT source == b AND source == c')).toEqual({
      kind: 'or',
      items: [
        compare('source', '==', text('a')),
        {
          kind: 'and',
          items: [
            { kind: 'not', expr: compare('source', '==', text('b')) },
            compare('source', '==', text('c')),
          ],
        },
      ],
    });
    expect(shape('(source == a || source == b) && !(source == c)')).toEqual({
      kind: 'and',
      items: [
        { kind: 'or', items: [compare('source', '==', text('a')), compare('source', '==', text('b'))] },
        { kind: 'not', expr: compare('source', '==', text('c')) },
      ],
    });
  });

  it('canonicalises operators, aliases and keywords', () => {
    expect(shape('msg = x')).toEqual(compare('message', '==', text('x')));
    expect(shape('service != x')).toEqual(compare('source', '!=', text('x')));
    expect(shape('Meta.User contains x')).toEqual(compare('payload.User', 'contains', text('x')));
    expect(shape('message StartsWith x')).toEqual(compare('message', 'startswith', text('x')));
    expect(shape('message !~ x')).toEqual(compare('message', '!~', text('x')));
    expect(shape('source NOT IN (a)')).toEqual({
      kind: 'not',
      expr: { kind: 'in', field: 'source', values: [text('a')] },
    });
    expect(shape('actor not exists')).toEqual({ kind: 'not', expr: { kind: 'exists', field: 'actor' } });
    expect(shape('message NOT CONTAINS x')).toEqual({
      kind: 'not',
      expr: compare('message', 'contains', text('x')),
    });
  });

  it('types values: numbers, booleans, null, text, by field severity and time', () => {
    expect(shape('payload.n == 42')).toEqual(compare('payload.n', '==', { kind: 'number', value: 42 }));
    expect(shape('payload.n > -1.5e3')).toEqual(compare('payload.n', '>', { kind: 'number', value: -1500 }));
    expect(shape('payload.n == "42"')).toEqual(compare('payload.n', '==', text('42')));
    expect(shape('payload.n == 1.2.3')).toEqual(compare('payload.n', '==', text('1.2.3')));
    expect(shape('payload.f == TRUE')).toEqual(compare('payload.f', '==', { kind: 'boolean', value: true }));
    expect(shape('payload.f != null')).toEqual(compare('payload.f', '!=', { kind: 'null', value: null }));
    expect(shape('level >= WARNING')).toEqual(
      compare('severity', '>=', { kind: 'severity', value: 'warn', rank: 3 }),
    );
    expect(shape('level IN (fatal, "err")')).toEqual({
      kind: 'in',
      field: 'severity',
      values: [
        { kind: 'severity', value: 'critical', rank: 5 },
        { kind: 'severity', value: 'error', rank: 4 },
      ],
    });
    expect(shape('ts >= 2026-05-17T12:00:00.5+02:00')).toEqual(
      compare('ts', '>=', { kind: 'time', value: Date.parse('2026-05-17T10:00:00.500Z') }),
    );
    expect(shape('ts < 0001-01-01')).toEqual(
      compare('ts', '<', { kind: 'time', value: Date.parse('0001-01-01T00:00:00Z') }),
    );
    // Text operators take any value as text, even next to severity or ts.
    expect(shape('message ~ 42')).toEqual(compare('message', '~', text('42')));
    expect(shape('severity ~ "warn|err"')).toEqual(compare('severity', '~', text('warn|err')));
  });

  it('unescapes strings, keeping unknown escapes for regexes', () => {
    expect(shape(String.raw`message == "a\"b\\c\n\t\u00e9\d"`)).toEqual(
      compare('message', '==', text('a"b\\c\n\té\\d')),
    );
    expect(shape(String.raw`message == 'it\'s "x"'`)).toEqual(compare('message', '==', text(`it's "x"`)));
  });

  it('reads a bare quoted string as full text', () => {
    expect(shape('"time out" AND severity >= error')).toEqual({
      kind: 'and',
      items: [
        { kind: 'fulltext', text: 'time out' },
        compare('severity', '>=', { kind: 'severity', value: 'error', rank: 4 }),
      ],
    });
  });

  it('takes GROUP BY last, with canonical fields, with or without a filter', () => {
    expect(parseQuery('GROUP BY level, meta.a.b')).toMatchObject({
      filter: null,
      groupBy: ['severity', 'payload.a.b'],
      groupByPosition: 0,
    });
    expect(parseQuery('severity >= warn group by source')).toMatchObject({
      groupBy: ['source'],
      groupByPosition: 17,
    });
    expect(parseQuery('severity >= warn').groupBy).toBeNull();
  });

  it('reads long queries in linear time', () => {
    const terms = Array.from({ length: 3_000 }, (_, i) => `source == s${i}`);
    const parsed = parseQuery(terms.join(' OR '));
    expect(parsed.filter).toMatchObject({ kind: 'or' });
    expect((parsed.filter as { items: unknown[] }).items).toHaveLength(3_000);
  });
});
