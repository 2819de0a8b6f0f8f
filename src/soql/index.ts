/**
 * SOQL, the filter language of api.md: parse a query (the CLI, to report errors with a caret
 * before any request), compile its filter to a predicate (the mock, to filter stored events),
 * and read fields for GROUP BY. docs/soql.md describes the language for users.
 */
import { compileFilter, type EventPredicate } from './compile.js';
import { SoqlParseError } from './parse-error.js';
import { type ParsedQuery, parseQuery } from './parser.js';

export type { CompareOp, Expr, Literal } from './ast.js';
export { renderCaret } from './caret.js';
export { compileFilter, type EventPredicate } from './compile.js';
export { FIELD_ALIASES, fieldValue, SOQL_FIELDS } from './fields.js';
export { type ParsedQuery, parseQuery } from './parser.js';
export { precompilePatterns } from './precompile.js';
export { SoqlParseError };

/** Parses and compiles in one step. Throws SoqlParseError, and nothing else. */
export function compileQuery(query: string): { parsed: ParsedQuery; matches: EventPredicate } {
  const parsed = parseQuery(query);
  return { parsed, matches: compileFilter(parsed.filter) };
}

/**
 * Throws a SoqlParseError at GROUP when the query aggregates: tails and tail sessions only filter
 * (the service would answer `soql_tail_aggregation_unsupported`). `what` names the use, e.g.
 * "a tail session's filter".
 */
export function requirePlainFilter(parsed: ParsedQuery, what: string): void {
  if (parsed.groupByPosition === null) return;
  throw new SoqlParseError(`GROUP BY cannot be used in ${what}: it only filters events`, {
    query: parsed.source,
    position: parsed.groupByPosition,
    near: parsed.source.slice(parsed.groupByPosition, parsed.groupByPosition + 5),
    hint: "count with `sotail query '… GROUP BY …'` instead",
  });
}
