/**
 * Stored events for tests of the mock's log: event `i` has id `e<i>` and `ts` at `i` seconds, and
 * belongs to `org` (the development org unless told).
 */
import { buildEvent } from '../../src/mock/event-input.js';
import { DEFAULT_ORG_ID } from '../../src/mock/options.js';
import type { LogEvent } from '../../src/model/event.js';

export function numberedEvent(i: number, org = DEFAULT_ORG_ID): LogEvent {
  return buildEvent({
    event_id: `e${i}`,
    ts: new Date(i * 1000).toISOString(),
    ingested_at: new Date(i * 1000).toISOString(),
    dataset: undefined,
    severity: 'info',
    event: undefined,
    actor: undefined,
    source: undefined,
    message: `m${i}`,
    payload: {},
    bytes_raw: 1,
    org,
  });
}
