import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseQuery, SoqlParseError } from '../../src/soql/index.js';
import { parseError } from './fixtures.js';

interface Expected {
  message: string;
  position: number;
  near: string;
  field?: string;
  hint?: string;
}

const END = 'end of query';
const OPERATORS_HINT = 'operators: ==, !=, <, <=, >, >=, ~, !~, CONTAINS, STARTSWITH, IN, EXISTS';
const TIME_HINT = 'write it like 2026-05-17T10:00:00Z or 2026-05-17T12:00:00.250+02:00';

// [query, what the error must say]
const CASES: Array<[string, Expected]> = [
  // fields
  [
    'sevrity >= warn',
    {
      message: "unknown field 'sevrity' — did you mean 'severity'?",
      position: 0,
      near: 'sevrity',
      field: 'sevrity',
    },
  ],
  [
    'source == a AND lvel = 2',
    { message: "unknown field 'lvel' — did you mean 'level'?", position: 16, near: 'lvel', field: 'lvel' },
  ],
  [
    'paylod.user == x',
    {
      message: "unknown field 'paylod.user' — did you mean 'payload.user'?",
      position: 0,
      near: 'paylod.user',
      field: 'paylod.user',
    },
  ],
  [
    'user == bob',
    {
      message: "unknown field 'user' — did you mean 'payload.user'?",
      position: 0,
      near: 'user',
      field: 'user',
    },
  ],
  [
    'timeout AND severity >= error',
    {
      message: "unknown field 'timeout'",
      position: 0,
      near: 'timeout',
      field: 'timeout',
      hint: 'to search messages for it, quote it: "timeout"',
    },
  ],
  [
    '42 == bytes_raw',
    {
      message: "unknown field '42'",
      position: 0,
      near: '42',
      field: '42',
      hint: 'fields are event_id, ts, ingested_at, dataset, severity, event, actor, source, message, payload, bytes_raw, and payload.<key>',
    },
  ],
  [
    'source.name == x',
    {
      message: "field 'source' has no keys: only payload (or meta) takes a path",
      position: 0,
      near: 'source.name',
      field: 'source.name',
    },
  ],
  [
    'meta..a == x',
    { message: "empty key in field 'meta..a'", position: 0, near: 'meta..a', field: 'meta..a' },
  ],
  [
    'payload. EXISTS',
    { message: "empty key in field 'payload.'", position: 0, near: 'payload.', field: 'payload.' },
  ],
  // operators
  [
    'source',
    { message: "expected an operator after 'source'", position: 6, near: END, hint: OPERATORS_HINT },
  ],
  [
    'source api',
    { message: "expected an operator after 'source'", position: 7, near: 'api', hint: OPERATORS_HINT },
  ],
  [
    'source NOT == api',
    { message: "expected IN, CONTAINS, STARTSWITH or EXISTS after 'NOT'", position: 11, near: '==' },
  ],
  ['source == a & b', { message: "unexpected '&' — did you mean '&&'?", position: 12, near: '&' }],
  ['source == a | b', { message: "unexpected '|' — did you mean '||'?", position: 12, near: '|' }],
  [
    'message ~ warn|err',
    {
      message: "unexpected '|' — did you mean '||'?",
      position: 14,
      near: '|',
      hint: "quote the value if '|' is part of it",
    },
  ],
  // values
  ['severity >= ', { message: "expected a value after '>='", position: 12, near: END }],
  [
    'severity >= AND source == api',
    {
      message: "expected a value after '>='",
      position: 12,
      near: 'AND',
      hint: "'AND' is a keyword: quote it to use it as a value",
    },
  ],
  ['source =! api', { message: "expected a value after '='", position: 8, near: '!' }],
  ['source CONTAINS )', { message: "expected a value after 'CONTAINS'", position: 16, near: ')' }],
  ['source == "abc', { message: 'unterminated string: no closing "', position: 10, near: '"abc' }],
  ["message == 'it\\'s", { message: "unterminated string: no closing '", position: 11, near: "'it\\'s" }],
  [
    'message == "\\u12"',
    { message: 'invalid \\u escape: expected 4 hex digits, like \\u00e9', position: 12, near: '\\u12"' },
  ],
  [
    'severity >= warnn',
    { message: "unknown severity 'warnn' — did you mean 'warn'?", position: 12, near: 'warnn' },
  ],
  [
    'level IN (info, loud)',
    {
      message: "unknown severity 'loud' — use one of debug, info, notice, warn, error, critical",
      position: 16,
      near: 'loud',
    },
  ],
  [
    'severity == 3',
    {
      message: "unknown severity '3' — use one of debug, info, notice, warn, error, critical",
      position: 12,
      near: '3',
    },
  ],
  [
    'ts > yesterday',
    {
      message: "'yesterday' is not an RFC 3339 time",
      position: 5,
      near: 'yesterday',
      hint: TIME_HINT,
    },
  ],
  [
    'ts > 2026-02-30T00:00:00Z',
    {
      message: "'2026-02-30T00:00:00Z' is not an RFC 3339 time",
      position: 5,
      near: '2026-02-30T00:00:00Z',
      hint: TIME_HINT,
    },
  ],
  [
    'ingested_at < "2026-05-17T24:00:00Z"',
    {
      message: "'2026-05-17T24:00:00Z' is not an RFC 3339 time",
      position: 14,
      near: '"2026-05-17T24:00:00Z"',
      hint: TIME_HINT,
    },
  ],
  [
    'message ~ "(unclosed"',
    {
      message: 'invalid regular expression: missing closing ): `(unclosed`',
      position: 10,
      near: '"(unclosed"',
    },
  ],
  [
    'message ~ "(?x)a"',
    {
      message: 'invalid regular expression: invalid or unsupported Perl syntax: `(?x`',
      position: 10,
      near: '"(?x)a"',
    },
  ],
  [
    'message ~ "time(?!out)"',
    {
      message:
        'invalid regular expression: invalid or unsupported Perl syntax: `(?!` (lookahead needs backtracking; RE2 syntax has none)',
      position: 10,
      near: '"time(?!out)"',
    },
  ],
  [
    "msg ~ '(?<!re)try'",
    {
      message:
        'invalid regular expression: invalid named capture: `(?<!re)try` (lookbehind needs backtracking; RE2 syntax has none)',
      position: 6,
      near: "'(?<!re)try'",
    },
  ],
  [
    'message ~ "(a)\\1"',
    {
      message:
        'invalid regular expression: invalid escape sequence: `\\1` (backreferences need backtracking; RE2 syntax has none)',
      position: 10,
      near: '"(a)\\1"',
    },
  ],
  [
    'message ~ "\\pL{1000}\\pL{1000}\\pL{1000}"',
    {
      message: 'regular expression too complex: 3002 steps once compiled, at most 2000',
      position: 10,
      near: '"\\pL{1000}\\pL{1000}\\pL{1000}"',
    },
  ],
  [
    'GROUP BY source, actor, severity',
    {
      message: 'GROUP BY takes at most 2 fields',
      position: 24,
      near: 'severity',
      hint: 'filter on the others instead, e.g. `source == api GROUP BY actor`',
    },
  ],
  [
    'payload.flag < true',
    { message: "'<' cannot order by true: it needs a number, a text or a time", position: 15, near: 'true' },
  ],
  [
    'payload.x >= null',
    { message: "'>=' cannot order by null: it needs a number, a text or a time", position: 13, near: 'null' },
  ],
  // IN lists
  ['source IN api', { message: "expected '(' after 'IN'", position: 10, near: 'api' }],
  ['source IN ()', { message: "expected a value after '('", position: 11, near: ')' }],
  ['source IN (a b)', { message: "expected ',' or ')' in the IN list", position: 13, near: 'b' }],
  ['source in (a,', { message: "expected a value after ','", position: 13, near: END }],
  ['source IN (a', { message: "expected ')' to close the '(' at column 11", position: 12, near: END }],
  // structure
  ['AND source == api', { message: 'expected a condition', position: 0, near: 'AND' }],
  ['== api', { message: 'expected a condition', position: 0, near: '==' }],
  ['source == api AND', { message: "expected a condition after 'AND'", position: 17, near: END }],
  ['source == api || ) ', { message: "expected a condition after '||'", position: 17, near: ')' }],
  ['()', { message: "expected a condition after '('", position: 1, near: ')' }],
  ['NOT', { message: "expected a condition after 'NOT'", position: 3, near: END }],
  ['source == api)', { message: "unexpected ')'", position: 13, near: ')' }],
  ['(source == api', { message: "expected ')' to close the '(' at column 1", position: 14, near: END }],
  [
    'NOT (source == api OR (severity >= warn)',
    { message: "expected ')' to close the '(' at column 5", position: 40, near: END },
  ],
  [
    '(source == api GROUP BY source)',
    { message: "expected ')' to close the '(' at column 1", position: 15, near: 'GROUP' },
  ],
  [
    'source == api severity == warn',
    { message: "unexpected 'severity' — join conditions with AND or OR", position: 14, near: 'severity' },
  ],
  [
    '(source == api "x")',
    { message: `unexpected '"x"' — join conditions with AND or OR`, position: 15, near: '"x"' },
  ],
  [
    'message ~ time(d)?',
    {
      message: "unexpected '(' right after 'time'",
      position: 14,
      near: '(',
      hint: `quote the value if '(' is part of it: "time(…"`,
    },
  ],
  [
    '"source" == api',
    { message: "unexpected '=='", position: 9, near: '==', hint: 'field names are written without quotes' },
  ],
  ['source == a == b', { message: "unexpected '=='", position: 12, near: '==' }],
  // GROUP BY
  ['GROUP source', { message: "expected BY after 'GROUP'", position: 6, near: 'source' }],
  ['GROUP BY', { message: "expected a field after 'BY'", position: 8, near: END }],
  ['GROUP BY source,', { message: "expected a field after ','", position: 16, near: END }],
  ['GROUP BY "source"', { message: "expected a field after 'BY'", position: 9, near: '"source"' }],
  [
    'GROUP BY sorce',
    { message: "unknown field 'sorce' — did you mean 'source'?", position: 9, near: 'sorce', field: 'sorce' },
  ],
  [
    'GROUP BY source, level, severity',
    { message: "'severity' is already in GROUP BY", position: 24, near: 'severity' },
  ],
  [
    'GROUP BY payload',
    { message: 'GROUP BY needs a payload key, like payload.user', position: 9, near: 'payload' },
  ],
  [
    'GROUP BY source AND x',
    { message: "unexpected 'AND': GROUP BY must end the query", position: 16, near: 'AND' },
  ],
  [
    'GROUP BY source severity',
    { message: "unexpected 'severity': GROUP BY must end the query", position: 16, near: 'severity' },
  ],
  [
    'source == api AND GROUP BY source',
    { message: "expected a condition after 'AND'", position: 18, near: 'GROUP' },
  ],
  ['BY source', { message: 'expected a condition', position: 0, near: 'BY' }],
];

describe('queries that do not parse', () => {
  it.each(CASES)('%s', (query, expected) => {
    const error = parseError(query);
    expect({
      message: error.message,
      position: error.position,
      near: error.near,
      field: error.field,
      hint: error.hint,
    }).toEqual({ field: undefined, hint: undefined, ...expected });
    expect(error.query).toBe(query);
  });

  it('is a UsageError carrying the API error code', () => {
    const error = parseError('sevrity == x');
    expect(error).toBeInstanceOf(UsageError);
    expect(error.name).toBe('SoqlParseError');
    expect(error.code).toBe('soql_parse_error');
  });

  it('shortens a long near to 40 characters', () => {
    const pattern = 'a'.repeat(1_001);
    const error = parseError(`message ~ "${pattern}"`);
    expect(error.message).toBe('regular expression too long: 1001 characters, at most 1000');
    expect(error.position).toBe(10);
    expect(error.near).toBe(`"${'a'.repeat(38)}…`);
    expect(() => parseQuery(`message ~ "${'a'.repeat(1_000)}"`)).not.toThrow();
  });

  it('rejects nesting past 200 levels with an error, not a stack overflow', () => {
    expect(() => parseQuery(`${'('.repeat(200)}source == a${')'.repeat(200)}`)).not.toThrow();
    const parens = parseError(`${'('.repeat(201)}source == a${')'.repeat(201)}`);
    expect([parens.message, parens.position, parens.near]).toEqual([
      'query nested too deeply: more than 200 levels of parentheses and NOT',
      200,
      '(',
    ]);
    const nots = parseError(`${'NOT '.repeat(100)}${'!'.repeat(101)}source == a`);
    expect([nots.position, nots.near]).toEqual([500, '!']);
    expect(parseError('('.repeat(60_000)).position).toBe(200);
    expect(parseError('NOT '.repeat(16_000)).position).toBe(800);
  });

  it('bounds the query, a full-text string and GROUP BY before any work is done', () => {
    const long = parseError(`source == api OR "${'x'.repeat(70_000)}"`);
    expect([long.message, long.position, long.near]).toEqual([
      'query too long: 70019 characters, at most 65536',
      65_536,
      `${'x'.repeat(39)}…`,
    ]);
    // The most full-text strings a query may hold, each as long as it may be, still fit.
    const justUnder = Array.from({ length: 64 }, () => `"${'x'.repeat(1_000)}"`).join(' OR ');
    expect(() => parseQuery(justUnder)).not.toThrow();
    // 32,768 characters made the native engine throw "too large" at the first event it met.
    const text = parseError(`severity >= warn AND "${'é'.repeat(32_768)}"`);
    expect([text.message, text.position]).toEqual([
      'full-text string too long: 32768 characters, at most 1000',
      21,
    ]);
    expect(() => parseQuery(`"${'é'.repeat(1_000)}"`)).not.toThrow();
    const fields = Array.from({ length: 1_000 }, (_, i) => `payload.f${i}`).join(', ');
    expect(parseError(`GROUP BY ${fields}`).position).toBe('GROUP BY payload.f0, payload.f1, '.length);
  });
});
