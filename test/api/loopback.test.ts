import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { isLoopbackHost, loopbackLookup } from '../../src/api/loopback.js';
import { assertTokenTransport, isSameOrigin } from '../../src/api/transport-policy.js';
import { Token } from '../../src/model/token.js';
import { json, startScriptedServer } from './scripted-server.js';

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['[::1]', true],
    ['[0:0:0:0:0:0:0:1]', true],
    // What `new URL('http://[::ffff:127.0.0.1]').hostname` gives.
    [new URL('http://[::ffff:127.0.0.1]:1').hostname, true],
    ['localhost', true],
    ['LOCALHOST.', true],
    ['api.localhost', true],
    ['api.localhost.', true],
    ['[::ffff:10.0.0.1]', false],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
    ['notlocalhost', false],
    ['10.0.0.1', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('isSameOrigin: where a profile token may go', () => {
  it.each([
    ['http://127.0.0.1:4010', 'http://localhost:4010/api/stream', true],
    ['http://localhost:4010', 'http://[::1]:4010', true],
    ['http://127.0.0.1', 'http://api.localhost:80/x', true],
    ['https://api.example.com', 'https://api.example.com:443/x', true],
    ['http://127.0.0.1:4010', 'http://localhost:4011', false],
    ['http://127.0.0.1:4010', 'https://localhost:4010', false],
    ['http://localhost:4010', 'http://localhost.example.com:4010', false],
    ['https://api.example.com', 'https://logs.example.com', false],
  ])('%s and %s → %s', (a, b, expected) => {
    expect(isSameOrigin(new URL(a), new URL(b))).toBe(expected);
    expect(isSameOrigin(new URL(b), new URL(a))).toBe(expected);
  });
});

describe('loopbackLookup', () => {
  const lookup = (host: string, options: Parameters<typeof loopbackLookup>[1]) =>
    new Promise<unknown>((resolve, reject) =>
      loopbackLookup(host, options, (error, address, family) =>
        error ? reject(error) : resolve(options.all ? address : { address, family }),
      ),
    );

  it('answers localhost names with loopback addresses, never asking DNS (RFC 6761)', async () => {
    expect(await lookup('sotail-nowhere.localhost', { all: true })).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(await lookup('localhost.', { family: 6 })).toEqual({ address: '::1', family: 6 });
    expect(await lookup('a.b.localhost', {})).toEqual({ address: '127.0.0.1', family: 4 });
  });
});

describe('ApiClient on loopback spelled in other ways', () => {
  it.each([
    (port: number) => `http://sotail-nowhere.localhost:${port}`,
    (port: number) => `http://localhost.:${port}`,
    (port: number) => `http://[::ffff:127.0.0.1]:${port}`,
  ])('sends the token over plain http to %s and reaches this machine', async (urlFor) => {
    const server = await startScriptedServer([json(200, { tier: 'pro' })]);
    const port = Number(new URL(server.url).port);
    const url = urlFor(port);
    expect(() => assertTokenTransport(new URL(url), { insecure: false })).not.toThrow();
    const client = new ApiClient({
      baseUrl: url,
      token: Token.from('so_test_loopback_token'),
      userAgent: 't',
    });
    try {
      expect(await client.whoami()).toEqual({ tier: 'pro' });
      expect(server.received[0]?.headers.authorization).toBe('Bearer so_test_loopback_token');
    } finally {
      await client.close();
      await server.close();
    }
  });
});
