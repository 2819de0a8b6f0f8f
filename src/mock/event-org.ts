/**
 * Which org an event belongs to. Every read the mock serves is scoped to the caller's org
 * (docs/api.md "Common"), so every stored event carries its org from the moment it is built. The
 * org is kept under a symbol key: it is the service's bookkeeping, not part of the event as the
 * contract shows it, and `JSON.stringify` never writes a symbol key, so no tail frame or query page
 * can carry it by accident. An event without one belongs to no org and is shown to nobody.
 */
import type { LogEvent } from '../model/event.js';

export const EVENT_ORG: unique symbol = Symbol('org');

/** The mock's own org: its development tokens, synthetic traffic and admin routes belong to it. */
export const DEFAULT_ORG_ID = 'org_sotail_dev';

/** A stored event: a LogEvent and the org that owns it. */
export type OwnedEvent = LogEvent & { readonly [EVENT_ORG]: string };

/** The org that owns `event`; undefined for an event built without one (visible to no org). */
export function orgOf(event: LogEvent): string | undefined {
  return (event as Partial<OwnedEvent>)[EVENT_ORG];
}
