import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProfileStore, resolveConfigDir } from '../../src/config/profiles.js';
import { FileError, UsageError } from '../../src/errors.js';
import { Token } from '../../src/model/token.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A fresh config directory, optionally holding a copy of a fixture as its config.json. */
function configDir(fixture?: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sotail-profiles-')), 'sotail');
  if (fixture) {
    mkdirSync(dir, { mode: 0o700 });
    copyFileSync(join(FIXTURES, fixture), join(dir, 'config.json'));
    chmodSync(join(dir, 'config.json'), 0o600);
  }
  return dir;
}

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('resolveConfigDir', () => {
  it.each([
    [{ SOTAIL_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/x', HOME: '/h' }, '/a'],
    [{ XDG_CONFIG_HOME: '/x', HOME: '/h' }, '/x/sotail'],
    [{ HOME: '/h' }, '/h/.config/sotail'],
    [{ SOTAIL_CONFIG_DIR: '', XDG_CONFIG_HOME: '', HOME: '/h' }, '/h/.config/sotail'],
  ])('%j → %s', (env, expected) => {
    expect(resolveConfigDir(env)).toBe(expected);
  });
});

describe('ProfileStore with fixture files', () => {
  it('reads a valid file: profiles, tokens as Token, the active name', () => {
    const store = ProfileStore.open({ configDir: configDir('valid.json') });
    expect(store.activeName()).toBe('default');
    expect(store.list().map((profile) => profile.name)).toEqual(['default', 'logged-out', 'staging']);
    const profile = store.get('default');
    expect(profile?.token).toBeInstanceOf(Token);
    expect(profile?.token?.reveal()).toBe('so_test_fixture_default_token1');
    expect(profile).toMatchObject({ apiUrl: 'http://127.0.0.1:4010', tenantId: 'tenant-1', tier: 'pro' });
    expect(profile?.scopes).toEqual(['logs:read', 'logs:write']);
    expect(store.get('logged-out')?.token).toBeUndefined();
    expect(store.get('nope')).toBeUndefined();
    expect(store.get('__proto__')).toBeUndefined();
  });

  it('reports corrupt JSON as a FileError naming the file, and leaves the file untouched', () => {
    const dir = configDir('corrupt.json.fixture');
    const path = join(dir, 'config.json');
    const before = readFileSync(path);
    let error: unknown;
    try {
      ProfileStore.open({ configDir: dir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).message).toContain(path);
    expect((error as FileError).message).toMatch(/not valid JSON/);
    expect((error as FileError).hint).toMatch(/left untouched/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('tolerates unknown keys, skips an entry without a URL, and keeps unknown keys on write', () => {
    const dir = configDir('unknown-keys.json');
    const store = ProfileStore.open({ configDir: dir });
    expect(store.list().map((profile) => profile.name)).toEqual(['default']);
    store.set('default', {
      apiUrl: 'http://127.0.0.1:5000',
      token: Token.from('so_test_replacement_token9'),
    });
    const written = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(written.telemetry).toBe(false);
    expect(written.profiles.default).toEqual({
      apiUrl: 'http://127.0.0.1:5000',
      token: 'so_test_replacement_token9',
      color: 'always',
      futureField: { nested: [1, 2, 3] },
    });
    expect(written.profiles.broken).toEqual({ token: 'so_test_no_url_here_token3' });
  });
});

describe('ProfileStore writes', () => {
  it('creates the directory 0700 and the file 0600, and does not create the file just by opening', () => {
    const dir = configDir();
    const store = ProfileStore.open({ configDir: dir });
    expect(mode(dir)).toBe(0o700);
    expect(existsSync(store.path)).toBe(false);
    store.set('default', { apiUrl: 'http://127.0.0.1:4010', token: Token.from('so_test_abcdefghijkl') });
    expect(mode(store.path)).toBe(0o600);
    expect(ProfileStore.open({ configDir: dir }).get('default')?.token?.reveal()).toBe(
      'so_test_abcdefghijkl',
    );
  });

  it('narrows a 0644 file and a 0755 directory, and says so', () => {
    const dir = configDir('valid.json');
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'config.json'), 0o644);
    const warnings: string[] = [];
    ProfileStore.open({ configDir: dir, onWarning: (message) => warnings.push(message) });
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'config.json'))).toBe(0o600);
    expect(warnings).toEqual([
      expect.stringMatching(/config directory .* was readable by others \(mode 0755\); changed it to 0700/),
      expect.stringMatching(
        /config file .*config\.json was readable by others \(mode 0644\); changed it to 0600/,
      ),
    ]);
  });

  it('switches, removes and clears the active profile', () => {
    const store = ProfileStore.open({ configDir: configDir('valid.json') });
    store.use('staging');
    expect(store.activeName()).toBe('staging');
    expect(store.remove('staging')).toBe(true);
    expect(store.activeName()).toBeUndefined();
    expect(store.remove('staging')).toBe(false);
    expect(() => store.use('nope')).toThrow(UsageError);
  });

  it('refuses profile names that could not be typed back', () => {
    const store = ProfileStore.open({ configDir: configDir() });
    for (const name of ['', 'a b', '../x', '-x', 'x'.repeat(65)]) {
      expect(() => store.set(name, { apiUrl: 'http://127.0.0.1:1' })).toThrow(UsageError);
    }
  });
});

describe('ProfileStore with a damaged profile', () => {
  /** A config directory whose config.json is exactly `config`. */
  function withConfig(config: unknown): string {
    const dir = configDir();
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
    return dir;
  }

  it.each([
    [{ apiUrl: 'http://127.0.0.1:4010', token: 12345 }, 'field "token" is a number, not a string'],
    [{ apiUrl: ['http://x'] }, 'field "apiUrl" is a list, not a string'],
    [
      { apiUrl: 'http://127.0.0.1:4010', token: 'so_test_with a space' },
      'field "token" is not a usable token',
    ],
    [{ apiUrl: 'http://127.0.0.1:4010', scopes: 'logs:read' }, 'field "scopes" is not a list of strings'],
    [{ apiUrl: 'http://127.0.0.1:4010', insecure: 'yes' }, 'field "insecure" is a string, not true or false'],
    ['http://127.0.0.1:4010', 'it is a string, not an object'],
  ])('says which file, profile and field (%j), and login-style set() does not overwrite it', (entry, why) => {
    const dir = withConfig({
      activeProfile: 'default',
      profiles: { default: entry, other: { apiUrl: 'http://a' } },
    });
    const path = join(dir, 'config.json');
    const before = readFileSync(path);
    const store = ProfileStore.open({ configDir: dir });
    for (const attempt of [
      () => store.get('default'),
      () => store.list(),
      () =>
        store.set('default', { apiUrl: 'http://127.0.0.1:4010', token: Token.from('so_test_new_token_123') }),
    ]) {
      let error: unknown;
      try {
        attempt();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(FileError);
      expect((error as FileError).message).toContain(
        `the config file ${path} is damaged: profile "default": ${why}`,
      );
      expect((error as FileError).hint).toMatch(/left untouched/);
    }
    expect(readFileSync(path).equals(before)).toBe(true);
    // The other profiles stay usable, and the damaged one can still be removed.
    expect(store.get('other')?.apiUrl).toBe('http://a');
    expect(store.remove('default')).toBe(true);
  });

  it('a wrongly typed activeProfile is damage too, not "no profile"', () => {
    const store = ProfileStore.open({ configDir: withConfig({ activeProfile: 7, profiles: {} }) });
    expect(() => store.activeName()).toThrow(/damaged: "activeProfile" is a number, not a string/);
  });

  it('a config.json that is a directory: a clear error, and its mode is left alone', () => {
    const dir = configDir();
    mkdirSync(join(dir, 'config.json'), { recursive: true, mode: 0o755 });
    chmodSync(join(dir, 'config.json'), 0o755);
    expect(() => ProfileStore.open({ configDir: dir })).toThrow(
      `the config file ${join(dir, 'config.json')} is a directory`,
    );
    expect(mode(join(dir, 'config.json'))).toBe(0o755);
  });
});

describe('ProfileStore fuzz', () => {
  it('any JSON in config.json: profiles are read or a FileError says what is wrong, never another error', () => {
    const dir = configDir();
    mkdirSync(dir, { mode: 0o700 });
    const path = join(dir, 'config.json');
    const anyProfile = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          apiUrl: fc.oneof(fc.constant('http://127.0.0.1:1'), fc.jsonValue({ maxDepth: 1 })),
          token: fc.oneof(fc.constant('so_test_abcdefghijkl'), fc.string(), fc.jsonValue({ maxDepth: 1 })),
          scopes: fc.jsonValue({ maxDepth: 2 }),
          insecure: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      ),
    );
    const anyConfig = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record(
        { activeProfile: fc.jsonValue({ maxDepth: 1 }), profiles: fc.dictionary(fc.string(), anyProfile) },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(anyConfig, (config) => {
        writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
        const before = readFileSync(path);
        try {
          const store = ProfileStore.open({ configDir: dir });
          store.activeName();
          for (const profile of store.list()) expect(typeof profile.apiUrl).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(FileError);
          expect((error as FileError).message).toContain(path);
        }
        expect(readFileSync(path).equals(before)).toBe(true);
      }),
    );
  });
});
