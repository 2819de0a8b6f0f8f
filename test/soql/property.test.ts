import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_FIELDS } from '../../src/model/event.js';
import {
  compileFilter,
  compileQuery,
  type ParsedQuery,
  parseQuery,
  renderCaret,
  SoqlParseError,
} from '../../src/soql/index.js';
import { EVENTS } from './fixtures.js';

/** Parses, or returns the SoqlParseError; anything else thrown fails the property. */
function tryParse(query: string): ParsedQuery | SoqlParseError {
  try {
    return parseQuery(query);
  } catch (error) {
    if (error instanceof SoqlParseError) return error;
    throw error;
  }
}

function checkError(query: string, error: SoqlParseError): void {
  expect(error.position).toBeGreaterThanOrEqual(0);
  expect(error.position).toBeLessThanOrEqual(query.length);
  expect(error.near.length).toBeGreaterThan(0);
  expect(error.message.length).toBeGreaterThan(0);
  expect(renderCaret(query, error.position).split('\n')).toHaveLength(2);
}

const VOCABULARY = [
  ...['severity', 'level', 'source', 'service', 'message', 'msg', 'actor', 'ts', 'ingested_at', 'bytes_raw'],
  ...['payload', 'payload.user', 'meta.a.b', 'payload.', 'meta..x', 'sevrity', 'x.y'],
  ...['==', '=', '!=', '<', '<=', '>', '>=', '~', '!~', '!', '&&', '||', '&', '|', '==='],
  ...['AND', 'or', 'Not', 'IN', 'contains', 'STARTSWITH', 'exists', 'GROUP', 'BY', 'group by'],
  ...['(', ')', ',', '"', "'", '\\', '"a b"', "'it\\'s'", '"\\u00e9"', '"\\u12"', '"(?i)x"', '"(x"'],
  ...['warn', 'WARNING', 'fatal', 'loud', 'true', 'null', '42', '-1.5e3', '1.2.3', 'api', 'auth-service'],
  ...['2026-05-17T10:00:00Z', '2026-05-17', '2026-02-30', '1779012000000', '\n', '\t', '😀'],
];

// Any code points, lone surrogates included, half of them ASCII where the grammar lives. (Built
// from integers: fast-check's 'binary' strings cost ~10 ms each to generate, the whole test's time.)
const anyCodePoint = fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0x10ffff }));
const anyText = fc
  .array(anyCodePoint, { maxLength: 60 })
  .map((codePoints) => String.fromCodePoint(...codePoints));

const tokenSoup = fc
  .tuple(fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 24 }), fc.constantFrom(' ', ''))
  .map(([tokens, separator]) => tokens.join(separator));

const weirdValue = fc.oneof(
  fc.anything({ maxDepth: 2, withNullPrototype: true }),
  fc.constantFrom(
    'warn',
    'WARNING',
    'Err',
    'api',
    '42',
    '2026-05-17T10:00:00.000Z',
    '2026-05-17T12:00:00+02:00',
  ),
  fc.double(),
);
const FIELD_KEYS = EVENT_FIELDS.filter((name) => name !== 'payload');
const randomEvent = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...FIELD_KEYS), weirdValue),
    fc.oneof(weirdValue, fc.dictionary(fc.constantFrom('user', 'a', 'n', 'constructor'), weirdValue)),
  )
  .map(([fields, payload]) => ({ ...fields, payload }) as Record<string, unknown>);

// Queries from the grammar, with values that fit their fields, so that every one must parse.
const severityCondition = fc
  .tuple(
    fc.constantFrom('severity', 'level', 'LEVEL'),
    fc.constantFrom('==', '=', '!=', '<', '<=', '>', '>='),
    fc.constantFrom(
      'debug',
      'info',
      'notice',
      'warn',
      'warning',
      'ERROR',
      'err',
      'critical',
      'fatal',
      '"warn"',
    ),
  )
  .map((parts) => parts.join(' '));
const timeCondition = fc
  .tuple(
    fc.constantFrom('ts', 'ingested_at'),
    fc.constantFrom('==', '!=', '<', '<=', '>', '>='),
    fc.constantFrom('2026-05-17T10:00:00Z', '"2026-05-17"', '1779012000000', '2026-05-17T12:00:00.5+02:00'),
  )
  .map((parts) => parts.join(' '));
const field = fc.constantFrom(
  'source',
  'service',
  'message',
  'msg',
  'actor',
  'bytes_raw',
  'payload.user',
  'meta.a.b',
);
const value = fc.oneof(
  fc.constantFrom('api', 'auth-service', 'admin:Mitch', '42', '-1.5', 'true', 'null', '2026-05-17T10:00:00Z'),
  fc.string({ maxLength: 12 }).map((text) => JSON.stringify(text)),
);
const orderValue = fc.oneof(
  fc.constantFrom('api', '42', '-1.5'),
  fc.string({ maxLength: 8 }).map((t) => JSON.stringify(t)),
);
const genericCondition = fc.oneof(
  fc
    .tuple(field, fc.constantFrom('==', '=', '!=', 'CONTAINS', 'startswith', 'NOT CONTAINS'), value)
    .map((p) => p.join(' ')),
  fc.tuple(field, fc.constantFrom('<', '<=', '>', '>='), orderValue).map((p) => p.join(' ')),
  fc
    .tuple(field, fc.constantFrom('~', '!~'), fc.constantFrom('"time(d)? ?out"', '"(?i)^a"', '\\d+', 'x'))
    .map((p) => p.join(' ')),
  fc
    .tuple(field, fc.constantFrom('IN', 'NOT IN'), fc.array(value, { minLength: 1, maxLength: 4 }))
    .map(([f, op, values]) => `${f} ${op} (${values.join(', ')})`),
  fc.tuple(field, fc.constantFrom('EXISTS', 'NOT EXISTS')).map((p) => p.join(' ')),
  fc.string({ maxLength: 10 }).map((text) => JSON.stringify(text)),
);
const condition = fc.oneof(severityCondition, timeCondition, genericCondition);
const { query: validFilter } = fc.letrec<{ query: string }>((tie) => ({
  query: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    tie('query').map((q) => `NOT ${q}`),
    tie('query').map((q) => `!(${q})`),
    tie('query').map((q) => `(${q})`),
    fc
      .tuple(tie('query'), fc.constantFrom('AND', 'and', '&&', 'OR', '||'), tie('query'))
      .map((p) => p.join(' ')),
  ),
}));
const validQuery = fc
  .tuple(validFilter, fc.option(fc.constantFrom(' GROUP BY source', ' group by level, meta.user')))
  .map(([filter, groupBy]) => `${filter}${groupBy ?? ''}`);

// Regex pieces, the catastrophic kind included: nested and overlapping quantifiers, alternations
// that match the same text, large counted repeats, and syntax RE2 refuses.
const REGEX_PIECES = [
  ...['a', 'b', '.', '\\d', '\\w', '\\s', '[a-c]', '[^!]', '\\pL', '\\b', '^', '$', '!'],
  ...['(', ')', '(?:', '(?i)', '(?s)', '(?i:', '|', 'a|aa', '(a+)+', '(a|a)*', '(.*a){12}'],
  ...['*', '+', '?', '*?', '{2}', '{2,}', '{0,30}', '{1000}', '{1001}', '**', '\\1', '(?=', '(?<!', '['],
];
const regexPattern = fc
  .array(fc.constantFrom(...REGEX_PIECES), { maxLength: 12 })
  .map((parts) => parts.join(''));
/** `pattern` inside a double-quoted SOQL string, so that the regex sees exactly `pattern`. */
const quoted = (pattern: string): string => `"${pattern.replace(/[\\"]/g, '\\$&')}"`;
const NEAR_MISSES = [
  { message: `${'a'.repeat(64)}!` },
  { message: `${'ab'.repeat(200)}!` },
  { message: `${'a'.repeat(5_000)}` },
  { message: 'time out' },
];

describe('SOQL properties', () => {
  it('takes any regex as a match in linear time or a parse error, never an exception or a hang', () => {
    // A backtracking engine takes minutes on patterns like `(a+)+$` over the near misses; this
    // property's whole budget is the test timeout.
    fc.assert(
      fc.property(regexPattern, fc.constantFrom('~', '!~'), (pattern, op) => {
        const query = `message ${op} ${quoted(pattern)}`;
        const result = tryParse(query);
        if (result instanceof SoqlParseError) {
          checkError(query, result);
          expect(result.position).toBe('message '.length + op.length + 1);
          return;
        }
        const { matches } = compileQuery(query);
        for (const event of NEAR_MISSES) expect(typeof matches(event)).toBe('boolean');
      }),
    );
  });

  it('keeps every accepted query within the documented bounds', () => {
    const longText = fc.integer({ min: 990, max: 1_010 }).map((n) => `"${'x'.repeat(n)}"`);
    const groupBy = fc
      .array(fc.constantFrom('source', 'actor', 'level', 'payload.a', 'meta.b'), {
        minLength: 1,
        maxLength: 4,
      })
      .map((fields) => ` GROUP BY ${fields.join(', ')}`);
    fc.assert(
      fc.property(fc.option(longText), fc.option(groupBy), (text, group) => {
        const query = `${text ?? ''}${group ?? ''}`;
        const result = tryParse(query);
        if (result instanceof SoqlParseError) return checkError(query, result);
        if (text) expect(text.length - 2).toBeLessThanOrEqual(1_000);
        if (result.groupBy) expect(result.groupBy.length).toBeLessThanOrEqual(2);
      }),
    );
  });

  it('throws only SoqlParseError, with a position inside the query, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, tokenSoup), (query) => {
        const result = tryParse(query);
        if (result instanceof SoqlParseError) checkError(query, result);
      }),
    );
  });

  it('compiles anything that parses into a predicate that never throws, whatever the event', () => {
    fc.assert(
      fc.property(tokenSoup, fc.array(randomEvent, { maxLength: 5 }), (query, events) => {
        const result = tryParse(query);
        if (result instanceof SoqlParseError) return;
        const { matches } = compileQuery(query);
        for (const event of [...events, ...EVENTS]) expect(typeof matches(event)).toBe('boolean');
      }),
    );
  });

  it('parses every query the grammar generates; NOT gives the exact complement, parentheses change nothing', () => {
    fc.assert(
      fc.property(validFilter, fc.array(randomEvent, { maxLength: 4 }), (query, randomEvents) => {
        const events = [...randomEvents, ...EVENTS];
        const plain = compileQuery(query).matches;
        const negated = compileQuery(`NOT (${query})`).matches;
        const wrapped = compileQuery(`(${query})`).matches;
        for (const event of events) {
          expect(negated(event)).toBe(!plain(event));
          expect(wrapped(event)).toBe(plain(event));
        }
      }),
    );
  });

  it('builds the same predicate as generated code and as closures', () => {
    fc.assert(
      fc.property(validFilter, fc.array(randomEvent, { maxLength: 4 }), (query, randomEvents) => {
        const { filter } = parseQuery(query);
        const generated = compileFilter(filter);
        const closures = compileFilter(filter, { generate: false });
        for (const event of [...randomEvents, ...EVENTS]) expect(generated(event)).toBe(closures(event));
      }),
    );
  });

  it('parses generated queries with GROUP BY', () => {
    fc.assert(
      fc.property(validQuery, (query) => {
        expect(parseQuery(query).source).toBe(query);
      }),
    );
  });
});
