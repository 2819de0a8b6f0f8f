/**
 * The modes of small records (a session, a profile, stats). Here rather than beside the record
 * formatters so that commands can name them without loading the table code at start-up. The
 * modes of events are listed by their factory, output/event-output.ts.
 */
export const RECORD_FORMATS = ['table', 'json', 'ndjson'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];
