import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, ensureIdentity, retryPolicyFromEnv } from '../../src/cli/connect.js';
import type { CliContext } from '../../src/cli/context.js';
import { AuthConfigError, UsageError } from '../../src/errors.js';
import { fakeContext } from '../helpers/in-process.js';

function contextWith(env: Record<string, string>): CliContext & { errText: () => string } {
  const fake = fakeContext({ env });
  return Object.assign(fake.context, { errText: fake.stderr });
}

describe('connect', () => {
  it('with SOTAIL_API_URL + SOTAIL_TOKEN, never touches the config directory', async () => {
    const configDir = join(mkdtempSync(join(tmpdir(), 'sotail-connect-')), 'absent');
    const context = contextWith({
      SOTAIL_CONFIG_DIR: configDir,
      SOTAIL_API_URL: 'http://127.0.0.1:9/',
      SOTAIL_TOKEN: 'so_test_from_env_12345',
    });
    const connection = await connect(context, { color: 'auto' });
    expect(connection.apiUrl).toBe('http://127.0.0.1:9');
    expect(connection.client.baseUrl).toBe('http://127.0.0.1:9');
    expect(connection.token?.redacted()).toBe('so_test_…2345');
    expect(connection.profileName).toBeUndefined();
    expect(existsSync(configDir)).toBe(false);
    await connection.client.close();
  });

  it('refuses a token over plain http to a non-loopback host unless --insecure', async () => {
    const env = { SOTAIL_API_URL: 'http://example.invalid', SOTAIL_TOKEN: 'so_test_from_env_12345' };
    await expect(connect(contextWith(env), { color: 'auto' })).rejects.toBeInstanceOf(UsageError);
    const connection = await connect(contextWith(env), { color: 'auto', insecure: true });
    await connection.client.close();
  });

  it('fails with the pointer message when there are no credentials', async () => {
    const configDir = join(mkdtempSync(join(tmpdir(), 'sotail-connect-')), 'sotail');
    await expect(connect(contextWith({ SOTAIL_CONFIG_DIR: configDir }), { color: 'auto' })).rejects.toThrow(
      AuthConfigError,
    );
  });
});

describe('ensureIdentity', () => {
  it('asks whoami once when the identity is missing', async () => {
    let calls = 0;
    const client = {
      whoami: async () => {
        calls += 1;
        return { tenantId: 't', userUuid: 'u' };
      },
    };
    const connection = { client, apiUrl: 'x' } as unknown as Parameters<typeof ensureIdentity>[0];
    expect(await ensureIdentity(connection)).toEqual({ tenantId: 't', userUuid: 'u' });
    expect(await ensureIdentity(connection)).toEqual({ tenantId: 't', userUuid: 'u' });
    expect(calls).toBe(1);
  });
});

describe('retryPolicyFromEnv (testing knobs)', () => {
  it('reads the knobs', () => {
    expect(
      retryPolicyFromEnv({
        SOTAIL_RETRY_BASE_MS: '1',
        SOTAIL_RETRY_MAX_MS: '10',
        SOTAIL_RETRY_ATTEMPTS: '2',
      }),
    ).toEqual({ baseDelayMs: 1, maxDelayMs: 10, maxAttempts: 2 });
    expect(retryPolicyFromEnv({})).toEqual({});
  });

  it.each([
    ['SOTAIL_RETRY_BASE_MS', 'fast'],
    ['SOTAIL_RETRY_ATTEMPTS', '0'],
    ['SOTAIL_RETRY_MAX_MS', '-1'],
  ])('rejects %s=%s', (name, value) => {
    expect(() => retryPolicyFromEnv({ [name]: value })).toThrow(UsageError);
  });
});
