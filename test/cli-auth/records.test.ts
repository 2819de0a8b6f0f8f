/**
 * whoami, profile, stats and sessions print records one way (README "Output"): a table on a
 * terminal, NDJSON to a pipe, `-o` to choose; the token redacted the same in every view; `-q` and
 * `--timeout` wherever they make sense; errors that name what is missing.
 */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type MockServer, startMockServer } from '../../src/mock/index.js';
import { type CliResult, parseNdjson, runCli, tempConfigDir } from '../helpers/cli.js';

const DEV = 'so_test_sotail_dev';

let mock: MockServer;
let configDir: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, ratePerSec: 0, history: 20, seed: 1 });
  configDir = tempConfigDir();
  const login = await runCli(['login', '--api-url', mock.url, '--token-stdin'], {
    env: { SOTAIL_CONFIG_DIR: configDir },
    stdin: DEV,
  });
  expect(login.code).toBe(0);
});

afterAll(async () => {
  await mock?.close();
});

function sotail(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env: { SOTAIL_CONFIG_DIR: configDir, SOTAIL_RETRY_ATTEMPTS: '1', ...env } });
}

describe('one redaction of the token everywhere', () => {
  it("whoami to a pipe shows sotail's redaction, not the server's longer token_prefix", async () => {
    const piped = await sotail(['whoami']);
    const record = JSON.parse(piped.stdout);
    expect(record).not.toHaveProperty('token_prefix');
    expect(record.token).toBe('so_test_…_dev');
    const table = await sotail(['whoami', '-o', 'table']);
    expect(table.stdout).toMatch(/^token: +so_test_…_dev$/m);
    expect(table.stdout).not.toContain('so_test_sota');
    const profile = await sotail(['profile', 'show']);
    expect(JSON.parse(profile.stdout).token).toBe('so_test_…_dev');
  });
});

describe('records: a table on a terminal, NDJSON to a pipe, -o to choose', () => {
  it('whoami and profile take -o', async () => {
    const json = await sotail(['whoami', '-o', 'json']);
    expect(json.stdout).toMatch(/^{\n {2}"api_url": /);
    const list = await sotail(['profile', 'list', '-o', 'json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'default', active: true })]);
    const table = await sotail(['profile', 'list', '-o', 'table']);
    expect(table.stdout).toMatch(
      /^ {3}NAME +API URL +TOKEN +TIER +SCOPES\n\* +default +http:\/\/127\.0\.0\.1:\d+ +so_test_…_dev +pro +logs:read,logs:write,usage:read\n$/,
    );
  });

  it('keys sotail adds are snake_case; identity fields keep the API names', async () => {
    const record = JSON.parse((await sotail(['profile', 'show'])).stdout);
    expect(Object.keys(record)).toEqual([
      'name',
      'active',
      'api_url',
      'token',
      'org_id',
      'tier',
      'mode',
      'scopes',
      'tenantId',
      'userUuid',
      'config_file',
    ]);
  });

  it('stats and sessions create/show/close print one line of JSON to a pipe', async () => {
    const stats = await sotail(['stats']);
    expect(stats.code).toBe(0);
    expect(stats.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(parseNdjson(stats.stdout)[0]).toHaveProperty('total', 20);

    const created = await sotail(['sessions', 'create', '--filter', 'severity >= error', '--service', 'api']);
    expect(created.code).toBe(0);
    expect(created.stdout.trimEnd().split('\n')).toHaveLength(1);
    const id = String(parseNdjson(created.stdout)[0]?.id);
    for (const sub of ['show', 'close']) {
      const result = await sotail(['sessions', sub, id]);
      expect(result.stdout.trimEnd().split('\n'), sub).toHaveLength(1);
      expect(parseNdjson(result.stdout)[0]).toHaveProperty('id', id);
    }
  });
});

describe('errors that name what is wrong', () => {
  it('SOTAIL_TOKEN without an API URL says the URL is missing', async () => {
    const result = await runCli(['whoami'], { env: { SOTAIL_TOKEN: DEV } });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^sotail: SOTAIL_TOKEN is set, but no API URL is/);
    expect(result.stderr).toContain('hint: set SOTAIL_API_URL too');
  });

  it('--from-cursor with a malformed cursor is a usage error naming the flag; an opaque one is passed on', async () => {
    const base = ['sessions', 'create', '--filter', 'severity >= error', '--service', 'api'];
    const malformed = await sotail([...base, '--from-cursor', 'has space']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/^sotail: --from-cursor takes a cursor .*, got 'has space'$/m);
    // The contract's own example cursor: the service stores it and resets the session's first tail.
    const opaque = await sotail([...base, '--from-cursor', 'cursor-0000001', '-o', 'json']);
    expect(opaque.code).toBe(0);
    expect(JSON.parse(opaque.stdout)).toMatchObject({ lastCursor: 'cursor-0000001' });
  });
});

describe('-q and --timeout', () => {
  it('-q silences the notices of profile use, sessions create and logout', async () => {
    const dir = tempConfigDir();
    const env = { SOTAIL_CONFIG_DIR: dir };
    await runCli(['login', '--api-url', mock.url, '--token-stdin', '-q'], { env, stdin: DEV }).then((r) =>
      expect(r).toMatchObject({ code: 0, stderr: '' }),
    );
    for (const args of [
      ['profile', 'use', 'default', '-q'],
      ['sessions', 'create', '--filter', 'level=error', '--service', 'api', '-q', '-o', 'table'],
      ['logout', '-q'],
    ]) {
      const result = await runCli(args, { env });
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stderr, args.join(' ')).toBe('');
    }
  });

  it('--timeout ends whoami against a service that never answers (exit 124)', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket)); // accepts, never answers
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    onTestFinished(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const { port } = silent.address() as { port: number };
    const result = await runCli(['whoami', '--timeout', '300ms'], {
      env: { SOTAIL_API_URL: `http://127.0.0.1:${port}`, SOTAIL_TOKEN: DEV, SOTAIL_RETRY_ATTEMPTS: '1' },
    });
    expect(result.code).toBe(124);
    expect(result.stderr).toMatch(/^sotail: timed out after/);
  });
});

describe('plain http:// to another host: allowed once, not on every call', () => {
  // 0.0.0.0 is not a loopback name, so the transport rule applies, yet the traffic stays on this machine.
  const unsafeUrl = (): string => mock.url.replace('127.0.0.1', '0.0.0.0');

  it('is refused without a say-so, and SOTAIL_INSECURE=1 says so', async () => {
    const env = { SOTAIL_API_URL: unsafeUrl(), SOTAIL_TOKEN: DEV };
    const refused = await runCli(['whoami'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to send a token over plain http/);
    const allowed = await runCli(['whoami'], { env: { ...env, SOTAIL_INSECURE: '1' } });
    expect(allowed.code).toBe(0);
  });

  it('a profile logged into with --insecure keeps the setting for its own URL', async () => {
    const env = { SOTAIL_CONFIG_DIR: tempConfigDir() };
    const login = await runCli(['login', '--insecure', '--api-url', unsafeUrl(), '--token-stdin'], {
      env,
      stdin: DEV,
    });
    expect(login.code).toBe(0);
    const whoami = await runCli(['whoami'], { env });
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ profile: 'default' });
    const shown = await runCli(['profile', 'show'], { env });
    expect(JSON.parse(shown.stdout)).toMatchObject({ insecure: true });
  });
});
