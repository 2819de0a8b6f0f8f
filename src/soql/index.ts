/**
 * SOQL, the filter language of api.md: parse a query (the CLI, to report errors with a caret
 * before any request), compile its filter to a predicate (the mock, to filter stored events),
 * and read fields for GROUP BY. docs/soql.md describes the language for users.
 */
import { compileFilter, type EventPredicate } from './compile.js';
import { type ParsedQuery, parseQuery } from './parser.js';

export type { CompareOp, Expr, Literal } from './ast.js';
export { renderCaret } from './caret.js';
export { compileFilter, type EventPredicate } from './compile.js';
export { FIELD_ALIASES, fieldValue, SOQL_FIELDS } from './fields.js';
export { SoqlParseError } from './parse-error.js';
export { type ParsedQuery, parseQuery } from './parser.js';

/** Parses and compiles in one step. Throws SoqlParseError, and nothing else. */
export function compileQuery(query: string): { parsed: ParsedQuery; matches: EventPredicate } {
  const parsed = parseQuery(query);
  return { parsed, matches: compileFilter(parsed.filter) };
}
