/**
 * The output modes, defined once for commander's choices, the completions and the factories:
 * `raw` is the message alone (like `logcli -o raw`).
 */

export const OUTPUT_FORMATS = ['pretty', 'ndjson', 'json', 'table', 'raw'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The default follows the terminal: readable lines for people, NDJSON for pipes. */
export function defaultFormat(requested: OutputFormat | undefined, isTTY: boolean): OutputFormat {
  return requested ?? (isTTY ? 'pretty' : 'ndjson');
}

/**
 * The modes of small records (a session, a profile, stats). Here rather than beside the record
 * formatters so that commands can name them without loading the table code at start-up.
 */
export const RECORD_FORMATS = ['table', 'json', 'ndjson'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];
