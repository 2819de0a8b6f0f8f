/**
 * The mock's events in the proxy-logs shape (docs/api.md "Other stream shapes the mock serves"):
 * one deterministic mapping from a stored event to a proxy-log entry, and the stream's filters.
 * The mapping is pure, so the same event always reads the same on every stream.
 */
import { createHash } from 'node:crypto';
import type { LogEvent, Severity } from '../model/event.js';
import { ShapedProblem } from './shaped-problem.js';

export const PROXY_KINDS = ['request', 'response', 'event'] as const;
export const PROXY_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type ProxyKind = (typeof PROXY_KINDS)[number];
type ProxyLevel = (typeof PROXY_LEVELS)[number];

/** A proxy-log entry without its row id (that depends on the log the event sits in). */
export interface ProxyLogEntry {
  traceId: string;
  tsMs: number;
  tsIso: string;
  kind: ProxyKind;
  level: ProxyLevel;
  projectId: string;
  containerId: string;
  serviceName: string;
  method: string | null;
  url: string | null;
  clientIp: string | null;
  status: number | null;
  data: Record<string, unknown>;
  source: 'backend' | 'edge';
}

/** Six severities onto the four levels of the proxy logs: notice reads as info, critical as error. */
const LEVEL_OF: Readonly<Record<Severity, ProxyLevel>> = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warn: 'warn',
  error: 'error',
  critical: 'error',
};

const containerIds = new Map<string, string>();

/** A stable container id per service, so that `containerId` filters are meaningful. */
function containerIdOf(serviceName: string): string {
  let id = containerIds.get(serviceName);
  if (id === undefined) {
    id = `cnt_${createHash('sha256').update(serviceName).digest('hex').slice(0, 8)}`;
    if (containerIds.size < 1_000) containerIds.set(serviceName, id);
  }
  return id;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The entry for a stored event, as seen by a caller of project `projectId`. */
export function toProxyLogEntry(event: LogEvent, projectId: string): ProxyLogEntry {
  const { payload } = event;
  const serviceName = event.source ?? 'unknown';
  const method = stringOrNull(payload.method);
  const url = stringOrNull(payload.path) ?? stringOrNull(payload.page);
  // An access-log line is written once the answer went out: that is a response entry.
  const kind: ProxyKind = method !== null && url !== null ? 'response' : 'event';
  const data: Record<string, unknown> = { message: event.message };
  if (event.event !== undefined) data.event = event.event;
  if (event.actor !== undefined) data.actor = event.actor;
  if (event.dataset !== undefined) data.dataset = event.dataset;
  data.payload = payload;
  return {
    traceId: event.event_id,
    tsMs: Date.parse(event.ts),
    tsIso: event.ts,
    kind,
    level: LEVEL_OF[event.severity] ?? 'info',
    projectId,
    containerId: containerIdOf(serviceName),
    serviceName,
    method,
    url,
    clientIp: stringOrNull(payload.ip),
    status: typeof payload.status === 'number' ? payload.status : null,
    data,
    source: serviceName === 'web' ? 'edge' : 'backend',
  };
}

export type ProxyFilter = (entry: ProxyLogEntry) => boolean;

function oneOf<T extends string>(
  name: string,
  value: string | null,
  allowed: readonly T[],
  list: boolean,
): Set<T> | undefined {
  if (value === null || value === '') return undefined;
  const values = list ? value.split(',').map((part) => part.trim()) : [value];
  const bad = values.find((part) => !(allowed as readonly string[]).includes(part));
  if (bad !== undefined) {
    throw new ShapedProblem(400, `${name} must be one of ${allowed.join(', ')} (got "${bad.slice(0, 40)}")`);
  }
  return new Set(values as T[]);
}

/** The stream's query parameters as one predicate; an invalid `kind` or `level` is a 400. */
export function proxyFilter(params: URLSearchParams): ProxyFilter {
  const kinds = oneOf('kind', params.get('kind'), PROXY_KINDS, false);
  const levels = oneOf('level', params.get('level'), PROXY_LEVELS, true);
  const projectId = params.get('projectId') || undefined;
  const containerId = params.get('containerId') || undefined;
  return (entry) =>
    (kinds === undefined || kinds.has(entry.kind)) &&
    (levels === undefined || levels.has(entry.level)) &&
    (projectId === undefined || entry.projectId === projectId) &&
    (containerId === undefined || entry.containerId === containerId);
}
