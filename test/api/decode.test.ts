import { describe, expect, it } from 'vitest';
import { decodeErrorResponse, snippet, toNetworkError } from '../../src/api/decode.js';
import { apiErrorHint } from '../../src/api/hints.js';

const timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 1_500 };

function withCode(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('toNetworkError', () => {
  it.each([
    ['ECONNREFUSED', 'cannot connect to api.example:8443: connection refused', /is the service up/],
    ['ENOTFOUND', 'cannot resolve the host name api.example', /host name/],
    ['ECONNRESET', 'the connection to api.example:8443 was reset', /is the service up/],
    [
      'UND_ERR_SOCKET',
      'the connection to api.example:8443 closed unexpectedly (other side closed)',
      /service up/,
    ],
    [
      'UND_ERR_CONNECT_TIMEOUT',
      'timed out connecting to api.example:8443 after 10s (--connect-timeout)',
      /--connect-timeout waits longer/,
    ],
    [
      'UND_ERR_HEADERS_TIMEOUT',
      'api.example:8443 accepted the connection but did not answer within 30s (--response-timeout)',
      /--response-timeout waits longer/,
    ],
    [
      'UND_ERR_BODY_TIMEOUT',
      'api.example:8443 stopped sending its answer (nothing for 1.5s, --response-timeout)',
      /--response-timeout waits longer/,
    ],
    [
      'UND_ERR_HEADERS_OVERFLOW',
      'api.example:8443 answered with headers over 16 KiB, more than sotail reads',
      /is the URL the logs API\? a proxy/,
    ],
    ['CERT_HAS_EXPIRED', 'the TLS certificate of api.example:8443 has expired', /renew it/],
    [
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'api.example:8443 speaks plain HTTP, not HTTPS',
      /^try http:\/\/api\.example:8443\/q$/,
    ],
    [
      'ERR_SSL_SOMETHING_NEW',
      'the TLS handshake with api.example:8443 failed (something new)',
      /NODE_EXTRA_CA_CERTS/,
    ],
  ])('%s names the host in plain words', (code, message, hint) => {
    const error = toNetworkError(withCode(code, 'other side closed'), {
      url: 'https://api.example:8443/q',
      timeouts,
    });
    expect(error?.message).toBe(message);
    expect(error?.hint).toMatch(hint);
    expect(error?.url).toBe('https://api.example:8443/q');
  });

  it('leaves errors that are not network failures alone', () => {
    expect(toNetworkError(new TypeError('bug'), { url: 'http://x', timeouts })).toBeUndefined();
    expect(toNetworkError(withCode('UND_ERR_INVALID_ARG'), { url: 'http://x', timeouts })).toBeUndefined();
  });

  it('points at `sotail mock` only for loopback', () => {
    const local = toNetworkError(withCode('ECONNREFUSED'), { url: 'http://127.0.0.1:4010/', timeouts });
    expect(local?.hint).toBe('is the service up? `sotail mock` starts a local one');
  });
});

describe('decodeErrorResponse', () => {
  // A stream's URL given whole (--url): any server's, so its errors keep their status.
  const base = {
    url: 'http://h/query',
    method: 'POST',
    baseUrl: 'http://h',
    source: { check: '--url', api: false },
  };

  it('keeps every extra field of the envelope and reads Retry-After', () => {
    const text = JSON.stringify({ error: { code: 'rate_limited', message: 'slow down', limit: 10 } });
    const error = decodeErrorResponse({ ...base, status: 429, headers: { 'retry-after': '2' }, text });
    expect(error).toMatchObject({
      code: 'rate_limited',
      message: 'slow down',
      extra: { limit: 10 },
      retryAfterMs: 2_000,
    });
    expect(error.hint).toBe('too many requests: the service asks to wait 2s');
  });

  it('treats JSON without the envelope like any other body', () => {
    const error = decodeErrorResponse({ ...base, status: 500, headers: {}, text: '{"oops":true}' });
    expect(error.code).toBe('http_500');
    expect(error.message).toBe('h answered POST /query with HTTP 500 (no content type): {"oops":true}');
  });

  it('shows the plain {statusCode, error, message} shape in its own words', () => {
    const text = JSON.stringify({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Rate limit exceeded',
    });
    const error = decodeErrorResponse({ ...base, status: 429, headers: { 'retry-after': '3' }, text });
    expect(error).toMatchObject({
      status: 429,
      code: 'http_429',
      message: 'Rate limit exceeded',
      extra: { error: 'Too Many Requests' },
      retryAfterMs: 3_000,
    });
    const forbidden = decodeErrorResponse({
      ...base,
      status: 403,
      headers: {},
      text: JSON.stringify({ statusCode: 403, error: 'Forbidden', message: '  Logs token\n missing  ' }),
    });
    expect(forbidden.message).toBe('Logs token missing');
    expect(forbidden.hint).toMatch(/not allowed/);
  });

  it.each([
    ['only the reason phrase', '{"statusCode":401,"error":"Unauthorized"}', 'Unauthorized'],
    ['an empty message', '{"statusCode":401,"error":"Unauthorized","message":""}', 'Unauthorized'],
    [
      'a very long message',
      JSON.stringify({ statusCode: 401, message: 'x'.repeat(2_000) }),
      `${'x'.repeat(499)}…`,
    ],
  ])('reads the plain shape with %s', (_, text, message) => {
    expect(decodeErrorResponse({ ...base, status: 401, headers: {}, text }).message).toBe(message);
  });

  it.each([
    ['statusCode is not a number', '{"statusCode":"403","message":"no"}'],
    ['neither error nor message', '{"statusCode":403}'],
    ['an array', '[{"statusCode":403,"message":"no"}]'],
  ])('does not take JSON for the plain shape when %s', (_, text) => {
    const error = decodeErrorResponse({ ...base, status: 403, headers: {}, text });
    expect(error.message).toMatch(/^h answered POST \/query with HTTP 403/);
  });

  it('says where a redirect leads', () => {
    const error = decodeErrorResponse({
      ...base,
      status: 301,
      headers: { location: 'https://h/query' },
      text: '',
    });
    expect(error.message).toBe('h answered POST /query with HTTP 301, redirecting to https://h/query');
    expect(error.hint).toMatch(/redirects/);
  });
});

describe('hints', () => {
  it('explains a cumulative quota as one that waiting will not lift', () => {
    const hint = apiErrorHint({
      status: 429,
      code: 'quota_exceeded',
      extra: { quotas: [{ metric: 'events_month', used: 100, limit: 100, cumulative: true }] },
      baseUrl: 'http://h',
    });
    expect(hint).toBe(
      'the events_month quota is used up (100/100); waiting will not help: upgrade the plan or wait for the next billing period',
    );
  });
});

describe('snippet', () => {
  it('flattens HTML and whitespace and shortens', () => {
    expect(snippet('<p>a\n\n  b</p><script>x()</script>c')).toBe('a b c');
    expect(snippet('x'.repeat(400), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
