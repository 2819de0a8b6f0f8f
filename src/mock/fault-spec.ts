/**
 * The written form of a fault, shared by `sotail mock --fault` and POST /_mock/faults:
 *
 *   KIND[@FAMILY][:key=value[,key=value]...]
 *
 * KIND: 429 | 503 | 500 | quota (HTTP errors; FAMILY is ingest, query, tail, sessions, auth or
 * all, default all) or drop | cut | silence | reset (tail streams). Keys: count=N|all, for=DURATION,
 * rate=0..1, retry-after=SECONDS, cumulative=BOOL, stored=BOOL, after=EVENTS, at=BYTES|random,
 * connections=N|all. Examples: `429@ingest:count=3,retry-after=2`, `503@tail:for=10s`,
 * `500@ingest:rate=0.2,stored=true`, `cut:at=random`, `silence:after=5,for=40s`, `reset:after=10`.
 */
import { parseDurationMs } from '../util/duration.js';
import {
  type Fault,
  type FaultSpec,
  HTTP_FAULT_KINDS,
  type HttpFault,
  type HttpFaultKind,
  ROUTE_FAMILIES,
  TAIL_FAULT_KINDS,
  type TailFault,
} from './faults.js';

/** Thrown for a fault that cannot be understood; the message says what is wrong. */
export class FaultSpecError extends Error {}

const KIND_ALIASES: Readonly<Record<string, string>> = {
  '429': 'rate_limited',
  'rate-limited': 'rate_limited',
  '503': 'unavailable',
  '500': 'internal',
  quota: 'quota_exceeded',
};

const KEY_NAMES: Readonly<Record<string, string>> = {
  count: 'count',
  for: 'forMs',
  rate: 'probability',
  'retry-after': 'retryAfterSec',
  cumulative: 'cumulative',
  stored: 'afterStore',
  after: 'afterEvents',
  at: 'atByte',
  connections: 'connections',
};

/** A fault from its written form or its object form, checked. */
export function toFault(spec: FaultSpec): Fault {
  return typeof spec === 'string' ? parseFaultSpec(spec) : checkFault(spec);
}

export function parseFaultSpec(text: string): Fault {
  const match = /^([\w-]+)(?:@([\w]+))?(?::(.*))?$/.exec(text.trim());
  if (!match)
    throw new FaultSpecError(`cannot read fault "${text}" (expected KIND[@FAMILY][:key=value,...])`);
  const [, kind = '', family, options] = match;
  const fault: Record<string, unknown> = {
    kind: Object.hasOwn(KIND_ALIASES, kind) ? KIND_ALIASES[kind] : kind,
  };
  if (family !== undefined) fault.family = family;
  for (const pair of (options ?? '').split(',').filter((part) => part.trim() !== '')) {
    const [rawKey = '', rawValue] = pair.split('=', 2).map((part) => part.trim());
    const key = KEY_NAMES[rawKey];
    if (!key || rawValue === undefined) throw new FaultSpecError(`fault "${text}": unknown option "${pair}"`);
    fault[key] = readValue(key, rawValue, text);
  }
  return checkFault(fault as unknown as Fault);
}

function readValue(key: string, value: string, text: string): unknown {
  if (key === 'forMs') {
    const ms = parseDurationMs(value);
    if (ms === undefined) throw new FaultSpecError(`fault "${text}": "${value}" is not a duration`);
    return ms;
  }
  if (key === 'cumulative' || key === 'afterStore') {
    if (value !== 'true' && value !== 'false')
      throw new FaultSpecError(`fault "${text}": ${value} is not true/false`);
    return value === 'true';
  }
  if (value === 'all' && (key === 'count' || key === 'connections')) return Number.POSITIVE_INFINITY;
  if (value === 'random' && key === 'atByte') return 'random';
  const number = Number(value);
  if (value === '' || !Number.isFinite(number))
    throw new FaultSpecError(`fault "${text}": ${value} is not a number`);
  return number;
}

/** Checks a fault given as an object (admin route, tests) and fills in the family. */
export function checkFault(value: unknown): Fault {
  if (typeof value !== 'object' || value === null)
    throw new FaultSpecError('a fault must be an object or a string');
  // A copy: defaults are filled in, and the caller's object must stay as it was.
  const fault = { ...(value as Record<string, unknown>) };
  const kind = String(fault.kind);
  if ((TAIL_FAULT_KINDS as readonly string[]).includes(kind)) return checkTailFault(fault);
  if (!(HTTP_FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new FaultSpecError(
      `unknown fault kind "${kind}" (one of ${[...HTTP_FAULT_KINDS, ...TAIL_FAULT_KINDS, '429', '503', '500', 'quota'].join(', ')})`,
    );
  }
  const family = fault.family ?? 'all';
  if (family !== 'all' && !(ROUTE_FAMILIES as readonly unknown[]).includes(family)) {
    throw new FaultSpecError(
      `unknown route family "${String(family)}" (one of all, ${ROUTE_FAMILIES.join(', ')})`,
    );
  }
  checkNumber(fault, 'count', 1);
  checkNumber(fault, 'forMs', 0);
  checkNumber(fault, 'retryAfterSec', 0);
  checkNumber(fault, 'probability', 0, 1);
  checkBoolean(fault, 'cumulative');
  checkBoolean(fault, 'afterStore');
  if (fault.afterStore === true && family !== 'ingest') {
    throw new FaultSpecError('stored=true only makes sense for the ingest family');
  }
  return { ...fault, kind: kind as HttpFaultKind, family } as HttpFault;
}

function checkTailFault(fault: Record<string, unknown>): TailFault {
  checkNumber(fault, 'afterEvents', 0);
  checkNumber(fault, 'forMs', 0);
  checkNumber(fault, 'connections', 1);
  if (fault.atByte !== 'random') checkNumber(fault, 'atByte', 1);
  if (fault.kind === 'cut' && fault.atByte === undefined) fault.atByte = 'random';
  return fault as unknown as TailFault;
}

function checkNumber(
  fault: Record<string, unknown>,
  key: string,
  min: number,
  max = Number.POSITIVE_INFINITY,
): void {
  const value = fault[key];
  if (value === undefined) return;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    throw new FaultSpecError(
      `fault option ${key} must be a number from ${min}${Number.isFinite(max) ? ` to ${max}` : ''}`,
    );
  }
}

function checkBoolean(fault: Record<string, unknown>, key: string): void {
  if (fault[key] !== undefined && typeof fault[key] !== 'boolean') {
    throw new FaultSpecError(`fault option ${key} must be true or false`);
  }
}
