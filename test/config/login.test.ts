import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WhoAmI } from '../../src/api/types.js';
import { formatLoginSummary, type LoginRequest, login, logout } from '../../src/config/login.js';
import { ProfileStore } from '../../src/config/profiles.js';
import { ApiError, AuthConfigError, FileError, UsageError } from '../../src/errors.js';
import { Token } from '../../src/model/token.js';

const WHOAMI: WhoAmI = {
  token_prefix: 'so_test_abcd…',
  mode: 'test',
  scopes: ['logs:read', 'usage:read'],
  org_id: 'org_1',
  project_id: 'prj_1',
  tier: 'pro',
  tenantId: 'tenant-1',
  userUuid: 'user-1',
};
const TOKEN = Token.from('so_test_abcdefghijkl1234');

function newStore(): ProfileStore {
  return ProfileStore.open({ configDir: join(mkdtempSync(join(tmpdir(), 'sotail-login-')), 'sotail') });
}

function loginWith(store: ProfileStore, request: Partial<LoginRequest>, checks: string[] = []) {
  return login(
    { profileExplicit: request.profile !== undefined, insecure: false, ...request },
    {
      store,
      readToken: async () => TOKEN,
      checkToken: async (apiUrl, token) => {
        checks.push(`${apiUrl} ${token.redacted()}`);
        return WHOAMI;
      },
    },
  );
}

describe('login', () => {
  it('refuses to replace a damaged profile (the old token may be the only copy) and says what is wrong', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sotail-login-')), 'sotail');
    mkdirSync(dir, { mode: 0o700 });
    const path = join(dir, 'config.json');
    const damaged = JSON.stringify({
      profiles: { default: { apiUrl: 'http://127.0.0.1:4010', token: ['so_live_x'] } },
    });
    writeFileSync(path, damaged, { mode: 0o600 });
    const checks: string[] = [];
    const attempt = loginWith(
      ProfileStore.open({ configDir: dir }),
      { apiUrl: 'http://127.0.0.1:4010' },
      checks,
    );
    await expect(attempt).rejects.toThrow(FileError);
    await expect(attempt).rejects.toThrow(`${path} is damaged: profile "default": field "token" is a list`);
    expect(readFileSync(path, 'utf8')).toBe(damaged);
    expect(checks).toEqual([]);
  });

  it('checks the token, stores it with its identity, and activates the first profile', async () => {
    const store = newStore();
    const checks: string[] = [];
    const result = await loginWith(store, { apiUrl: 'http://127.0.0.1:4010/' }, checks);
    expect(checks).toEqual(['http://127.0.0.1:4010 so_test_…1234']);
    expect(result).toMatchObject({ profileName: 'default', apiUrl: 'http://127.0.0.1:4010', active: true });
    expect(store.activeName()).toBe('default');
    const saved = store.get('default');
    expect(saved?.token?.reveal()).toBe(TOKEN.reveal());
    expect(saved).toMatchObject({
      tenantId: 'tenant-1',
      userUuid: 'user-1',
      orgId: 'org_1',
      tier: 'pro',
      mode: 'test',
    });
    expect(saved?.scopes).toEqual(['logs:read', 'usage:read']);
    expect(formatLoginSummary(result, {})).toEqual([
      'Logged in to http://127.0.0.1:4010 as so_test_…1234 (org org_1, tier pro, scopes logs:read, usage:read) — profile "default"',
    ]);
  });

  it('leaves the active profile alone when another is named, and says how to switch', async () => {
    const store = newStore();
    await loginWith(store, { apiUrl: 'http://127.0.0.1:4010' });
    const result = await loginWith(store, { profile: 'staging', apiUrl: 'https://staging.example.com' });
    expect(result.active).toBe(false);
    expect(store.activeName()).toBe('default');
    expect(formatLoginSummary(result, { SOTAIL_TOKEN: 'x' }).join('\n')).toMatch(
      /profile use staging`\nNote: SOTAIL_TOKEN is set/,
    );
  });

  it('reuses the stored URL when logging in again', async () => {
    const store = newStore();
    await loginWith(store, { profile: 'p', apiUrl: 'http://127.0.0.1:4010' });
    const checks: string[] = [];
    await loginWith(store, { profile: 'p' }, checks);
    expect(checks[0]).toMatch(/^http:\/\/127\.0\.0\.1:4010 /);
  });

  it('needs a URL for a new profile, and refuses plain http to another host before reading the token', async () => {
    const store = newStore();
    await expect(loginWith(store, {})).rejects.toThrow(/profile "default" is new: pass --api-url/);
    let asked = false;
    const refused = login(
      { apiUrl: 'http://example.invalid', profileExplicit: false, insecure: false },
      {
        store,
        readToken: async () => {
          asked = true;
          return TOKEN;
        },
        checkToken: async () => WHOAMI,
      },
    );
    await expect(refused).rejects.toBeInstanceOf(UsageError);
    expect(asked).toBe(false);
  });

  it('turns a 401 into an AuthConfigError and stores nothing', async () => {
    const store = newStore();
    const rejected = login(
      { apiUrl: 'http://127.0.0.1:4010', profileExplicit: false, insecure: false },
      {
        store,
        readToken: async () => TOKEN,
        checkToken: async () => {
          throw new ApiError({ status: 401, code: 'unauthorized', message: 'bad', url: 'u', extra: {} });
        },
      },
    );
    await expect(rejected).rejects.toThrow(AuthConfigError);
    await expect(rejected).rejects.toThrow(
      'http://127.0.0.1:4010 rejected the token so_test_…1234 (401 unauthorized)',
    );
    expect(store.list()).toEqual([]);
  });
});

describe('logout', () => {
  it('removes the token and identity, keeps the URL', async () => {
    const store = newStore();
    await loginWith(store, { apiUrl: 'http://127.0.0.1:4010' });
    expect(logout(store, undefined)).toEqual({
      profileName: 'default',
      apiUrl: 'http://127.0.0.1:4010',
      removedToken: true,
    });
    expect(store.get('default')).toEqual({ apiUrl: 'http://127.0.0.1:4010' });
    expect(logout(store, 'default').removedToken).toBe(false);
  });

  it('fails clearly with no such profile', () => {
    const store = newStore();
    expect(() => logout(store, undefined)).toThrow(/no active profile/);
    expect(() => logout(store, 'nope')).toThrow(/no profile named "nope"/);
  });
});
