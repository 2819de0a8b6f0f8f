/**
 * The JSON shapes of the logs API (docs/api.md), as the client sends and receives them.
 * Field names follow the wire exactly (snake_case and camelCase mixed, as the service has them).
 */
import type { LogEvent, Severity } from '../model/event.js';

export type { LogEvent } from '../model/event.js';

export type TokenScope = 'logs:read' | 'logs:write' | 'usage:read';
export type PlanTier = 'hobby' | 'pro' | 'enterprise';

/** `GET /auth/whoami`. */
export interface WhoAmI {
  token_prefix: string;
  mode: 'live' | 'test' | (string & {});
  scopes: (TokenScope | (string & {}))[];
  org_id: string;
  project_id: string;
  tier: PlanTier | (string & {});
  tenantId: string;
  userUuid: string;
}

/** One entry for `POST /logs` (`level`→`severity`, `meta`→`payload` on the service side). */
export interface IngestEntry {
  level: Severity | (string & {});
  message: string;
  meta?: Record<string, unknown>;
  ts?: string;
  event?: string;
  source?: string;
  actor?: string;
  dataset?: string;
}

/** `201` answer of `POST /logs`. */
export interface IngestResponse {
  id: string;
  level: string;
  message: string;
  meta: Record<string, unknown>;
  created_at: string;
}

/** `POST /query` body. */
export interface QueryRequest {
  q: string;
  from?: string;
  to?: string;
  limit?: number;
  order?: 'asc' | 'desc';
  cursor?: string;
}

export interface QueryStats {
  scanned: number;
  matched: number;
  elapsed_ms: number;
}

/** `POST /query` answer for a plain filter. */
export interface QueryResponse {
  events: LogEvent[];
  next_cursor: string | null;
  stats: QueryStats;
}

/** `POST /query` answer for a `GROUP BY` query, sorted by count, largest first. */
export interface GroupQueryResponse {
  groups: { key: Record<string, unknown>; count: number }[];
  stats: QueryStats;
}

/** `GET /logs/stats`. */
export interface LogStats {
  total: number;
  bySeverity: Record<string, number>;
  bySource: Record<string, number>;
  byDataset: Record<string, number>;
}

/** A server-side, resumable tail (`/api/v1/logs/tail/sessions`). */
export interface TailSession {
  id: string;
  tenantId: string;
  userUuid: string;
  filter: string;
  service?: string | null;
  lastCursor?: string | null;
  createdAt: string;
  active: boolean;
}

/** `POST /api/v1/logs/tail/sessions` body; omitting `lastCursor` starts from now. */
export interface CreateSessionRequest {
  tenantId: string;
  userUuid: string;
  filter: string;
  service?: string;
  lastCursor?: string;
}
