/** The written forms of `--fault` and `--token`. */
import { describe, expect, test } from 'vitest';
import { FaultSpecError, parseFaultSpec } from '../../src/mock/fault-spec.js';
import { parseTokenSpec, TokenSpecError } from '../../src/mock/token-spec.js';

describe('parseFaultSpec', () => {
  test.each([
    [
      '429@ingest:count=3,retry-after=2',
      { kind: 'rate_limited', family: 'ingest', count: 3, retryAfterSec: 2 },
    ],
    ['503', { kind: 'unavailable', family: 'all' }],
    ['503@tail:for=10s', { kind: 'unavailable', family: 'tail', forMs: 10_000 }],
    [
      '500@ingest:rate=0.2,stored=true',
      { kind: 'internal', family: 'ingest', probability: 0.2, afterStore: true },
    ],
    ['quota@ingest:cumulative=true', { kind: 'quota_exceeded', family: 'ingest', cumulative: true }],
    ['429@query:count=all', { kind: 'rate_limited', family: 'query', count: Number.POSITIVE_INFINITY }],
    ['drop:after=100', { kind: 'drop', afterEvents: 100 }],
    ['cut', { kind: 'cut', atByte: 'random' }],
    ['cut:at=512', { kind: 'cut', atByte: 512 }],
    ['silence:after=5,for=40s', { kind: 'silence', afterEvents: 5, forMs: 40_000 }],
    [
      'reset:after=10,connections=all',
      { kind: 'reset', afterEvents: 10, connections: Number.POSITIVE_INFINITY },
    ],
  ])('%s', (text, fault) => {
    expect(parseFaultSpec(text)).toEqual(fault);
  });

  test.each([
    ['explode', /unknown fault kind/],
    ['429@everything', /unknown route family/],
    ['429:count', /unknown option/],
    ['429:bogus=1', /unknown option/],
    ['429:count=0', /count must be a number from 1/],
    ['503:rate=2', /probability must be a number from 0 to 1/],
    ['503:for=soon', /not a duration/],
    ['500@query:stored=true', /only makes sense for the ingest family/],
    ['cut:at=-3', /not a number|atByte/],
  ])('%s is refused', (text, message) => {
    expect(() => parseFaultSpec(text)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(text)).toThrow(message);
  });
});

describe('parseTokenSpec', () => {
  test.each([
    ['so_test_ci', { token: 'so_test_ci', scopes: ['logs:read', 'logs:write', 'usage:read'], tier: 'pro' }],
    ['so_test_ci:logs:read', { token: 'so_test_ci', scopes: ['logs:read'], tier: 'pro' }],
    [
      'so_test_ci:logs:read+logs:write:hobby',
      { token: 'so_test_ci', scopes: ['logs:read', 'logs:write'], tier: 'hobby' },
    ],
    [
      'so_live_x:logs:read,usage:read',
      { token: 'so_live_x', scopes: ['logs:read', 'usage:read'], tier: 'pro' },
    ],
    [
      'so_test_ci:enterprise',
      { token: 'so_test_ci', scopes: ['logs:read', 'logs:write', 'usage:read'], tier: 'enterprise' },
    ],
  ])('%s', (text, token) => {
    expect(parseTokenSpec(text)).toEqual(token);
  });

  test.each(['plain', 'so_test_ci:logs', 'so_test_ci:logs:read:gold', 'so_test_bad token'])(
    '%s is refused',
    (text) => {
      expect(() => parseTokenSpec(text)).toThrow(TokenSpecError);
    },
  );
});
