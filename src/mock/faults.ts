/**
 * Fault injection, so that clients can test what docs/reliability.md asks of them against a real
 * server: HTTP errors per route family (429/503 with Retry-After, 500, quota) and broken tail
 * streams (dropped, cut mid-frame, silent, reset). Faults are armed from flags, from the admin
 * route or from tests, and used up as requests arrive.
 */
import { ApiProblem, retryLater } from './envelope.js';

export const ROUTE_FAMILIES = ['ingest', 'query', 'tail', 'sessions', 'auth'] as const;
export type RouteFamily = (typeof ROUTE_FAMILIES)[number];

export const HTTP_FAULT_KINDS = ['rate_limited', 'unavailable', 'internal', 'quota_exceeded'] as const;
export type HttpFaultKind = (typeof HTTP_FAULT_KINDS)[number];
export const TAIL_FAULT_KINDS = ['drop', 'cut', 'silence', 'reset'] as const;
export type TailFaultKind = (typeof TAIL_FAULT_KINDS)[number];

/** Requests of a route family answer with an error instead of being served. */
export interface HttpFault {
  kind: HttpFaultKind;
  family: RouteFamily | 'all';
  /** How many requests fail (Infinity: all). Default 1, or unlimited when `forMs`/`probability` is set. */
  count?: number;
  /** Fail requests for this long after arming. */
  forMs?: number;
  /** Each matching request fails with this probability (seeded), for intermittent failures. */
  probability?: number;
  /** The Retry-After of a 429/503, in seconds (default 1). */
  retryAfterSec?: number;
  /** quota_exceeded: whether waiting will help (api.md `cumulative`). */
  cumulative?: boolean;
  /** ingest only: store the event, then answer the error, as when a response is lost. */
  afterStore?: boolean;
}

/** The next tail stream(s) break in one of the ways docs/reliability.md lists. */
export interface TailFault {
  kind: TailFaultKind;
  /** drop / silence / reset: after this many event frames (default 0). */
  afterEvents?: number;
  /** cut: the body byte offset to cut at; 'random' cuts inside the first batch of events. */
  atByte?: number | 'random';
  /** silence: how long no byte is sent (default: until the client gives up). */
  forMs?: number;
  /** How many of the next tail connections get it (default 1; Infinity: all). */
  connections?: number;
}

export type Fault = HttpFault | TailFault;
/** A fault as an object, or in the flag syntax of fault-spec.ts (`429@ingest:count=3`). */
export type FaultSpec = Fault | string;

export function isTailFault(fault: Fault): fault is TailFault {
  return (TAIL_FAULT_KINDS as readonly string[]).includes(fault.kind);
}

interface Armed<F> {
  fault: F;
  remaining: number;
  until: number;
}

export class FaultBook {
  #http: Armed<HttpFault>[] = [];
  #tail: Armed<TailFault>[] = [];
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(random: () => number, now: () => number = Date.now) {
    this.#random = random;
    this.#now = now;
  }

  arm(fault: Fault): void {
    const now = this.#now();
    if (isTailFault(fault)) {
      this.#tail.push({ fault, remaining: fault.connections ?? 1, until: Number.POSITIVE_INFINITY });
      return;
    }
    const unlimited = fault.forMs !== undefined || fault.probability !== undefined;
    const remaining = fault.count ?? (unlimited ? Number.POSITIVE_INFINITY : 1);
    const until = fault.forMs === undefined ? Number.POSITIVE_INFINITY : now + fault.forMs;
    this.#http.push({ fault, remaining, until });
  }

  clear(): void {
    this.#http = [];
    this.#tail = [];
  }

  /** The faults still armed, for GET /_mock/faults. */
  list(): { fault: Fault; remaining: number | 'unlimited'; until?: string }[] {
    this.#expire();
    return [...this.#http, ...this.#tail].map((armed) => ({
      fault: armed.fault,
      remaining: Number.isFinite(armed.remaining) ? armed.remaining : 'unlimited',
      ...(Number.isFinite(armed.until) ? { until: new Date(armed.until).toISOString() } : {}),
    }));
  }

  /** The HTTP fault that hits this request, if any (used up by it). */
  takeHttp(family: RouteFamily): HttpFault | undefined {
    this.#expire();
    for (const armed of this.#http) {
      const { fault } = armed;
      if (fault.family !== 'all' && fault.family !== family) continue;
      if (fault.probability !== undefined && this.#random() >= fault.probability) continue;
      armed.remaining -= 1;
      return fault;
    }
    return undefined;
  }

  /** The tail fault for a new stream, if any (used up by it). */
  takeTail(): TailFault | undefined {
    this.#expire();
    const armed = this.#tail[0];
    if (!armed) return undefined;
    armed.remaining -= 1;
    return armed.fault;
  }

  /** A number in [0, 1) from the seeded generator (random cut offsets). */
  random(): number {
    return this.#random();
  }

  #expire(): void {
    const now = this.#now();
    this.#http = this.#http.filter((armed) => armed.remaining > 0 && armed.until > now);
    this.#tail = this.#tail.filter((armed) => armed.remaining > 0);
  }
}

/** The error envelope an HTTP fault answers with. */
export function problemForFault(fault: HttpFault): ApiProblem {
  const retryAfter = fault.retryAfterSec ?? 1;
  switch (fault.kind) {
    case 'rate_limited':
      return retryLater(429, 'rate_limited', 'request rate over the limit (injected fault)', retryAfter);
    case 'unavailable':
      return retryLater(503, 'unavailable', 'service unavailable (injected fault)', retryAfter);
    case 'internal':
      return new ApiProblem(500, 'internal', 'an unexpected error occurred (injected fault)');
    case 'quota_exceeded':
      return quotaExceeded('events_per_minute', 1000, 1000, fault.cumulative ?? false, retryAfter);
  }
}

/** 429 quota_exceeded (api.md; seed 002's shape). A cumulative quota gets no Retry-After: waiting will not help. */
export function quotaExceeded(
  metric: string,
  used: number,
  limit: number,
  cumulative: boolean,
  retryAfterSec = 60,
): ApiProblem {
  return new ApiProblem(
    429,
    'quota_exceeded',
    `tier quota exceeded for ${metric}`,
    { metric, quotas: [{ metric, used, limit, cumulative }] },
    cumulative ? {} : { 'retry-after': String(retryAfterSec) },
  );
}
