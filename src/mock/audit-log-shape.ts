/**
 * The mock's events as identity audit-log rows (docs/api.md "Other stream shapes the mock
 * serves"): one deterministic mapping from a stored event to a row, and the stream's filters
 * (the query endpoint's filter set; the date range and cursor are checked but ignored, since a
 * live tail only sees "now").
 */
import type { LogEvent, Severity } from '../model/event.js';
import { stableUuid } from './auth.js';
import { ShapedProblem } from './shaped-problem.js';

export const AUDIT_CATEGORIES = [
  'auth',
  'identity',
  'admin_user',
  'tenancy',
  'hierarchy',
  'rbac',
  'authorization',
  'api_keys',
  'oauth',
  'webhooks',
  'invites',
  'mfa',
  'audit',
  'billing',
  'unknown',
] as const;
export const AUDIT_SEVERITIES = ['info', 'notice', 'warning', 'critical'] as const;
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
/** At most this many audit-log streams per account at once (the 11th is a 429). */
export const AUDIT_STREAMS_PER_ACCOUNT = 10;

type AuditSeverity = (typeof AUDIT_SEVERITIES)[number];

export interface AuditRow {
  id: string;
  created_at: string;
  action: string;
  category: (typeof AUDIT_CATEGORIES)[number];
  severity: AuditSeverity;
  outcome: (typeof AUDIT_OUTCOMES)[number];
  actor_id: string;
  actor_type: string;
  actor_label: string;
  resource_type: string;
  resource_id: string;
  resource_label: string;
  correlation_id: string;
  application_id: string;
  environment_id: string;
  metadata: Record<string, unknown>;
}

/** Six severities onto the audit log's four: debug reads as info, error as critical. */
const SEVERITY_OF: Readonly<Record<Severity, AuditSeverity>> = {
  debug: 'info',
  info: 'info',
  notice: 'notice',
  warn: 'warning',
  error: 'critical',
  critical: 'critical',
};

function categoryOf(event: LogEvent, action: string): AuditRow['category'] {
  if (action.startsWith('audit.')) return 'audit';
  if (event.source === 'auth-service' || event.dataset === 'security') return 'auth';
  if (event.dataset === 'billing') return 'billing';
  return 'unknown';
}

function outcomeOf(event: LogEvent): AuditRow['outcome'] {
  const name = event.event ?? '';
  if (/denied|forbidden|kick|blocked/i.test(name)) return 'denied';
  if (/fail|error/i.test(name) || event.severity === 'error' || event.severity === 'critical')
    return 'failure';
  return 'success';
}

/** `type:label` actors split in two; an event without an actor was done by its source. */
function actorOf(event: LogEvent): { type: string; label: string } {
  const actor = event.actor;
  if (actor === undefined || actor === '') return { type: 'system', label: event.source ?? 'system' };
  const colon = actor.indexOf(':');
  return colon > 0
    ? { type: actor.slice(0, colon), label: actor.slice(colon + 1) }
    : { type: 'user', label: actor };
}

/** The row for a stored event, as seen by a caller of project `projectId`. */
export function toAuditRow(event: LogEvent, projectId: string): AuditRow {
  const action = event.event?.startsWith('audit.')
    ? event.event
    : `${event.source ?? 'log'}.${event.event ?? 'event'}`;
  const actor = actorOf(event);
  const metadata: Record<string, unknown> = {};
  if (event.source !== undefined) metadata.source = event.source;
  if (event.event !== undefined) metadata.event = event.event;
  if (event.dataset !== undefined) metadata.dataset = event.dataset;
  metadata.payload = event.payload;
  const correlation = event.payload.request_id ?? event.payload.session ?? event.event_id;
  return {
    id: event.event_id,
    created_at: event.ts,
    action,
    category: categoryOf(event, action),
    severity: SEVERITY_OF[event.severity] ?? 'info',
    outcome: outcomeOf(event),
    actor_id: stableUuid(`actor:${actor.type}:${actor.label}`),
    actor_type: actor.type,
    actor_label: actor.label,
    resource_type: event.dataset ?? 'event',
    resource_id: stableUuid(`resource:${event.event_id}`),
    resource_label: event.message,
    correlation_id: stableUuid(`correlation:${String(correlation)}`),
    application_id: stableUuid(`application:${projectId}`),
    environment_id: stableUuid(`environment:${projectId}`),
    metadata,
  };
}

export type AuditFilter = (row: AuditRow) => boolean;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function bad(message: string): ShapedProblem {
  return new ShapedProblem(400, message);
}

function enumParam<T extends string>(
  params: URLSearchParams,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = params.get(name);
  if (value === null || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw bad(`${name} must be one of ${allowed.join(', ')} (got "${value.slice(0, 40)}")`);
  return value as T;
}

function uuidParam(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  if (value === null || value === '') return undefined;
  if (!UUID.test(value)) throw bad(`${name} must be a UUID (got "${value.slice(0, 40)}")`);
  return value.toLowerCase();
}

function textParam(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value === '' ? undefined : value;
}

/** Checks the parameters the live stream ignores, so a typo is still a 400 and not silence. */
function checkIgnored(params: URLSearchParams): void {
  for (const name of ['from', 'to']) {
    const value = params.get(name);
    if (value !== null && value !== '' && Number.isNaN(Date.parse(value)))
      throw bad(`${name} must be a date-time (got "${value.slice(0, 40)}")`);
  }
  const limit = params.get('limit');
  if (limit !== null && limit !== '' && !/^(?:[1-9]\d?|1\d\d|200)$/.test(limit))
    throw bad(`limit must be an integer from 1 to 200 (got "${limit.slice(0, 40)}")`);
}

/** The stream's query parameters as one predicate; an invalid enum, UUID or date is a 400. */
export function auditFilter(params: URLSearchParams): AuditFilter {
  checkIgnored(params);
  const actions = params
    .getAll('action')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  const actionSet = actions.length > 0 ? new Set(actions) : undefined;
  const category = enumParam(params, 'category', AUDIT_CATEGORIES);
  const severity = enumParam(params, 'severity', AUDIT_SEVERITIES);
  const outcome = enumParam(params, 'outcome', AUDIT_OUTCOMES);
  const ids = {
    actor_id: uuidParam(params, 'actor_id'),
    resource_id: uuidParam(params, 'resource_id'),
    correlation_id: uuidParam(params, 'correlation_id'),
    application_id: uuidParam(params, 'application_id'),
    environment_id: uuidParam(params, 'environment_id'),
  };
  const actorType = textParam(params, 'actor_type');
  const resourceType = textParam(params, 'resource_type');
  const q = textParam(params, 'q')?.toLowerCase();
  return (row) =>
    (actionSet === undefined || actionSet.has(row.action)) &&
    (category === undefined || row.category === category) &&
    (severity === undefined || row.severity === severity) &&
    (outcome === undefined || row.outcome === outcome) &&
    (ids.actor_id === undefined || row.actor_id === ids.actor_id) &&
    (ids.resource_id === undefined || row.resource_id === ids.resource_id) &&
    (ids.correlation_id === undefined || row.correlation_id === ids.correlation_id) &&
    (ids.application_id === undefined || row.application_id === ids.application_id) &&
    (ids.environment_id === undefined || row.environment_id === ids.environment_id) &&
    (actorType === undefined || row.actor_type === actorType) &&
    (resourceType === undefined || row.resource_type === resourceType) &&
    (q === undefined || matchesText(row, q));
}

/** Full text: a case-insensitive substring of the actor or resource label, or of the metadata. */
function matchesText(row: AuditRow, q: string): boolean {
  return (
    row.actor_label.toLowerCase().includes(q) ||
    row.resource_label.toLowerCase().includes(q) ||
    JSON.stringify(row.metadata).toLowerCase().includes(q)
  );
}
