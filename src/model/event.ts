/**
 * The log event as the API carries it (api.md "The event"), and the severity scale shared by the
 * filter language, the mock, the formatters and the completions.
 */

export const SEVERITIES = ['debug', 'info', 'notice', 'warn', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const SEVERITY_ALIASES: Readonly<Record<string, Severity>> = {
  warning: 'warn',
  fatal: 'critical',
  err: 'error',
};

/** Canonical severity for a name or alias (case-insensitive), or undefined if it is not one. */
export function normalizeSeverity(name: string): Severity | undefined {
  const lower = name.toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(lower)) return lower as Severity;
  // A peer's level may be any word, `__proto__` and `constructor` included: own keys only.
  return Object.hasOwn(SEVERITY_ALIASES, lower) ? SEVERITY_ALIASES[lower] : undefined;
}

/** 0-based rank of a severity name or alias; -1 when it is not one. */
export function severityRank(name: string): number {
  const canonical = normalizeSeverity(name);
  return canonical === undefined ? -1 : SEVERITIES.indexOf(canonical);
}

export interface LogEvent {
  event_id: string;
  ts: string;
  ingested_at?: string;
  dataset?: string;
  severity: Severity;
  event?: string;
  actor?: string;
  source?: string;
  message: string;
  payload: Record<string, unknown>;
  bytes_raw?: number;
  org_id?: string;
  project_id?: string;
}

/** Top-level event fields a query may name (api.md "SOQL"). */
export const EVENT_FIELDS = [
  'event_id',
  'ts',
  'ingested_at',
  'dataset',
  'severity',
  'event',
  'actor',
  'source',
  'message',
  'payload',
  'bytes_raw',
] as const;
