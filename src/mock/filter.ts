/**
 * SOQL as the mock uses it: a query text becomes a predicate over stored events, and a parse error
 * becomes api.md's 400 `soql_parse_error` with `position`, `near` and `field`.
 */

import type { LogEvent } from '../model/event.js';
import { compileQuery, precompilePatterns, SoqlParseError } from '../soql/index.js';
import { ApiProblem, badRequest } from './envelope.js';
import { nextWorkTurn, SLICE_BUDGET_MS, workClock } from './sliced-scan.js';

export type Matcher = (event: LogEvent) => boolean;

export interface CompiledFilter {
  matches: Matcher;
  /** Canonical GROUP BY field names, or null for a plain filter. */
  groupBy: string[] | null;
}

/** Above this length a query's compiling takes turns with other work (a few ms each step). */
const LONG_QUERY_CHARS = 4096;

const MATCH_ALL: CompiledFilter = { matches: () => true, groupBy: null };

/**
 * Compiles `q` (absent or blank: every event). `field` names the body field for a type error
 * (`q` for /query, `filter` for a session). Its regexes are compiled first, yielding to other
 * connections between them by the clock, so that no query holds the event loop while it compiles;
 * what is left (lexing, parsing, building the predicate) is linear in the query and cheap.
 */
export async function compileEventFilter(q: unknown, field = 'q'): Promise<CompiledFilter> {
  if (q === undefined || q === null) return MATCH_ALL;
  if (typeof q !== 'string') throw badRequest(`${field} must be a string`, field);
  if (q.trim() === '') return MATCH_ALL;
  // A long query costs tens of milliseconds to lex, parse and build, twice over with the
  // regexes' pass: each step takes its own turn, so that four such queries arriving together do
  // not hold other requests for the sum of them (docs/reliability.md).
  const long = q.length > LONG_QUERY_CHARS;
  if (long) await nextWorkTurn();
  await precompilePatterns(q, nextWorkTurn, SLICE_BUDGET_MS, workClock.now);
  if (long) await nextWorkTurn();
  try {
    const { parsed, matches } = compileQuery(q);
    // Stored events are plain JSON objects; the predicate reads them as records.
    const matcher = matches as unknown as Matcher;
    return { matches: matcher, groupBy: parsed.groupBy && parsed.groupBy.length > 0 ? parsed.groupBy : null };
  } catch (error) {
    if (error instanceof SoqlParseError) throw soqlProblem(error);
    throw error;
  }
}

function soqlProblem(error: SoqlParseError): ApiProblem {
  const extra: Record<string, unknown> = { position: error.position, near: error.near };
  if (error.field !== undefined) extra.field = error.field;
  return new ApiProblem(400, 'soql_parse_error', error.message, extra);
}

/** 400 for a GROUP BY sent where only plain filters make sense (the tail, sessions). */
export function rejectAggregation(filter: CompiledFilter): void {
  if (filter.groupBy === null) return;
  throw new ApiProblem(
    400,
    'soql_tail_aggregation_unsupported',
    'GROUP BY queries cannot be tailed; run them with POST /query',
  );
}
