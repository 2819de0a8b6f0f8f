/**
 * When the connection itself goes wrong, one truthful line and its next step (issue 16 items 4
 * and 5): the wrong scheme either way round and each kind of certificate trouble, never OpenSSL's
 * own text; a service that accepts the connection and never answers is waited for visibly, then
 * given up on after --response-timeout, exit 5.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { collect, REPO_ROOT, readUntil, runCli, spawnCli } from '../helpers/cli.js';
import { deadLetterPath } from '../helpers/full-disk.js';
import { hostileServer, sendJson } from '../helpers/hostile-server.js';

const TOKEN = 'so_test_connection0123456789';
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'tls');
const CA = join(FIXTURES, 'ca.pem');

/** An HTTPS server with one of the fixture certificates (test/fixtures/tls), answering an empty page. */
async function httpsServer(cert: string): Promise<string> {
  const server = createHttpsServer(
    { key: readFileSync(join(FIXTURES, 'key.pem')), cert: readFileSync(join(FIXTURES, `${cert}.pem`)) },
    (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"events":[],"next_cursor":null,"stats":{"scanned":0,"matched":0,"elapsed_ms":0}}');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** stderr as its lines, without the last newline. */
const linesOf = (stderr: string): string[] => stderr.replace(/\n$/, '').split('\n');

describe('TLS trouble is one line and a hint', () => {
  it('https:// to a server that speaks plain HTTP', async () => {
    const server = await hostileServer((_request, response) => sendJson(response, 200, {}));
    const hostPort = server.url.replace('http://', '');
    const result = await runCli(['query', '--api-url', `https://${hostPort}`], {
      env: { SOTAIL_TOKEN: TOKEN },
    });
    expect(result.code).toBe(5);
    expect(linesOf(result.stderr)).toEqual([
      `sotail: ${hostPort} speaks plain HTTP, not HTTPS`,
      `hint: try http://${hostPort}`,
    ]);
  });

  it('http:// to a server that speaks TLS', async () => {
    const hostPort = await httpsServer('self-signed');
    const result = await runCli(['query', '--api-url', `http://${hostPort}`], {
      env: { SOTAIL_TOKEN: TOKEN },
    });
    expect(result.code).toBe(5);
    expect(linesOf(result.stderr)).toEqual([
      `sotail: ${hostPort} speaks HTTPS (TLS), not plain HTTP`,
      `hint: try https://${hostPort}`,
    ]);
  });

  it.each<[string, Record<string, string>, string, RegExp]>([
    ['self-signed', {}, 'is self-signed, so it is not trusted here', /NODE_EXTRA_CA_CERTS/],
    ['localhost', {}, 'is issued by a certificate authority not trusted here', /NODE_EXTRA_CA_CERTS/],
    ['expired', { NODE_EXTRA_CA_CERTS: CA }, 'has expired', /the service must renew it/],
    ['other-name', { NODE_EXTRA_CA_CERTS: CA }, 'is for other names (DNS:other.example)', /use a host name/],
  ])('a certificate that is %s', async (cert, env, message, hint) => {
    const hostPort = await httpsServer(cert);
    const result = await runCli(['query', '--api-url', `https://${hostPort}`], {
      env: { SOTAIL_TOKEN: TOKEN, ...env },
    });
    expect(result.code).toBe(5);
    const lines = linesOf(result.stderr);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`sotail: the TLS certificate of ${hostPort} ${message}`);
    expect(lines[1]).toMatch(hint);
  });

  it('a trusted certificate just works', async () => {
    const hostPort = await httpsServer('localhost');
    const result = await runCli(['query', '--api-url', `https://${hostPort}`], {
      env: { SOTAIL_TOKEN: TOKEN, NODE_EXTRA_CA_CERTS: CA },
    });
    expect(result.code, result.stderr).toBe(0);
  });
});

describe('a service that never answers', () => {
  it('is waited for visibly, then given up on after --response-timeout, exit 5', async () => {
    const server = await hostileServer(() => {});
    const child = spawnCli(['query', '--response-timeout', '2s'], {
      env: { SOTAIL_API_URL: server.url, SOTAIL_TOKEN: TOKEN },
    });
    const result = collect(child, 15_000);
    // The notice comes while the request is still open, at half the timeout here (5s by default).
    await readUntil(child.stderr, /still waiting for 127\.0\.0\.1:\d+ to answer POST \/query \(1s so far\)/);
    expect(server.requests).toHaveLength(1);
    const { code, stderr } = await result;
    expect(code).toBe(5);
    expect(stderr).toMatch(
      /^sotail: 127\.0\.0\.1:\d+ accepted the connection but did not answer within 2s \(--response-timeout\)$/m,
    );
    expect(stderr).toMatch(/^hint: .*--response-timeout waits longer$/m);
    // Waiting that long again and again would only multiply it: one attempt.
    expect(server.requests).toHaveLength(1);
  });

  it('the tail, whose first question is /query, says so too, and retries as it does any failure', async () => {
    const server = await hostileServer(() => {});
    const result = await runCli(['tail', '--no-tui', '--response-timeout', '1s', '--max-retries', '1'], {
      env: { SOTAIL_API_URL: server.url, SOTAIL_TOKEN: TOKEN, SOTAIL_RETRY_MAX_MS: '5' },
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/still waiting for 127\.0\.0\.1:\d+ to answer POST \/query/);
    expect(result.stderr).toMatch(/did not answer within 1s \(--response-timeout\); reconnecting/);
    expect(result.stderr).toMatch(/^sotail: .*did not answer within 1s \(--response-timeout\)$/m);
  });

  it('sixteen ingest requests waiting together are one "still waiting" line, not sixteen', async () => {
    const server = await hostileServer(() => {});
    const lines = Array.from({ length: 16 }, (_, i) => `entry ${i + 1}`).join('\n');
    const result = await runCli(['ingest', '--response-timeout', '2s', '--dead-letter', deadLetterPath()], {
      env: { SOTAIL_API_URL: server.url, SOTAIL_TOKEN: TOKEN },
      stdin: `${lines}\n`,
    });
    expect(server.requests).toHaveLength(16);
    expect(result.stderr).toMatch(/16 dead-lettered/);
    expect(
      result.stderr.match(/still waiting for 127\.0\.0\.1:\d+ to answer POST \/logs \(1s so far\)/g),
    ).toHaveLength(1);
  });

  it('the flags are in --help, with their defaults', async () => {
    const result = await runCli(['--help']);
    expect(result.stdout).toMatch(/--connect-timeout <duration>.*\(default: 10s\)/s);
    expect(result.stdout).toMatch(/--response-timeout <duration>.*\(default: 30s\)/s);
  });
});
