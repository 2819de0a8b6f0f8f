/**
 * A query that does not parse is shown with a caret under the spot, whether the local parser or
 * the service found it, so both read the same.
 */
import { ApiError, UsageError } from '../errors.js';
import { sanitizeLines } from '../output/sanitize.js';
import { renderCaret, SoqlParseError } from '../soql/index.js';

const QUERY_HINT = 'see `sotail query --help` for the filter language (docs/soql.md)';

/**
 * The error to report for `error`: a parse error (local or from the service) becomes a usage error
 * with a caret; others pass. Async because the caret is measured with string-width, loaded here.
 */
export async function toQueryUsageError(error: unknown, query: string): Promise<unknown> {
  if (error instanceof SoqlParseError) return invalidQuery(error.message, query, error.position, error.hint);
  if (error instanceof ApiError && error.code === 'soql_parse_error') {
    const position = typeof error.extra.position === 'number' ? error.extra.position : undefined;
    return invalidQuery(error.message, query, position, error.hint);
  }
  return error;
}

async function invalidQuery(
  message: string,
  query: string,
  position: number | undefined,
  hint?: string,
): Promise<UsageError> {
  let caret: string[] = [];
  if (position !== undefined) {
    // The query is shown escaped (it may hold terminal controls), with the caret moved to match.
    const shown = sanitizeLines(query);
    const at = sanitizeLines(query.slice(0, position)).length;
    // Loaded only here, on the way out with an error: start-up does not pay for its tables.
    const { default: stringWidth } = await import('string-width');
    caret = renderCaret(shown, at, stringWidth)
      .split('\n')
      .map((line) => `  ${line}`);
  }
  return new UsageError(`invalid query: ${message}`, { hint: hint ?? QUERY_HINT, details: caret });
}
