/**
 * Turns what came back over HTTP into values or typed errors: the api.md error envelope into an
 * ApiError (with its code, extra fields, Retry-After and a hint); a proxy's or gateway's page for
 * a passing outage (502, 503, …) into an ApiError `http_<status>` quoting a short snippet, retried
 * like the service's own; anything else that is not the API's (a web page, another server's
 * answer, a body that is not JSON) into a ProtocolError that says so at once; and socket-level
 * failures into a NetworkError that names the host in plain words.
 *
 * Every text read here is cleared of secrets first (model/secrets.ts): a server that echoes the
 * caller's token in an error or a page does not get it shown.
 */
import { maxHeaderSize } from 'node:http';
import { ApiError, NetworkError, ProtocolError } from '../errors.js';
import { scrubKnownSecrets, scrubSecrets } from '../model/secrets.js';
import { formatDurationMs } from '../util/duration.js';
import { formatBytes } from '../util/words.js';
import { apiErrorHint, networkErrorHint } from './hints.js';
import { parseRetryAfterMs } from './retry.js';
import { describeTlsFailure, TLS_FAILURE_CODE } from './tls.js';
import { headerValue } from './wire.js';

type Headers = Record<string, string | string[] | undefined>;

const SNIPPET_CHARS = 160;
/** A plain error's message is the server's own words, but not a page of them. */
const PLAIN_MESSAGE_CHARS = 500;

export interface ResponseFacts {
  status: number;
  headers: Headers;
  text: string;
  /** The request URL, for the error and its message. */
  url: string;
  method: string;
  baseUrl: string;
  /**
   * Where the URL came from, as the user can fix it (`--api-url`, `SOTAIL_API_URL`, a profile's
   * URL, `--url`); a stream given with `--url` is any server's, not necessarily the logs API.
   */
  source: UrlSource;
}

/** Where a URL came from: what to tell the user to check, and whether it should be the logs API. */
export interface UrlSource {
  /** `--api-url`, `SOTAIL_API_URL`, `the API URL of profile "x" (sotail profile show)`, `--url`. */
  check: string;
  /** The URL is the logs API's (every answer has its shapes), not another stream's. */
  api: boolean;
}

/**
 * Statuses a proxy or a gateway answers in its own words for a passing outage (a request timeout,
 * a rate limit, a server error, a bad gateway, an upstream down): retried as the service's own
 * are. 501 and 505 are answers about the request itself, which no retry changes.
 */
function isOutageStatus(status: number): boolean {
  return (
    status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505)
  );
}

/**
 * The error for a non-2xx answer. The API's envelope (or another log API's plain error shape) is
 * an ApiError; without it, a passing outage (a proxy's 503 page) and a redirect stay ApiErrors
 * (`http_<status>`), and anything else from a URL that should be the logs API is a ProtocolError:
 * a web page, or another server, answers there.
 */
export function decodeErrorResponse(facts: ResponseFacts): ApiError | ProtocolError {
  const { status, headers, url, baseUrl } = facts;
  const text = scrubSecrets(facts.text);
  const retryAfterMs = parseRetryAfterMs(headers['retry-after']);
  const parsed = parseJson(text);
  const envelope = readEnvelope(parsed) ?? readPlainError(parsed, status);
  let code: string;
  let message: string;
  let extra: Record<string, unknown> = {};
  if (facts.source.api && isRouteMiss(status, url, readEnvelope(parsed) !== undefined)) {
    // Whoever answered has no such route, or not with this method: not the logs API at this URL.
    const named = envelope === undefined || envelope.code.startsWith('http_') ? '' : ` ${envelope.code}`;
    const what = envelope && `HTTP ${status}${named}: ${snippet(envelope.message)}`;
    return notTheApi({ ...facts, text }, what);
  }
  if (envelope) {
    ({ code, message, ...extra } = envelope);
  } else {
    const redirect = status >= 300 && status < 400;
    if (facts.source.api && !redirect && !isOutageStatus(status)) return notTheApi({ ...facts, text });
    code = `http_${status}`;
    message = nonEnvelopeMessage({ ...facts, text });
  }
  const hint = apiErrorHint({
    status,
    code,
    extra,
    retryAfterMs,
    baseUrl,
    method: facts.method,
    url,
    check: facts.source.check,
  });
  return new ApiError({ status, code, message, url, extra, retryAfterMs, hint });
}

/** A session's own path: a 404 there (in the API's envelope) is the session's, not the route's. */
const SESSION_ITEM_PATH = /\/tail\/sessions\/[^/]+$/;

/**
 * A 404, 405 or 501 on a route the logs API always has, asked with the method it takes (every
 * request sotail makes of the API is one): whatever answered is not the logs API at that URL,
 * another server or the API under another path. The API's own 404 about a session (its path, or
 * a tail of one, `POST /query/tail` with `session_id`) keeps its meaning: the session is gone.
 */
function isRouteMiss(status: number, url: string, apiEnvelope: boolean): boolean {
  if (status === 405 || status === 501) return true;
  if (status !== 404) return false;
  const path = pathOf(url);
  return !(apiEnvelope && (SESSION_ITEM_PATH.test(path) || path.endsWith('/query/tail')));
}

/**
 * Parses a 2xx body: an empty body (204) is undefined; a body that is not a JSON object is not
 * the API's, whatever the status says. The caller's own token is redacted from what it holds.
 */
export function decodeSuccessBody<T>(facts: ResponseFacts): T {
  if (facts.text.trim() === '') return undefined as T;
  const parsed = parseJson(scrubKnownSecrets(facts.text));
  if (typeof parsed !== 'object' || parsed === null)
    throw notTheApi({ ...facts, text: scrubSecrets(facts.text) });
  return parsed as T;
}

/**
 * The error for an answer that is not what the logs API sends: "this does not look like the logs
 * API at URL", what came instead, and which setting to check. `what` replaces the description of
 * the answer (a JSON body of the wrong shape).
 */
export function notTheApi(facts: ResponseFacts, what?: string): ProtocolError {
  const answer = what ?? describeAnswer(facts);
  if (!facts.source.api) {
    return new ProtocolError(
      'not_the_api',
      `${hostOf(facts.url)} answered ${facts.method} ${pathOf(facts.url)} with ${answer}`,
      facts.url,
      { hint: `check ${facts.source.check}: is it a server-sent events stream?` },
    );
  }
  return new ProtocolError(
    'not_the_api',
    `this does not look like the logs API at ${facts.baseUrl}: ${facts.method} ${pathOf(facts.url)} was answered with ${answer}`,
    facts.url,
    { hint: `check ${facts.source.check} (is a web server, a proxy or a login page answering there?)` },
  );
}

/** `HTTP 501 (text/html): Not Implemented`, `HTTP 200 (application/json): {"hello":1}`. */
function describeAnswer(facts: ResponseFacts): string {
  const text = snippet(facts.text);
  const head = `HTTP ${facts.status} (${contentTypeOf(facts.headers)})`;
  return text ? `${head}: ${text}` : `${head}, with an empty body`;
}

/** The error for a 2xx answer to a stream request that is not `text/event-stream` (a login page). */
export function notAnEventStream(facts: ResponseFacts): ProtocolError {
  return notTheApi(
    { ...facts, text: scrubSecrets(facts.text) },
    `${describeAnswer({ ...facts, text: scrubSecrets(facts.text) })}, not an event stream`,
  );
}

/**
 * The error for an answer compressed although sotail asked for none (it sends no
 * `Accept-Encoding`): undefined when the answer is not. Read as text it would be binary noise:
 * an empty stream, or "not the logs API".
 */
export function unaskedEncoding(facts: Omit<ResponseFacts, 'text'>): ProtocolError | undefined {
  const encoding = String(headerValue(facts.headers, 'content-encoding') ?? '').trim();
  if (encoding === '' || /^identity$/i.test(encoding)) return undefined;
  const shown = encoding.replace(/[^\w ,.-]/g, '?').slice(0, 40);
  return new ProtocolError(
    'not_the_api',
    `${hostOf(facts.url)} sent its answer to ${facts.method} ${pathOf(facts.url)} compressed (Content-Encoding: ${shown}), which sotail did not ask for and does not read`,
    facts.url,
    {
      hint: 'sotail sends no Accept-Encoding: a proxy between sotail and the service may be compressing answers unasked',
    },
  );
}

/** The error for an answer larger than the client reads (an answer that never ends). */
export function responseTooLarge(facts: Omit<ResponseFacts, 'text'>, limitBytes: number): ProtocolError {
  return new ProtocolError(
    'response_too_large',
    `the answer of ${hostOf(facts.url)} to ${facts.method} ${pathOf(facts.url)} passed ${formatBytes(limitBytes)}, the most sotail reads in one answer: stopped reading`,
    facts.url,
    {
      hint: facts.source.api
        ? `no answer of the logs API is that large: check ${facts.source.check} (is the service broken, or not the logs API?)`
        : `check ${facts.source.check}`,
    },
  );
}

export interface NetworkFacts {
  url: string;
  /** The timeouts in force, to say how long was waited. */
  timeouts: { connectMs: number; headersMs: number; bodyMs: number };
  /** The URL as the user gave it (the API's base, or a stream's), for "try http://…"; else `url`. */
  given?: string | undefined;
}

/** A NetworkError for a socket-level failure, or undefined when `error` is not one (a bug, an abort). */
export function toNetworkError(error: unknown, facts: NetworkFacts): NetworkError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (TLS_FAILURE_CODE.test(code)) {
    const described = describeTlsFailure(code, new URL(facts.given ?? facts.url), error);
    return new NetworkError(described.message, facts.url, { hint: described.hint, cause: error });
  }
  const host = hostOf(facts.url);
  const description = describeNetworkCode(code, host, facts.timeouts, (error as Error).message);
  if (description === undefined) return undefined;
  const hint = networkErrorHint({ code, hostname: hostnameOf(facts.url) });
  return new NetworkError(description, facts.url, { hint, cause: error });
}

function describeNetworkCode(
  code: string,
  host: string,
  timeouts: NetworkFacts['timeouts'],
  message: string,
): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot connect to ${host}: connection refused`;
    case 'ENOTFOUND':
      return `cannot resolve the host name ${hostnameOf(`http://${host}`)}`;
    case 'EAI_AGAIN':
      return `cannot resolve the host name ${hostnameOf(`http://${host}`)} (DNS lookup failed, temporarily)`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `the connection to ${host} was reset`;
    case 'UND_ERR_SOCKET':
      return `the connection to ${host} closed unexpectedly (${message})`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `timed out connecting to ${host} after ${formatDurationMs(timeouts.connectMs)} (--connect-timeout)`;
    case 'UND_ERR_HEADERS_TIMEOUT':
      return `${host} accepted the connection but did not answer within ${formatDurationMs(timeouts.headersMs)} (--response-timeout)`;
    case 'UND_ERR_BODY_TIMEOUT':
      return `${host} stopped sending its answer (nothing for ${formatDurationMs(timeouts.bodyMs)}, --response-timeout)`;
    case 'UND_ERR_HEADERS_OVERFLOW':
      // Node's limit (16 KiB unless --max-http-header-size says otherwise): undici reads no more.
      return `${host} answered with headers over ${formatBytes(maxHeaderSize)}, more than sotail reads`;
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return `the connection to ${host} was closed`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return `cannot reach ${host}: no route to the host (${code})`;
    default:
      return undefined;
  }
}

type DecodedError = { code: string; message: string } & Record<string, unknown>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readEnvelope(parsed: unknown): DecodedError | undefined {
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return undefined;
  return {
    ...(error as Record<string, unknown>),
    code,
    message: typeof message === 'string' ? message : code,
  };
}

/**
 * The plain error object some other log APIs answer with (`{statusCode, error, message}`,
 * docs/api.md "Other stream shapes the mock serves"): its message is shown as is, the code is
 * `http_<status>` and the reason phrase stays in `extra.error`.
 */
function readPlainError(parsed: unknown, status: number): DecodedError | undefined {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { statusCode, error, message } = parsed as Record<string, unknown>;
  if (typeof statusCode !== 'number' || (typeof message !== 'string' && typeof error !== 'string'))
    return undefined;
  const phrase = typeof error === 'string' ? error : undefined;
  const said = typeof message === 'string' && message.trim() !== '' ? message : (phrase ?? '');
  const flat = said.replace(/\s+/g, ' ').trim();
  return {
    code: `http_${status}`,
    message: flat.length > PLAIN_MESSAGE_CHARS ? `${flat.slice(0, PLAIN_MESSAGE_CHARS - 1)}…` : flat,
    ...(phrase === undefined ? {} : { error: phrase }),
  };
}

function nonEnvelopeMessage(facts: ResponseFacts): string {
  const head = `${hostOf(facts.url)} answered ${facts.method} ${pathOf(facts.url)} with HTTP ${facts.status}`;
  const location = facts.headers.location;
  if (facts.status >= 300 && facts.status < 400 && location)
    return `${head}, redirecting to ${String(location)}`;
  const text = snippet(facts.text);
  return text ? `${head} (${contentTypeOf(facts.headers)}): ${text}` : head;
}

/** A short, single-line preview of a body: HTML tags and runs of whitespace removed. */
export function snippet(text: string, maxChars = SNIPPET_CHARS): string {
  const flat = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 1)}…` : flat;
}

function contentTypeOf(headers: Headers): string {
  const value = headers['content-type'];
  return (Array.isArray(value) ? value[0] : value)?.split(';')[0]?.trim() || 'no content type';
}

/** One part of a URL for a message, or the text itself when it does not parse. */
function urlPart(url: string, part: 'host' | 'hostname' | 'pathname'): string {
  try {
    return new URL(url)[part];
  } catch {
    return url;
  }
}

const hostOf = (url: string): string => urlPart(url, 'host');
const hostnameOf = (url: string): string => urlPart(url, 'hostname');
const pathOf = (url: string): string => urlPart(url, 'pathname');

/**
 * A 401/403 from a stream the token was kept from: the missing token is the likely cause, and
 * the user should hear so rather than "the token was rejected" about a token never sent.
 */
export function tokenWithheld(
  error: ApiError | ProtocolError,
  target: URL,
  base: URL,
): ApiError | ProtocolError {
  if (!(error instanceof ApiError)) return error;
  return new ApiError({
    status: error.status,
    code: error.code,
    message: `${error.message} (no token was sent: ${target.host} is not the API's address ${base.host}, and the token goes only there)`,
    url: error.url,
    extra: error.extra,
    retryAfterMs: error.retryAfterMs,
    hint: `if this stream should have the token, send it yourself: --header "Authorization: Bearer <token>" (or use the API's address, ${base.origin})`,
  });
}
