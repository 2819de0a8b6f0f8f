/**
 * The shapes ApiClient is configured with and answers in, apart from its behaviour (client.ts).
 */
import type { Token } from '../model/token.js';
import type { RetryPolicy } from './retry.js';
import type { StreamBody } from './stream-body.js';
import type { ResponseHeaders } from './wire.js';

export interface Timeouts {
  /** Establishing the TCP/TLS connection (`--connect-timeout`). */
  connectMs: number;
  /** From the request sent to the response headers (`--response-timeout`). */
  headersMs: number;
  /** Between two chunks of a (non-stream) response body (`--response-timeout` too). */
  bodyMs: number;
}

/** docs/reliability.md "Waiting for the service"; a stream's body has the tail's watchdog instead. */
export const DEFAULT_TIMEOUTS: Readonly<Timeouts> = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };

/** Told once when a request has waited a while for its answer, so a command can say it is waiting. */
export interface WaitNotice {
  method: string;
  url: string;
  waitedMs: number;
  /** When the wait ends in an error (`--response-timeout`). */
  timeoutMs: number;
}

/** Told before each retry, so a command can show that it is waiting rather than hung. */
export interface RetryNotice {
  method: string;
  url: string;
  /** The attempt that failed (1-based) and how many are allowed. */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  error: unknown;
  /** The server's `Retry-After`, in ms, when it asked for more than sotail waits (MAX_SERVER_WAIT_MS). */
  clampedRetryAfterMs?: number | undefined;
}

export interface ApiClientOptions {
  /** The API base URL (http or https, optionally with a path prefix). */
  baseUrl: string;
  token?: Token;
  /** `sotail/<version>`. */
  userAgent: string;
  /** Aborts every request of this client (Ctrl-C, stdout closed). */
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<Timeouts>;
  /** Receives one line per request, response and retry; the token is always redacted. */
  debug?: (line: string) => void;
  /** Keep-alive connections per origin (the ingest concurrency); unlimited when absent. */
  connections?: number;
  /** Allow a token over plain http:// to a non-loopback host (`--insecure`). */
  insecure?: boolean;
  onRetry?: (notice: RetryNotice) => void;
  /** Called once per request still waiting for its answer after a few seconds (WAIT_NOTICE_MS). */
  onWaiting?: (notice: WaitNotice) => void;
  /**
   * What to tell the user to check when an answer is not the API's (`--api-url`, a profile's URL),
   * and when a stream given whole is not an event stream (`--url`).
   */
  urlSources?: { api?: string; stream?: string };
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * `true`/a policy: retry every retryable failure (for reads and idempotent writes). `false`: one
   * attempt. Absent: by method — GET, HEAD, PUT, DELETE retry fully; POST and PATCH retry only
   * failures proving the service did not act (connection refused, its own 429/503). A request
   * with an `Idempotency-Key` header is also retried after a 5xx (the key makes a repeat harmless).
   */
  retry?: boolean | Partial<RetryPolicy>;
  query?: Record<string, string>;
}

export interface ApiResponse<T> {
  status: number;
  headers: ResponseHeaders;
  body: T;
}

export interface StreamOptions {
  method: 'GET' | 'POST';
  /** A path under the API base URL, or an absolute URL (which gets the token only if same-origin). */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal: AbortSignal;
}

export interface StreamResponse {
  status: number;
  headers: ResponseHeaders;
  /** The body's bytes, every one received before a cut first: consume or destroy it. Already consumed for 204. */
  body: StreamBody;
}
