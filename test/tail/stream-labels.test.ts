/** The names of a merged tail's streams: `NAME=URL`, names made from URLs, and clashes. */
import { describe, expect, test } from 'vitest';
import { labelFromUrl, parseUrlFlag, streamLabels } from '../../src/tail/stream-labels.js';

describe('stream names', () => {
  test.each([
    [
      'proxy=http://h/api/proxy-logs/_logs/stream',
      { label: 'proxy', url: 'http://h/api/proxy-logs/_logs/stream' },
    ],
    ['http://h/x?level=warn,error', { url: 'http://h/x?level=warn,error' }],
    ['a.b_c-1=https://h/s?x=1', { label: 'a.b_c-1', url: 'https://h/s?x=1' }],
    ['127.0.0.1:4010/x?a=b', { url: '127.0.0.1:4010/x?a=b' }],
  ])('--url %j', (text, expected) => {
    expect(parseUrlFlag(text)).toEqual(expected);
  });

  test('a name that is not one is refused, saying what a name is', () => {
    expect(() => parseUrlFlag(`${'n'.repeat(33)}=http://h/`)).toThrow(/1 to 32 letters/);
    expect(() => parseUrlFlag('-x=http://h/')).toThrow(/starting with a letter or digit/);
  });

  test.each([
    ['http://127.0.0.1:4010/api/proxy-logs/_logs/stream?level=warn', 'proxy-logs'],
    ['http://127.0.0.1:4010/portal/v1/accounts/sotail_dev/audit-log/identities/stream', 'audit-log'],
    ['https://logs.example.com/v2/checkout/events', 'checkout'],
    ['https://logs.example.com/stream', 'logs.example.com'],
    ['https://h/%E2%80%AE%1B[2J/stream', 'E2-80-AE-1B-2J'],
    ['not a url', 'url'],
  ])('%s is named %j', (url, label) => {
    expect(labelFromUrl(url)).toBe(label);
    expect(label).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/);
  });

  test('names made from URLs are numbered when taken; names given must differ', () => {
    const proxy = 'http://h/api/proxy-logs/_logs/stream';
    expect(
      streamLabels([{ url: proxy }, { url: `${proxy}?level=error` }, { url: proxy, label: 'proxy-logs-2' }]),
    ).toEqual(['proxy-logs', 'proxy-logs-3', 'proxy-logs-2']);
    expect(streamLabels([{ url: 'http://h/api/x' }], ['x'])).toEqual(['x-2']);
    expect(() =>
      streamLabels([
        { url: proxy, label: 'a' },
        { url: proxy, label: 'a' },
      ]),
    ).toThrow(/given twice/);
    expect(() => streamLabels([{ url: proxy, label: 'api' }], ['api'])).toThrow(/the API's own tail/);
  });
});
