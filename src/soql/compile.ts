/**
 * Filter tree → predicate. All the work that does not depend on the event (regexes, severity
 * ranks, times, IN sets, accessors) is done here, once, into one small test per condition; the
 * AND/OR/NOT structure around them is generated code (codegen.ts), or for very large filters a
 * tree of closures. Either way there is no walk over the syntax tree per event. The comparison
 * rules are documented in parser.ts.
 */
import { SEVERITIES, severityRank } from '../model/event.js';
import { isoFromEpochMs } from '../util/rfc3339.js';
import type { CompareOp, Expr, Literal } from './ast.js';
import {
  type EventPredicate,
  generatePredicate,
  type Leaf,
  type LeafExpr,
  type ValueTest,
} from './codegen.js';
import { accessorFor } from './fields.js';
import { NUMBER_PATTERN, parseTime } from './literals.js';
import { caseInsensitiveText, compilePattern } from './regex.js';

export type { EventPredicate } from './codegen.js';

const ALWAYS: EventPredicate = () => true;

/**
 * A predicate for a parsed filter; null (no filter) matches every event. Never throws.
 * `generate: false` builds closures only (tests compare both ways of building).
 */
export function compileFilter(filter: Expr | null, options: { generate?: boolean } = {}): EventPredicate {
  if (filter === null) return ALWAYS;
  const generated = options.generate === false ? undefined : generatePredicate(filter, leafOf);
  return generated ?? compileExpr(filter);
}

function compileExpr(expr: Expr): EventPredicate {
  switch (expr.kind) {
    case 'and':
      return allOf(expr.items.map(compileExpr));
    case 'or':
      return anyOf(expr.items.map(compileExpr));
    case 'not': {
      const inner = compileExpr(expr.expr);
      return (event) => !inner(event);
    }
    default: {
      const { field, test, negated } = leafOf(expr);
      const read = accessorFor(field);
      return negated ? (event) => !test(read(event)) : (event) => test(read(event));
    }
  }
}

/** One condition as a test of one field's value, possibly negated (`!=`, `!~`). */
function leafOf(expr: LeafExpr): Leaf {
  switch (expr.kind) {
    case 'exists':
      return { field: expr.field, test: isPresent, negated: false };
    case 'fulltext': {
      const pattern = caseInsensitiveText(expr.text);
      const test: ValueTest = (message) => typeof message === 'string' && pattern.test(message);
      return { field: 'message', test, negated: false };
    }
    case 'in':
      return { field: expr.field, test: inTest(expr.values), negated: false };
    case 'compare': {
      if (expr.op === '!=' || expr.op === '!~') {
        const test = valueTest(expr.op === '!=' ? '==' : '~', expr.value);
        return { field: expr.field, test, negated: true };
      }
      return { field: expr.field, test: valueTest(expr.op, expr.value), negated: false };
    }
  }
}

function isPresent(value: unknown): boolean {
  return value != null;
}

// Short chains get fixed-arity closures (the common case, and cheaper than a loop); long ones
// loop, so that a 1,000-term query does not nest 1,000 calls deep.
function allOf<T>(parts: Array<(input: T) => boolean>): (input: T) => boolean {
  const [a, b, c] = parts;
  if (parts.length === 2) return (event) => a!(event) && b!(event);
  if (parts.length === 3) return (event) => a!(event) && b!(event) && c!(event);
  return (event) => {
    for (const part of parts) if (!part(event)) return false;
    return true;
  };
}

function anyOf<T>(parts: Array<(input: T) => boolean>): (input: T) => boolean {
  const [a, b, c] = parts;
  if (parts.length === 2) return (event) => a!(event) || b!(event);
  if (parts.length === 3) return (event) => a!(event) || b!(event) || c!(event);
  return (event) => {
    for (const part of parts) if (part(event)) return true;
    return false;
  };
}

/** Numbers and booleans are matched by their text; objects and arrays never are. */
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMBER_PATTERN.test(value)) return Number(value);
  return undefined;
}

// Every spelling the service or a stream may send, so the common case is one Map lookup; anything
// else (`Warn`, `ERR`) goes through the case-insensitive severityRank.
const RANK_BY_NAME = new Map<string, number>();
for (const name of [...SEVERITIES, 'warning', 'fatal', 'err']) {
  RANK_BY_NAME.set(name, severityRank(name));
  RANK_BY_NAME.set(name.toUpperCase(), severityRank(name));
}

function asRank(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const rank = RANK_BY_NAME.get(value) ?? severityRank(value);
  return rank < 0 ? undefined : rank;
}

type Relation = '<' | '<=' | '>' | '>=' | '==';

// `holds` is called with the relation as data rather than one comparison closure per operator:
// in a process that has compiled many filters, a call site shared by all of them sees every
// operator, goes megamorphic and costs more than the comparison. Two functions, not one generic,
// so each comparison only ever sees one type and stays specialised; and one comparison per call,
// since comparing strings is the expensive part.
function numberHolds(relation: Relation, a: number, b: number): boolean {
  switch (relation) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return a === b;
  }
}

function textHolds(relation: Relation, a: string, b: string): boolean {
  switch (relation) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return a === b;
  }
}

function valueTest(op: Exclude<CompareOp, '!=' | '!~'>, literal: Literal): ValueTest {
  switch (op) {
    case '==':
      return equalsTest(literal);
    case '~': {
      const pattern = compilePattern(literal.raw);
      // The parser has refused a pattern that does not compile; a hand-built tree gets "never".
      if ('error' in pattern) return () => false;
      return (value) => {
        const text = asText(value);
        return text !== undefined && pattern.test(text);
      };
    }
    case 'contains': {
      const needle = literal.raw;
      return (value) => asText(value)?.includes(needle) === true;
    }
    case 'startswith': {
      const prefix = literal.raw;
      return (value) => asText(value)?.startsWith(prefix) === true;
    }
    default:
      return orderTest(op, literal);
  }
}

function orderTest(relation: Relation, literal: Literal): ValueTest {
  switch (literal.kind) {
    case 'severity': {
      const rank = literal.rank;
      return (value) => {
        const actual = asRank(value);
        return actual !== undefined && numberHolds(relation, actual, rank);
      };
    }
    case 'time':
      return timeTest(relation, literal.value);
    case 'number': {
      const number = literal.value;
      return (value) => {
        const actual = asNumber(value);
        return actual !== undefined && numberHolds(relation, actual, number);
      };
    }
    case 'string': {
      const text = literal.value;
      const number = asNumber(text);
      if (number === undefined)
        return (value) => typeof value === 'string' && textHolds(relation, value, text);
      // A text that reads as a number orders a number-typed value as a number, as `> 199` would.
      return (value) =>
        typeof value === 'string'
          ? textHolds(relation, value, text)
          : typeof value === 'number' && numberHolds(relation, value, number);
    }
    default:
      // The parser rejects ordering by true/false/null; a hand-built tree gets "never".
      return () => false;
  }
}

// `YYYY-MM-DDTHH:MM:SS.sssZ`, the form the service stores: two such strings order as their times
// do, so the common case compares text and skips parsing a date per event.
function isCanonicalTime(text: string): boolean {
  return (
    text.length === 24 &&
    text.charCodeAt(23) === 90 /* Z */ &&
    text.charCodeAt(10) === 84 /* T */ &&
    text.charCodeAt(19) === 46 /* . */ &&
    text.charCodeAt(4) === 45 /* - */
  );
}

function timeTest(relation: Relation, ms: number): ValueTest {
  const iso = isoFromEpochMs(ms) ?? '';
  const canonical = isCanonicalTime(iso);
  return (value) => {
    if (typeof value === 'string') {
      if (canonical && isCanonicalTime(value)) return textHolds(relation, value, iso);
      const actual = parseTime(value);
      return actual !== undefined && numberHolds(relation, actual, ms);
    }
    return typeof value === 'number' && numberHolds(relation, value, ms);
  };
}

function equalsTest(literal: Literal): ValueTest {
  switch (literal.kind) {
    case 'string': {
      const text = literal.value;
      const number = asNumber(text);
      // Numbers by value, as ordering does (`"200.0"` equals 200); booleans by their text.
      return (value) =>
        value === text ||
        (typeof value === 'number' ? value === number : typeof value === 'boolean' && String(value) === text);
    }
    case 'number': {
      const number = literal.value;
      return (value) => value === number || (typeof value === 'string' && asNumber(value) === number);
    }
    case 'boolean': {
      const flag = literal.value;
      const text = String(flag);
      return (value) => value === flag || value === text;
    }
    case 'null':
      return (value) => value == null;
    case 'severity': {
      const rank = literal.rank;
      return (value) => asRank(value) === rank;
    }
    case 'time':
      return timeTest('==', literal.value);
  }
}

/** `IN (…)`: a Set or a rank mask for the usual lists, else any of the equality tests. */
function inTest(values: Literal[]): ValueTest {
  if (values.every((literal) => literal.kind === 'string')) {
    const texts = new Set(values.map((literal) => literal.value as string));
    const numbers = new Set([...texts].map(asNumber).filter((number) => number !== undefined));
    return (value) => {
      if (typeof value === 'string') return texts.has(value);
      if (typeof value === 'number') return numbers.has(value);
      return typeof value === 'boolean' && texts.has(String(value));
    };
  }
  if (values.every((literal) => literal.kind === 'severity')) {
    const mask = values.reduce((bits, literal) => bits | (1 << literal.rank), 0);
    return (value) => {
      const rank = asRank(value);
      return rank !== undefined && (mask & (1 << rank)) !== 0;
    };
  }
  return anyOf(values.map(equalsTest));
}
