/**
 * POST /logs (api.md "Ingest", seed 002): one entry per request, 201 with the stored entry, the
 * cumulative `--quota-events` quota, and Idempotency-Key replay so that retries never store twice.
 */
import type { IncomingMessage } from 'node:http';
import type { LogEvent } from '../model/event.js';
import type { Principal } from './auth.js';
import { readJsonObject } from './body.js';
import { badRequest, type TextReply } from './envelope.js';
import { parseEventInput } from './event-input.js';
import { quotaExceeded } from './faults.js';
import { MAX_IDEMPOTENCY_KEY_CHARS } from './idempotency.js';
import { notWritten, type WriteOutcome } from './journal.js';
import type { MockState } from './state.js';

export async function handleIngest(
  state: MockState,
  req: IncomingMessage,
  principal: Principal,
): Promise<TextReply> {
  const key = idempotencyKey(req);
  const { body, bytes } = await readJsonObject(req, state.bodyLimits);
  if (key !== undefined) {
    for (let busy = state.idempotency.underway(principal.orgId, key); busy; ) {
      await busy;
      busy = state.idempotency.underway(principal.orgId, key);
    }
    const first = state.idempotency.get(principal.orgId, key, state.now());
    if (first) return { ...first, headers: { 'idempotent-replayed': 'true' } };
  }
  // From here to the append nothing waits, so a key cannot be taken twice.
  const now = state.now();
  const input = parseEventInput(body);
  const { quota } = state;
  if (quota.limit !== undefined && quota.used >= quota.limit) {
    throw quotaExceeded('ingest_events', quota.used, quota.limit, true);
  }
  const { event, tsMs } = state.stamper.stamp(input, now, bytes, principal.orgId);
  const { written } = state.store(event, tsMs);
  quota.used += 1;
  const acknowledged = acknowledge(event, written).then((reply) => {
    if (key !== undefined) state.idempotency.remember(principal.orgId, key, reply, now);
    return reply;
  });
  // An event that could not be written was not stored: it does not count against the quota.
  acknowledged.catch(() => {
    quota.used -= 1;
  });
  if (key !== undefined) state.idempotency.hold(principal.orgId, key, acknowledged);
  return acknowledged;
}

/**
 * The 201, once the event is in the log (with --data: its line in the file): an answer never runs
 * ahead of the disk. A write that failed stored nothing: 503, and a retry stores it once.
 */
async function acknowledge(event: LogEvent, written: Promise<WriteOutcome>): Promise<TextReply> {
  const failure = await written;
  if (failure) throw notWritten(failure);
  const body = {
    id: event.event_id,
    level: event.severity,
    message: event.message,
    meta: event.payload,
    created_at: event.ingested_at,
  };
  // As text: sent once, and kept as is for a replay (the cache holds no object of the log's).
  return { status: 201, text: JSON.stringify(body) };
}

function idempotencyKey(req: IncomingMessage): string | undefined {
  const value = req.headers['idempotency-key'];
  if (value === undefined) return undefined;
  const key = Array.isArray(value) ? value[0] : value;
  if (!key || key.length > MAX_IDEMPOTENCY_KEY_CHARS) {
    throw badRequest(
      `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_CHARS} characters`,
      'Idempotency-Key',
    );
  }
  return key;
}
