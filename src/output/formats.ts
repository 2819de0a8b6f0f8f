/** The output modes, defined once for commander's choices, the completions and the factories. */

export const OUTPUT_FORMATS = ['pretty', 'ndjson', 'json', 'table'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The default follows the terminal: readable lines for people, NDJSON for pipes. */
export function defaultFormat(requested: OutputFormat | undefined, isTTY: boolean): OutputFormat {
  return requested ?? (isTTY ? 'pretty' : 'ndjson');
}
