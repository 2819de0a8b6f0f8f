/**
 * Values in a query: what a quoted string or a bare word means next to a given field and operator
 * (a severity, a time, a number, a regex), decided once at parse time so that evaluation never
 * has to guess or fail.
 */
import { SEVERITIES, severityRank } from '../model/event.js';
import { parseRfc3339 as parseTime } from '../util/rfc3339.js';
import type { CompareOp, Literal } from './ast.js';
import type { Token } from './lexer.js';
import { compilePattern } from './regex.js';
import { closestName } from './suggest.js';

/** A number as a query writes it, and as a string field must look to compare as a number. */
export const NUMBER_PATTERN = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const SEVERITY_ALIAS_NAMES = ['warning', 'fatal', 'err'];

/** Operators that treat the value as text whatever it looks like. */
export const TEXT_OPS: ReadonlySet<CompareOp> = new Set<CompareOp>(['~', '!~', 'contains', 'startswith']);
const ORDER_OPS: ReadonlySet<CompareOp> = new Set<CompareOp>(['<', '<=', '>', '>=']);
const TIME_FIELDS: ReadonlySet<string> = new Set(['ts', 'ingested_at']);

/** Why a value does not fit where it stands, for the parser to report at the value's position. */
export interface LiteralProblem {
  error: string;
  hint?: string;
}

/** The value of a string or word token, taken at face value (no field-specific meaning). */
export function plainLiteral(token: Token): Literal {
  const position = token.position;
  if (token.kind === 'string') return { kind: 'string', value: token.value, raw: token.value, position };
  const raw = token.text;
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === 'false')
    return { kind: 'boolean', value: lower === 'true', raw, position };
  if (lower === 'null') return { kind: 'null', value: null, raw, position };
  if (NUMBER_PATTERN.test(raw)) {
    const value = Number(raw);
    if (Number.isFinite(value)) return { kind: 'number', value, raw, position };
  }
  return { kind: 'string', value: raw, raw, position };
}

/** The literal for `field op token`, typed by the field and operator, or why it does not fit. */
export function typedLiteral(field: string, op: CompareOp, token: Token): Literal | LiteralProblem {
  const plain = plainLiteral(token);
  if (TEXT_OPS.has(op)) {
    const text: Literal = { kind: 'string', value: plain.raw, raw: plain.raw, position: plain.position };
    if (op === '~' || op === '!~') {
      const problem = checkRegex(plain.raw);
      if (problem) return problem;
    }
    return text;
  }
  if (plain.kind === 'null' && (op === '==' || op === '!=')) return plain;
  if (field === 'severity') return severityLiteral(plain);
  if (TIME_FIELDS.has(field)) return timeLiteral(plain);
  if (ORDER_OPS.has(op) && (plain.kind === 'boolean' || plain.kind === 'null')) {
    return { error: `'${op}' cannot order by ${plain.raw}: it needs a number, a text or a time` };
  }
  return plain;
}

function severityLiteral(plain: Literal): Literal | LiteralProblem {
  const rank = severityRank(plain.raw);
  if (rank >= 0) {
    return { kind: 'severity', value: SEVERITIES[rank]!, rank, raw: plain.raw, position: plain.position };
  }
  const suggestion = closestName(plain.raw, [...SEVERITIES, ...SEVERITY_ALIAS_NAMES]);
  return suggestion
    ? { error: `unknown severity '${plain.raw}' — did you mean '${suggestion}'?` }
    : { error: `unknown severity '${plain.raw}' — use one of ${SEVERITIES.join(', ')}` };
}

function timeLiteral(plain: Literal): Literal | LiteralProblem {
  // A bare number next to a time field is epoch milliseconds, as `ts` would be if stored as one.
  const ms = plain.kind === 'number' ? plain.value : parseTime(plain.raw);
  if (ms === undefined) {
    return {
      error: `'${plain.raw}' is not an RFC 3339 time`,
      hint: 'write it like 2026-05-17T10:00:00Z or 2026-05-17T12:00:00.250+02:00',
    };
  }
  return { kind: 'time', value: ms, raw: plain.raw, position: plain.position };
}

/** Times in queries are read by the CLI's one time parser, so flags and queries agree. */
export { parseRfc3339 as parseTime } from '../util/rfc3339.js';

function checkRegex(pattern: string): LiteralProblem | undefined {
  const compiled = compilePattern(pattern);
  return 'error' in compiled ? { error: compiled.error } : undefined;
}
