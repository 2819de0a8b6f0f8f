import { UsageError } from '../errors.js';

/** What `near` says when the problem is that the query stopped too early. */
export const END_OF_QUERY = 'end of query';

export interface SoqlParseErrorDetails {
  query: string;
  position: number;
  near: string;
  field?: string | undefined;
  hint?: string | undefined;
}

/**
 * A query that does not parse. It carries what the API's `soql_parse_error` envelope carries
 * (`position`, `near`, `field`), so the mock can answer with it as is and the CLI can draw a caret
 * (`renderCaret`) without a round trip. It is a UsageError: exit status 2.
 */
export class SoqlParseError extends UsageError {
  /** The code the API uses for this error, so the mock and the CLI need not spell it themselves. */
  readonly code = 'soql_parse_error';
  /** 0-based offset in `query` (UTF-16 code units, as JavaScript indexes strings). */
  readonly position: number;
  /** The offending text: the token at `position`, or `end of query`. */
  readonly near: string;
  /** The unknown field, as written, when that is the problem. */
  readonly field?: string;
  readonly query: string;

  constructor(message: string, details: SoqlParseErrorDetails) {
    super(message, details.hint === undefined ? {} : { hint: details.hint });
    this.query = details.query;
    this.position = details.position;
    this.near = details.near;
    if (details.field !== undefined) this.field = details.field;
  }
}
