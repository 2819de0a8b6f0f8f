/**
 * Turns what came back over HTTP into values or typed errors: the api.md error envelope into an
 * ApiError (with its code, extra fields, Retry-After and a hint), anything else that is not 2xx
 * (an HTML login page, a proxy's text) into an ApiError `http_<status>` quoting a short snippet,
 * and socket-level failures into a NetworkError that names the host in plain words.
 */
import { ApiError, NetworkError } from '../errors.js';
import { apiErrorHint, networkErrorHint } from './hints.js';
import { parseRetryAfterMs } from './retry.js';

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
}

/** The ApiError for a non-2xx answer, whether or not it carries the error envelope. */
export function decodeErrorResponse(facts: ResponseFacts): ApiError {
  const { status, headers, url, baseUrl } = facts;
  const retryAfterMs = parseRetryAfterMs(headers['retry-after']);
  const parsed = parseJson(facts.text);
  const envelope = readEnvelope(parsed) ?? readPlainError(parsed, status);
  let code: string;
  let message: string;
  let extra: Record<string, unknown> = {};
  if (envelope) {
    ({ code, message, ...extra } = envelope);
  } else {
    code = `http_${status}`;
    message = nonEnvelopeMessage(facts);
  }
  const hint = apiErrorHint({ status, code, extra, retryAfterMs, baseUrl });
  return new ApiError({ status, code, message, url, extra, retryAfterMs, hint });
}

/** Parses a 2xx body; an empty body (204) is undefined, a body that is not JSON a clear ApiError. */
export function decodeSuccessBody<T>(facts: ResponseFacts): T {
  if (facts.text.trim() === '') return undefined as T;
  try {
    return JSON.parse(facts.text) as T;
  } catch {
    const host = hostOf(facts.url);
    throw new ApiError({
      status: facts.status,
      code: 'invalid_response',
      message: `${host} answered ${facts.method} ${pathOf(facts.url)} with ${facts.status} but the body is not JSON (${contentTypeOf(facts.headers)}): ${snippet(facts.text)}`,
      url: facts.url,
      extra: {},
      hint: `is ${facts.baseUrl} really a sotail logs API? (a proxy or login page may be in the way)`,
    });
  }
}

/** The ApiError for a 2xx answer to a stream request that is not `text/event-stream` (a login page). */
export function notAnEventStream(facts: Omit<ResponseFacts, 'baseUrl'>): ApiError {
  return new ApiError({
    status: facts.status,
    code: 'unexpected_content_type',
    message: `${hostOf(facts.url)} answered ${facts.method} ${pathOf(facts.url)} with ${facts.status} ${contentTypeOf(facts.headers)}, not an event stream: ${snippet(facts.text)}`,
    url: facts.url,
    extra: {},
    hint: 'is this URL a server-sent events stream? (a proxy or login page may be in the way)',
  });
}

export interface NetworkFacts {
  url: string;
  /** The timeouts in force, to say how long was waited. */
  timeouts: { connectMs: number; headersMs: number; bodyMs: number };
}

/** A NetworkError for a socket-level failure, or undefined when `error` is not one (a bug, an abort). */
export function toNetworkError(error: unknown, facts: NetworkFacts): NetworkError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
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
      return `timed out connecting to ${host} after ${seconds(timeouts.connectMs)}`;
    case 'UND_ERR_HEADERS_TIMEOUT':
      return `${host} did not answer within ${seconds(timeouts.headersMs)}`;
    case 'UND_ERR_BODY_TIMEOUT':
      return `${host} stopped sending its answer (nothing for ${seconds(timeouts.bodyMs)})`;
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return `the connection to ${host} was closed`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return `cannot reach ${host}: no route to the host (${code})`;
    default:
      if (/^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code)) {
        return `TLS handshake with ${host} failed: ${message}`;
      }
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

function seconds(ms: number): string {
  return ms % 1_000 === 0 ? `${ms / 1_000}s` : `${(ms / 1_000).toFixed(1)}s`;
}
