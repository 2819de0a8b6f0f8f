/**
 * The one HTTP client of sotail (undici): auth, keep-alive, timeouts, retries and error decoding
 * live here and nowhere else. Every command talks to the service through an ApiClient; it throws
 * ApiError (the service said no), NetworkError (it could not be reached) or the signal's reason
 * (the user stopped it), each with a hint from hints.ts.
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { ApiError, ProtocolError } from '../errors.js';
import type { Token } from '../model/token.js';
import { type LinkedSignal, linkSignals } from '../util/abort.js';
import {
  type ApiClientOptions,
  type ApiResponse,
  DEFAULT_TIMEOUTS,
  type RequestOptions,
  type RetryNotice,
  type StreamOptions,
  type StreamResponse,
} from './client-types.js';
import {
  decodeErrorResponse,
  decodeSuccessBody,
  notAnEventStream,
  notTheApi,
  type ResponseFacts,
  responseTooLarge,
  tokenWithheld,
  type UrlSource,
  unaskedEncoding,
} from './decode.js';
import { CursorWalk } from './paging.js';
import { backoffDelayMs, MAX_SERVER_WAIT_MS, mergeRetryPolicy, type RetryPolicy } from './retry.js';
import { briefly, retryModeFor, withAttemptCount, worthRetrying } from './retry-modes.js';
import { receivedBytes } from './stream-body.js';
import { Transport } from './transport.js';
import {
  assertTokenTransport,
  formatApiUrl,
  isSameOrigin,
  parseApiUrl,
  parseStreamUrl,
} from './transport-policy.js';
import type {
  CreateSessionRequest,
  GroupQueryResponse,
  IngestEntry,
  IngestResponse,
  LogStats,
  QueryRequest,
  QueryResponse,
  TailSession,
  WhoAmI,
} from './types.js';
import { buildRequest, describeHeaders, headerValue, readBounded, readLimited } from './wire.js';

export type {
  ApiClientOptions,
  ApiResponse,
  RequestOptions,
  RetryNotice,
  StreamOptions,
  StreamResponse,
  Timeouts,
  WaitNotice,
} from './client-types.js';
export { DEFAULT_TIMEOUTS } from './client-types.js';
export type { RetryPolicy } from './retry.js';
export type { ResponseHeaders } from './wire.js';

const SESSIONS_PATH = '/api/v1/logs/tail/sessions';
const STREAM_ERROR_BODY_LIMIT_BYTES = 64 * 1024;
/**
 * The most one JSON answer may hold (docs/reliability.md): far above any page the API sends (500
 * events of the largest size it stores fit in a few pages of this), and a bound on what an answer
 * that never ends can cost. Past it the answer is dropped with a ProtocolError naming the size.
 */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const MAX_IDEMPOTENCY_KEY_CHARS = 255;
/** What an HTTP header value may hold (RFC 9110 field-value, as undici checks it). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export class ApiClient {
  /** The normalised base URL (no trailing slash). */
  readonly baseUrl: string;
  readonly #base: URL;
  readonly #token: Token | undefined;
  readonly #userAgent: string;
  /** The caller's signal for every request (the run's), and the client's own copy of it. */
  readonly #signal: AbortSignal | undefined;
  readonly #runSignal: LinkedSignal;
  readonly #retry: Partial<RetryPolicy> | undefined;
  readonly #debug: ((line: string) => void) | undefined;
  readonly #onRetry: ((notice: RetryNotice) => void) | undefined;
  readonly #insecure: boolean;
  readonly #sources: { api: UrlSource; stream: UrlSource };
  readonly #transport: Transport;

  /** Throws UsageError for a bad base URL, or a token that would travel in clear text. */
  constructor(options: ApiClientOptions) {
    this.#base = parseApiUrl(options.baseUrl);
    this.baseUrl = formatApiUrl(this.#base);
    this.#insecure = options.insecure ?? false;
    if (options.token) assertTokenTransport(this.#base, { insecure: this.#insecure });
    this.#token = options.token;
    this.#userAgent = options.userAgent;
    this.#signal = options.signal;
    // Requests listen to a signal of the client's own, not the caller's: many requests in flight
    // at once (bulk ingest) are many listeners by design, which Node would warn about as a leak.
    // Each request's listener goes when the request ends; the one on the caller's goes in close().
    this.#runSignal = linkSignals(options.signal);
    if (this.#runSignal.signal) setMaxListeners(0, this.#runSignal.signal);
    this.#retry = options.retry;
    this.#debug = options.debug;
    this.#onRetry = options.onRetry;
    this.#sources = {
      api: { check: options.urlSources?.api ?? 'the API URL', api: true },
      stream: { check: options.urlSources?.stream ?? 'the stream URL', api: false },
    };
    this.#transport = new Transport({
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
      connections: options.connections,
      onWaiting: options.onWaiting,
      describe: (url) => ({
        given: this.#given(url),
        source: url.origin === this.#base.origin ? this.#sources.api : this.#sources.stream,
      }),
    });
  }

  /** One JSON request with retries; resolves with the decoded 2xx body or throws a typed error. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = this.#resolvePath(path, options.query);
    const mode = retryModeFor(method, options.retry, options.headers);
    const policy = mergeRetryPolicy(
      this.#retry,
      typeof options.retry === 'object' ? options.retry : undefined,
    );
    const maxAttempts = mode === 'none' ? 1 : policy.maxAttempts;
    // Released when the request ends, so the client's long-lived signal keeps nothing of it.
    const own = options.signal === this.#signal ? undefined : options.signal;
    const link = linkSignals(this.#runSignal.signal, own);
    const signal = link.signal;
    try {
      for (let attempt = 1; ; attempt += 1) {
        signal?.throwIfAborted();
        try {
          return await this.#send<T>(method, url, options, signal);
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          // A timeout already waited as long as the user allows: another attempt would double it.
          if (!worthRetrying(mode, error) || attempt >= maxAttempts) {
            throw withAttemptCount(error, attempt);
          }
          const retryAfterMs = error instanceof ApiError ? error.retryAfterMs : undefined;
          const delayMs = backoffDelayMs(attempt, policy, retryAfterMs);
          this.#debug?.(
            `retry ${attempt}/${maxAttempts - 1} of ${method} ${url} in ${delayMs}ms: ${briefly(error)}`,
          );
          const clampedRetryAfterMs =
            retryAfterMs !== undefined && retryAfterMs > MAX_SERVER_WAIT_MS ? retryAfterMs : undefined;
          this.#onRetry?.({
            method,
            url: url.toString(),
            attempt,
            maxAttempts,
            delayMs,
            error,
            clampedRetryAfterMs,
          });
          await policy.sleep(delayMs, signal);
        }
      }
    } finally {
      link.release();
    }
  }

  /** `GET /auth/whoami`: checks the token and tells whose it is. */
  async whoami(signal?: AbortSignal): Promise<WhoAmI> {
    return (await this.request<WhoAmI>('GET', '/auth/whoami', withSignal(signal))).body;
  }

  /**
   * `POST /logs` with an `Idempotency-Key`, which makes retries safe after a timeout, a reset or
   * any 5xx, even one sent after the entry was stored: a repeat stores nothing new and is answered
   * with `Idempotent-Replayed: true` (reported as `replayed`).
   */
  async ingest(
    entry: IngestEntry,
    options: { idempotencyKey: string; signal?: AbortSignal },
  ): Promise<{ response: IngestResponse; replayed: boolean }> {
    const key = options.idempotencyKey;
    if (key === '' || key.length > MAX_IDEMPOTENCY_KEY_CHARS) {
      throw new TypeError(`an Idempotency-Key must have 1 to ${MAX_IDEMPOTENCY_KEY_CHARS} characters`);
    }
    const result = await this.request<IngestResponse>('POST', '/logs', {
      body: entry,
      headers: { 'idempotency-key': key },
      retry: true,
      ...withSignal(options.signal),
    });
    return { response: result.body, replayed: headerValue(result.headers, 'idempotent-replayed') === 'true' };
  }

  /** `POST /query`: a read, so every retryable failure is retried. */
  async query(
    request: QueryRequest,
    signal?: AbortSignal,
    /** `retry: false` for a caller that retries on its own (the tail's reconnect loop). */
    { retry = true }: { retry?: boolean } = {},
  ): Promise<QueryResponse | GroupQueryResponse> {
    const options = { body: request, retry, ...withSignal(signal) };
    const { body } = await this.request<QueryResponse | GroupQueryResponse>('POST', '/query', options);
    const page = body as Partial<QueryResponse & GroupQueryResponse> | undefined;
    if (!Array.isArray(page?.events) && !Array.isArray(page?.groups)) {
      throw this.#notTheApi('POST', '/query', 'a JSON body without `events` or `groups`');
    }
    return body;
  }

  /** `GET /logs/stats`. */
  async stats(signal?: AbortSignal): Promise<LogStats> {
    return (await this.request<LogStats>('GET', '/logs/stats', withSignal(signal))).body;
  }

  /** Creates a tail session. Not idempotent: retried only when the service certainly did not act. */
  async createSession(request: CreateSessionRequest, signal?: AbortSignal): Promise<TailSession> {
    return (await this.request<TailSession>('POST', SESSIONS_PATH, { body: request, ...withSignal(signal) }))
      .body;
  }

  /** Every session of the org, following `next_cursor` page by page (docs/api.md "Tail sessions"). */
  async listSessions(signal?: AbortSignal): Promise<TailSession[]> {
    const sessions: TailSession[] = [];
    const walk = new CursorWalk(() => ({
      url: `${this.baseUrl}${SESSIONS_PATH}`,
      what: `GET ${SESSIONS_PATH}`,
    }));
    let cursor: string | undefined;
    do {
      const page = await this.request<{ sessions?: TailSession[]; next_cursor?: string | null }>(
        'GET',
        SESSIONS_PATH,
        { ...(cursor ? { query: { cursor } } : {}), ...withSignal(signal) },
      );
      if (!Array.isArray(page.body?.sessions)) {
        throw this.#notTheApi('GET', SESSIONS_PATH, 'a JSON body without `sessions`');
      }
      sessions.push(...page.body.sessions);
      cursor = walk.next(page.body.next_cursor, page.body.sessions.length);
    } while (cursor);
    return sessions;
  }

  async getSession(id: string, signal?: AbortSignal): Promise<TailSession> {
    return (await this.request<TailSession>('GET', sessionPath(id), withSignal(signal))).body;
  }

  /** The client's checkpoint; setting the same cursor twice is harmless, so it is retried. */
  async updateSessionCursor(id: string, lastCursor: string, signal?: AbortSignal): Promise<TailSession> {
    const options = { body: { lastCursor }, retry: true, ...withSignal(signal) };
    return (await this.request<TailSession>('PATCH', sessionPath(id), options)).body;
  }

  async closeSession(id: string, signal?: AbortSignal): Promise<TailSession> {
    return (await this.request<TailSession>('DELETE', sessionPath(id), withSignal(signal))).body;
  }

  /**
   * Opens a long-lived stream (the live tail) on a dedicated agent without a body timeout (the
   * caller runs its own heartbeat watchdog; docs/design.md "Traps"). A `200 text/event-stream` comes back
   * as its body's bytes, every one received before a cut included (stream-body.ts), as does a 204
   * ("stop reconnecting", body already drained). Anything else is read (up to 64 KiB) and thrown as an ApiError: the service's envelope, or `http_<status>` /
   * `unexpected_content_type` with a snippet (an HTML login page). No retries here: the tail
   * owns its reconnect loop and can use `isRetryable` and `retryAfterMs`.
   */
  async openStream(options: StreamOptions): Promise<StreamResponse> {
    const target = this.#resolveStreamUrl(options.url);
    const source = options.url.startsWith('/') ? this.#sources.api : this.#sources.stream;
    const { headers, body } = buildRequest({
      userAgent: this.#userAgent,
      accept: 'text/event-stream',
      headers: { 'cache-control': 'no-cache', ...options.headers },
      body: options.body,
    });
    // The profile's token goes only to the profile's own origin; another URL gets one only if
    // the caller put it in `headers` explicitly (docs/reliability.md "Secrets and trust").
    if (this.#token && headers.authorization === undefined && isSameOrigin(target, this.#base)) {
      headers.authorization = `Bearer ${this.#token.reveal()}`;
    }
    // A token we hold but kept from this URL: a 401/403 is then most likely its absence.
    const tokenWasWithheld = this.#token !== undefined && headers.authorization === undefined;
    if (headers.authorization !== undefined) assertTokenTransport(target, { insecure: this.#insecure });
    const method = options.method;
    this.#debug?.(`→ ${method} ${target} (stream)${describeHeaders(headers)}`);
    const resumeId = headers['last-event-id'];
    if (resumeId !== undefined && !HEADER_VALUE.test(resumeId)) {
      // Sending it would fail the same way on every reconnect, forever.
      throw new ProtocolError(
        'not_the_api',
        `the stream sent an event id that cannot be sent back to resume it (it holds control or non-Latin-1 characters): ${resumeId.slice(0, 80)}`,
        target.toString(),
        { hint: `check ${source.check}: its ids are not usable as Last-Event-ID, so it cannot be resumed` },
      );
    }
    const started = performance.now();
    const response = await this.#transport.send(
      target,
      { method, headers, body, signal: options.signal },
      'stream',
    );
    const { statusCode: status, headers: responseHeaders } = response;
    this.#debug?.(`← ${status} ${method} ${target} ${Math.round(performance.now() - started)}ms (stream)`);
    const contentType = String(headerValue(responseHeaders, 'content-type') ?? '');
    const known = {
      status,
      headers: responseHeaders,
      url: target.toString(),
      method,
      baseUrl: this.baseUrl,
      source,
    };
    await refuseUnaskedEncoding(response.body, known);
    if (status === 200 && /^text\/event-stream\b/i.test(contentType)) {
      return { status, headers: responseHeaders, body: receivedBytes(response.body, options.signal) };
    }
    if (status === 204) {
      await response.body.dump();
      return { status, headers: responseHeaders, body: receivedBytes(response.body, options.signal) };
    }
    const text = await readLimited(response.body, STREAM_ERROR_BODY_LIMIT_BYTES);
    const facts = { ...known, text };
    if (status >= 200 && status < 300) throw notAnEventStream(facts);
    const error = decodeErrorResponse(facts);
    if (tokenWasWithheld && (status === 401 || status === 403)) {
      throw tokenWithheld(error, target, this.#base);
    }
    throw error;
  }

  /** Closes the keep-alive agent and destroys the stream agent (aborted streams leave sockets). */
  async close(): Promise<void> {
    this.#runSignal.release();
    await this.#transport.close();
  }

  async #send<T>(
    method: string,
    url: URL,
    options: RequestOptions,
    signal: AbortSignal | undefined,
  ): Promise<ApiResponse<T>> {
    const { headers, body } = buildRequest({
      userAgent: this.#userAgent,
      accept: 'application/json',
      headers: options.headers,
      body: options.body,
    });
    // Built at the last moment, on a copy the debug line never sees whole.
    if (this.#token && headers.authorization === undefined) {
      headers.authorization = `Bearer ${this.#token.reveal()}`;
    }
    this.#debug?.(`→ ${method} ${url}${describeHeaders(headers)}`);
    const started = performance.now();
    const response = await this.#transport.send(url, { method, headers, body, signal }, 'json');
    const status = response.statusCode;
    const known = { status, headers: response.headers, url: url.toString(), method, baseUrl: this.baseUrl };
    const source = this.#sources.api;
    await refuseUnaskedEncoding(response.body, { ...known, source });
    let text: string | undefined;
    try {
      text = await readBounded(response.body, MAX_RESPONSE_BYTES);
    } catch (error) {
      throw this.#transport.mapError(error, url, signal);
    }
    if (text === undefined) throw responseTooLarge({ ...known, source }, MAX_RESPONSE_BYTES);
    this.#debug?.(`← ${status} ${method} ${url} ${Math.round(performance.now() - started)}ms`);
    const facts = { ...known, text, source };
    if (status >= 200 && status < 300) {
      return { status, headers: response.headers, body: decodeSuccessBody<T>(facts) };
    }
    throw decodeErrorResponse(facts);
  }

  /** The URL the user gave for a request to `url`: the API's base for its routes, else the stream's. */
  #given(url: URL): string {
    return url.href.startsWith(`${this.baseUrl}/`) ? this.baseUrl : url.toString();
  }

  /** What a ProtocolError about an answer of the API to `method path` needs to know. */
  #protocolFacts(method: string, path: string): ResponseFacts {
    const url = `${this.baseUrl}${path}`;
    return {
      status: 200,
      headers: {},
      text: '',
      url,
      method,
      baseUrl: this.baseUrl,
      source: this.#sources.api,
    };
  }

  /** "This does not look like the logs API": a 2xx JSON answer that lacks the API's shape. */
  #notTheApi(method: string, path: string, what: string): ProtocolError {
    return notTheApi(this.#protocolFacts(method, path), what);
  }

  #resolvePath(path: string, query: Record<string, string> | undefined): URL {
    if (!path.startsWith('/')) throw new TypeError(`an API path must start with "/": ${path}`);
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
    return url;
  }

  #resolveStreamUrl(url: string): URL {
    if (url.startsWith('/')) return this.#resolvePath(url, undefined);
    return parseStreamUrl(url);
  }
}

function withSignal(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

function sessionPath(id: string): string {
  return `${SESSIONS_PATH}/${encodeURIComponent(id)}`;
}

/**
 * Throws decode.ts's `unaskedEncoding` error for an answer compressed although sotail asked for
 * none, after dropping its body unread (with the connection, if there is much of it).
 */
async function refuseUnaskedEncoding(
  body: Dispatcher.ResponseData['body'],
  facts: Omit<ResponseFacts, 'text'>,
): Promise<void> {
  const compressed = unaskedEncoding(facts);
  if (compressed === undefined) return;
  await body.dump().catch(() => undefined);
  throw compressed;
}
