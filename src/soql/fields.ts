/**
 * The fields a query may name: the canonical list, the aliases, how a name as written becomes a
 * canonical one, what to suggest for a misspelling, and how to read a field from an event.
 */
import { EVENT_FIELDS } from '../model/event.js';
import { closestName } from './suggest.js';

/** Canonical top-level fields (api.md "SOQL"); `payload` also takes a path, `payload.a.b`. */
export const SOQL_FIELDS = EVENT_FIELDS;
export type SoqlField = (typeof SOQL_FIELDS)[number];

/** Other names for top-level fields; `meta` stands for `payload`, so `meta.x` is `payload.x`. */
export const FIELD_ALIASES: Readonly<Record<string, SoqlField>> = {
  level: 'severity',
  service: 'source',
  msg: 'message',
  meta: 'payload',
};

const TOP_LEVEL = new Map<string, SoqlField>([
  ...SOQL_FIELDS.map((field) => [field, field] as const),
  ...Object.entries(FIELD_ALIASES),
]);

/** Why a name is not a field, for the parser to word its error. */
export interface FieldProblem {
  /** `unknown` name, a path on a field that has none (`source.x`), or an empty key (`payload..x`). */
  problem: 'unknown' | 'no-path' | 'empty-key';
  /** The top-level part as written, lower-cased (canonical for `no-path`). */
  head: string;
}

/**
 * The canonical name for a field as written (`Level` → `severity`, `meta.user` → `payload.user`),
 * or what is wrong with it. Top-level names ignore case; payload keys do not.
 */
export function resolveField(written: string): { field: string } | FieldProblem {
  const dot = written.indexOf('.');
  const head = (dot === -1 ? written : written.slice(0, dot)).toLowerCase();
  const top = TOP_LEVEL.get(head);
  if (top === undefined) return { problem: 'unknown', head };
  if (dot === -1) return { field: top };
  if (top !== 'payload') return { problem: 'no-path', head: top };
  const path = written.slice(dot + 1);
  if (path.split('.').some((key) => key === '')) return { problem: 'empty-key', head };
  return { field: `payload.${path}` };
}

/** The known field name (canonical or alias) closest to `word`, if one is close enough to be meant. */
export function suggestField(word: string): string | undefined {
  return closestName(word, TOP_LEVEL.keys());
}

/** Reads one canonical field from an event. */
export type FieldAccessor = (event: Record<string, unknown>) => unknown;

// One arrow per field so that each reads a named property (a monomorphic load V8 can inline);
// `event[name]` with a variable name is a slower keyed load in the predicate's hot path.
const TOP_LEVEL_ACCESSORS: Readonly<Record<SoqlField, FieldAccessor>> = {
  event_id: (event) => event.event_id,
  ts: (event) => event.ts,
  ingested_at: (event) => event.ingested_at,
  dataset: (event) => event.dataset,
  severity: (event) => event.severity,
  event: (event) => event.event,
  actor: (event) => event.actor,
  source: (event) => event.source,
  message: (event) => event.message,
  payload: (event) => event.payload,
  bytes_raw: (event) => event.bytes_raw,
};

const ABSENT: FieldAccessor = () => undefined;

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * The value under `key` in a payload object, or undefined. Only an object's own keys count, so
 * `payload.constructor` is absent rather than a function; an array has only its items, by index,
 * so `payload.tags.length` is absent too (docs/soql.md "Fields").
 */
function child(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return ARRAY_INDEX.test(key) ? value[Number(key)] : undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** An accessor for a canonical field name (what `resolveField` returns). */
export function accessorFor(canonicalField: string): FieldAccessor {
  if (!canonicalField.startsWith('payload.')) {
    return Object.hasOwn(TOP_LEVEL_ACCESSORS, canonicalField)
      ? TOP_LEVEL_ACCESSORS[canonicalField as SoqlField]
      : ABSENT;
  }
  const keys = canonicalField.slice('payload.'.length).split('.');
  if (keys.length === 1) {
    const key = keys[0]!;
    return (event) => {
      const payload = event.payload;
      // The usual case, a plain payload object, without a call.
      return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
        ? Object.hasOwn(payload, key)
          ? (payload as Record<string, unknown>)[key]
          : undefined
        : child(payload, key);
    };
  }
  return (event) => {
    let value: unknown = event.payload;
    for (const key of keys) {
      value = child(value, key);
      if (value === undefined) return undefined;
    }
    return value;
  };
}

// The mock groups every stored event by the same few fields, so accessors are kept; the cap
// bounds what arbitrary payload paths from many different queries can hold on to.
const ACCESSOR_CACHE_LIMIT = 1_000;
const accessorCache = new Map<string, FieldAccessor>();

/**
 * The value of a canonical field (`source`, `payload.user.id`) in an event, or undefined when it
 * is absent. Aliases are not resolved here: `parseQuery` has already canonicalised them.
 */
export function fieldValue(event: Record<string, unknown>, canonicalField: string): unknown {
  let accessor = accessorCache.get(canonicalField);
  if (accessor === undefined) {
    if (accessorCache.size >= ACCESSOR_CACHE_LIMIT) accessorCache.clear();
    accessor = accessorFor(canonicalField);
    accessorCache.set(canonicalField, accessor);
  }
  return accessor(event);
}
