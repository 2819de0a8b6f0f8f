import { describe, expect, it } from 'vitest';
import {
  abortableSleep,
  backoffDelayMs,
  isRetryable,
  isRetryableUnsent,
  MAX_SERVER_WAIT_MS,
  mergeRetryPolicy,
  parseRetryAfterMs,
} from '../../src/api/retry.js';
import { ApiError, NetworkError } from '../../src/errors.js';

const policy = { baseDelayMs: 250, maxDelayMs: 30_000 };

function apiError(status: number, code: string, extra: Record<string, unknown> = {}): ApiError {
  return new ApiError({ status, code, message: code, url: 'http://x', extra });
}

function networkError(code: string): NetworkError {
  return new NetworkError('failed', 'http://x', { cause: Object.assign(new Error(code), { code }) });
}

describe('backoffDelayMs', () => {
  it.each([
    [1, 250],
    [2, 500],
    [3, 1_000],
    [7, 16_000],
    [8, 30_000],
    [50, 30_000],
  ])('attempt %i has a ceiling of %i ms (capped)', (attempt, ceiling) => {
    expect(backoffDelayMs(attempt, { ...policy, random: () => 1 })).toBe(ceiling);
  });

  it('draws uniformly below the ceiling (full jitter)', () => {
    expect(backoffDelayMs(3, { ...policy, random: () => 0 })).toBe(0);
    expect(backoffDelayMs(3, { ...policy, random: () => 0.5 })).toBe(500);
  });

  it.each([
    [7_000, 0, 7_000],
    [7_000, 0.5, 7_350],
    [60_000, 1, 61_000],
    [0, 1, 0],
  ])('honours Retry-After %i ms plus a little jitter (random %f)', (retryAfter, random, expected) => {
    expect(backoffDelayMs(1, { ...policy, random: () => random }, retryAfter)).toBe(expected);
  });

  it('honours a Retry-After beyond the backoff cap as sent', () => {
    expect(backoffDelayMs(1, { baseDelayMs: 1, maxDelayMs: 10, random: () => 0 }, 45_000)).toBe(45_000);
  });

  it.each([
    [MAX_SERVER_WAIT_MS + 1, 0, MAX_SERVER_WAIT_MS],
    [2_147_484_000, 1, MAX_SERVER_WAIT_MS + 1_000],
    [Number.MAX_SAFE_INTEGER, 0.5, MAX_SERVER_WAIT_MS + 500],
    [Number.POSITIVE_INFINITY, 0, MAX_SERVER_WAIT_MS],
  ])('cuts a Retry-After of %i ms to the 5-minute ceiling (random %f)', (retryAfter, random, expected) => {
    expect(MAX_SERVER_WAIT_MS).toBe(300_000);
    expect(backoffDelayMs(1, { ...policy, random: () => random }, retryAfter)).toBe(expected);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-05-17T10:00:00Z');
  it.each<[string | string[] | undefined, number | undefined]>([
    ['120', 120_000],
    [' 3 ', 3_000],
    ['1.5', 1_500],
    [['2', '9'], 2_000],
    ['Sun, 17 May 2026 10:00:30 GMT', 30_000],
    ['Sun, 17 May 2026 09:00:00 GMT', 0],
    ['soon', undefined],
    // Past what a double holds: still "very long", so the ceiling applies rather than no wait at all.
    ['9'.repeat(400), Number.MAX_SAFE_INTEGER],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfterMs(value, now)).toBe(expected);
  });
});

describe('isRetryable', () => {
  it.each([
    [networkError('ECONNREFUSED'), true],
    [networkError('ECONNRESET'), true],
    [networkError('UND_ERR_SOCKET'), true],
    [networkError('UND_ERR_HEADERS_TIMEOUT'), true],
    [networkError('CERT_HAS_EXPIRED'), false],
    [networkError('ERR_TLS_CERT_ALTNAME_INVALID'), false],
    [apiError(429, 'rate_limited'), true],
    [apiError(429, 'quota_exceeded', { quotas: [{ cumulative: false }] }), true],
    [apiError(429, 'quota_exceeded', { quotas: [{ cumulative: true }] }), false],
    [apiError(429, 'tail_session_limit_exceeded'), false],
    [apiError(503, 'unavailable'), true],
    [apiError(502, 'http_502'), true],
    [apiError(504, 'http_504'), true],
    [apiError(500, 'internal'), false],
    [apiError(400, 'bad_request'), false],
    [apiError(401, 'unauthorized'), false],
    [apiError(402, 'tier_upgrade_required'), false],
    [apiError(403, 'forbidden'), false],
    [apiError(404, 'not_found'), false],
    [apiError(413, 'payload_too_large'), false],
    [new Error('bug'), false],
  ])('%s → %s', (error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});

describe('isRetryableUnsent (non-idempotent requests)', () => {
  it.each([
    [networkError('ECONNREFUSED'), true],
    [networkError('ENOTFOUND'), true],
    [networkError('UND_ERR_CONNECT_TIMEOUT'), true],
    [networkError('ECONNRESET'), false],
    [networkError('UND_ERR_HEADERS_TIMEOUT'), false],
    [apiError(429, 'rate_limited'), true],
    [apiError(503, 'unavailable'), true],
    [apiError(503, 'http_503'), false],
    [apiError(504, 'http_504'), false],
  ])('%s → %s', (error, expected) => {
    expect(isRetryableUnsent(error)).toBe(expected);
  });
});

describe('mergeRetryPolicy', () => {
  it('keeps defaults for absent knobs and never allows fewer than one attempt', () => {
    const merged = mergeRetryPolicy({ baseDelayMs: 5 }, { maxAttempts: 0, maxDelayMs: undefined });
    expect(merged).toMatchObject({ baseDelayMs: 5, maxAttempts: 1, maxDelayMs: 30_000 });
  });
});

describe('abortableSleep', () => {
  it('resolves after the delay', async () => {
    await expect(abortableSleep(1)).resolves.toBeUndefined();
  });

  it('rejects at once with the reason when aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('quit');
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    await expect(abortableSleep(60_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
