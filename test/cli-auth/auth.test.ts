/**
 * The built bin against the mock: login, whoami, profiles and logout as a user runs them, with
 * the exit codes and messages of the contract, and the token never showing in any output.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../../src/mock/index.js';
import { type CliResult, normalizeOutput, runCli, tempConfigDir } from '../helpers/cli.js';
import { closedPort } from '../helpers/ports.js';

const DEV = 'so_test_sotail_dev';
const READONLY = 'so_test_sotail_readonly';
const SECRETS = [DEV, READONLY, 'so_test_not_a_real_token_xyz'];

let mock: { url: string; close(): Promise<void> };
/** Every output of every run, checked at the end for a leaked token. */
const transcript: string[] = [];

beforeAll(async () => {
  mock = await startMockServer({ port: 0, ratePerSec: 0, history: 0 });
});

afterAll(async () => {
  await mock?.close();
});

/** Runs the bin with a given config directory; retries are kept tiny (testing knobs). */
async function sotail(
  args: string[],
  options: { configDir: string; stdin?: string; env?: Record<string, string> },
): Promise<CliResult> {
  const result = await runCli(args, {
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    env: {
      SOTAIL_CONFIG_DIR: options.configDir,
      SOTAIL_RETRY_BASE_MS: '1',
      SOTAIL_RETRY_ATTEMPTS: '2',
      ...options.env,
    },
  });
  transcript.push(result.stdout, result.stderr);
  return result;
}

async function loggedIn(token = DEV, profile?: string, configDir = tempConfigDir()): Promise<string> {
  const args = ['login', '--api-url', mock.url, '--token-stdin', ...(profile ? ['--profile', profile] : [])];
  const result = await sotail(args, { configDir, stdin: `${token}\n` });
  expect(result.stderr).toMatch(/^Logged in/);
  expect(result.code).toBe(0);
  return configDir;
}

describe('sotail login', () => {
  it('checks the token, stores it 0600 in a 0700 directory and says who is logged in', async () => {
    const configDir = tempConfigDir();
    const result = await sotail(['login', '--api-url', `${mock.url}/`, '--token-stdin'], {
      configDir,
      stdin: `${DEV}\n`,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(normalizeOutput(result.stderr)).toBe(
      'Logged in to http://127.0.0.1:PORT as so_test_…_dev (org org_sotail_dev, tier pro, scopes logs:read, logs:write, usage:read) — profile "default"\n',
    );
    const file = join(configDir, 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(configDir).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.activeProfile).toBe('default');
    expect(stored.profiles.default).toMatchObject({ apiUrl: mock.url, token: DEV, tier: 'pro' });
  });

  it('rejects a bad token with exit 3 and a hint, storing nothing', async () => {
    const configDir = tempConfigDir();
    const result = await sotail(['login', '--api-url', mock.url, '--token-stdin'], {
      configDir,
      stdin: 'so_test_not_a_real_token_xyz',
    });
    expect(result.code).toBe(3);
    expect(normalizeOutput(result.stderr)).toBe(
      'sotail: http://127.0.0.1:PORT rejected the token so_test_…_xyz (401 unauthorized)\nhint: check that the whole token was pasted and that it belongs to this service\n',
    );
    const list = await sotail(['profile', 'list'], { configDir });
    expect(list.stdout).toBe('');
  });

  it('asks for --token-stdin when stdin is not a terminal', async () => {
    const result = await sotail(['login', '--api-url', mock.url], { configDir: tempConfigDir(), stdin: DEV });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^sotail: stdin is not a terminal, so there is no hidden prompt: pass --token-stdin/,
    );
  });

  it('refuses plain http to a non-loopback host before any network attempt', async () => {
    const result = await sotail(
      ['--debug', 'login', '--api-url', 'http://example.invalid', '--token-stdin'],
      {
        configDir: tempConfigDir(),
        stdin: DEV,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^sotail: refusing to send a token over plain http:\/\/ to example\.invalid: anyone on the network path could read it\nhint: use https:\/\/, or pass --insecure/,
    );
    expect(result.stderr).not.toContain('[debug] →');
  });

  it('says the service is unreachable (exit 5) and how to start one', async () => {
    const port = await closedPort();
    const result = await sotail(['login', '--api-url', `http://127.0.0.1:${port}`, '--token-stdin'], {
      configDir: tempConfigDir(),
      stdin: DEV,
    });
    expect(result.code).toBe(5);
    expect(normalizeOutput(result.stderr)).toBe(
      'sotail: cannot connect to 127.0.0.1:PORT: connection refused (gave up after 2 attempts)\nhint: is the service up? `sotail mock` starts a local one\n',
    );
  });
});

describe('sotail whoami', () => {
  it('prints JSON to a pipe', async () => {
    const configDir = await loggedIn();
    const result = await sotail(['whoami'], { configDir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      tier: 'pro',
      org_id: 'org_sotail_dev',
      api_url: mock.url,
      profile: 'default',
      scopes: ['logs:read', 'logs:write', 'usage:read'],
    });
  });

  it('works from SOTAIL_API_URL + SOTAIL_TOKEN alone, with no profile (CI)', async () => {
    const result = await sotail(['whoami'], {
      configDir: tempConfigDir(),
      env: { SOTAIL_API_URL: mock.url, SOTAIL_TOKEN: READONLY },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ scopes: ['logs:read'], profile: null });
  });

  it('SOTAIL_TOKEN overrides the profile token', async () => {
    const configDir = await loggedIn(DEV);
    const result = await sotail(['whoami'], { configDir, env: { SOTAIL_TOKEN: READONLY } });
    expect(JSON.parse(result.stdout)).toMatchObject({ scopes: ['logs:read'], profile: 'default' });
  });

  it('without credentials exits 3 with the pointer message', async () => {
    const result = await sotail(['whoami'], { configDir: tempConfigDir() });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'sotail: no credentials: run `sotail login` (or `sotail mock` for a local service and `sotail login --api-url http://127.0.0.1:4010`)\n' +
        'hint: in a script or CI, set SOTAIL_API_URL and SOTAIL_TOKEN instead (nothing is stored)\n',
    );
  });

  it('with a revoked or wrong token exits 3 with the login hint', async () => {
    const result = await sotail(['whoami'], {
      configDir: tempConfigDir(),
      env: { SOTAIL_API_URL: mock.url, SOTAIL_TOKEN: 'so_test_not_a_real_token_xyz' },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /\nhint: the token was rejected: run `sotail login` again \(or fix SOTAIL_TOKEN\)\n$/,
    );
  });

  it('--debug shows each exchange with the token redacted', async () => {
    const configDir = await loggedIn();
    const result = await sotail(['--debug', 'whoami'], { configDir });
    expect(normalizeOutput(result.stderr)).toMatch(
      /^\[debug\] → GET http:\/\/127\.0\.0\.1:PORT\/auth\/whoami \(authorization: Bearer so_test_…_dev\)\n\[debug\] ← 200 GET http:\/\/127\.0\.0\.1:PORT\/auth\/whoami \d+ms\n$/,
    );
  });
});

describe('sotail profile and logout', () => {
  it('lists, shows, switches and removes profiles, tokens redacted', async () => {
    const configDir = await loggedIn(DEV);
    await loggedIn(READONLY, 'ro', configDir);

    const list = await sotail(['profile', 'list'], { configDir });
    const profiles = list.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(profiles.map((p) => [p.name, p.active, p.token])).toEqual([
      ['default', true, 'so_test_…_dev'],
      ['ro', false, 'so_test_…only'],
    ]);

    const use = await sotail(['profile', 'use', 'ro'], { configDir });
    expect(normalizeOutput(use.stderr)).toBe('Now using profile "ro" (http://127.0.0.1:PORT)\n');
    const show = await sotail(['profile', 'show'], { configDir });
    expect(JSON.parse(show.stdout)).toMatchObject({
      name: 'ro',
      active: true,
      token: 'so_test_…only',
      scopes: ['logs:read'],
    });

    const other = await sotail(['whoami', '--profile', 'default'], { configDir });
    expect(JSON.parse(other.stdout)).toMatchObject({ profile: 'default', tier: 'pro' });

    const remove = await sotail(['profile', 'remove', 'ro'], { configDir });
    expect(remove.stderr).toBe(
      'Removed profile "ro"\nNo profile is active now: choose one with `sotail profile use NAME`\n',
    );
    const after = await sotail(['whoami'], { configDir });
    expect(after.code).toBe(3);

    const unknown = await sotail(['profile', 'use', 'nope'], { configDir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no profile named "nope"/);
  });

  it('an unknown --profile is an error, not a silent fallback', async () => {
    const configDir = await loggedIn();
    const result = await sotail(['whoami', '--profile', 'typo'], { configDir });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^sotail: no profile named "typo" \(from --profile\)/);
  });

  it('logout removes the token but keeps the URL, so a later login needs no flags', async () => {
    const configDir = await loggedIn();
    const logout = await sotail(['logout'], { configDir });
    expect(logout.code).toBe(0);
    expect(normalizeOutput(logout.stderr)).toMatch(
      /^Logged out of profile "default" \(http:\/\/127\.0\.0\.1:PORT\): token removed from .*config\.json\n$/,
    );
    expect(readFileSync(join(configDir, 'config.json'), 'utf8')).not.toContain('so_test_');

    const whoami = await sotail(['whoami'], { configDir });
    expect(whoami.code).toBe(3);
    expect(whoami.stderr).toMatch(
      /profile "default" has no token \(logged out\)\nhint: run `sotail login --profile default`/,
    );

    const again = await sotail(['login', '--token-stdin'], { configDir, stdin: DEV });
    expect(again.code).toBe(0);
  });
});

describe('secrets', () => {
  it('no token ever appeared in any output above', () => {
    expect(transcript.length).toBeGreaterThan(20);
    for (const output of transcript) for (const secret of SECRETS) expect(output).not.toContain(secret);
  });
});
