import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/config/profiles.js';
import {
  NO_CREDENTIALS_MESSAGE,
  needsProfileStore,
  type ProfileLookup,
  resolveCredentials,
} from '../../src/config/resolve.js';
import { AuthConfigError, UsageError } from '../../src/errors.js';
import { Token } from '../../src/model/token.js';

const PROFILES: Record<string, Profile> = {
  default: {
    apiUrl: 'http://127.0.0.1:4010',
    token: Token.from('so_test_default_token_aaaa'),
    tenantId: 't-default',
  },
  staging: { apiUrl: 'https://staging.example.com', token: Token.from('so_live_staging_token_bbbb') },
  out: { apiUrl: 'https://out.example.com' },
};

function store(active: string | undefined = 'default'): ProfileLookup {
  return { activeName: () => active, get: (name) => PROFILES[name] };
}

const ENV_TOKEN = 'so_test_env_token_cccc';

describe('resolveCredentials precedence: flags > env > active profile', () => {
  it.each<{
    name: string;
    flags?: { profile?: string; apiUrl?: string };
    env?: Record<string, string>;
    active?: string;
    expected: {
      apiUrl: string;
      apiUrlSource: string;
      tokenSource?: string;
      profileName?: string;
      token?: string;
    };
  }>([
    {
      name: 'the active profile alone',
      expected: {
        apiUrl: 'http://127.0.0.1:4010',
        apiUrlSource: 'profile',
        tokenSource: 'profile',
        profileName: 'default',
        token: 'so_test_…aaaa',
      },
    },
    {
      name: 'SOTAIL_PROFILE over the active profile',
      env: { SOTAIL_PROFILE: 'staging' },
      expected: {
        apiUrl: 'https://staging.example.com',
        apiUrlSource: 'profile',
        tokenSource: 'profile',
        profileName: 'staging',
      },
    },
    {
      name: '--profile over SOTAIL_PROFILE',
      flags: { profile: 'default' },
      env: { SOTAIL_PROFILE: 'staging' },
      expected: {
        apiUrl: 'http://127.0.0.1:4010',
        apiUrlSource: 'profile',
        tokenSource: 'profile',
        profileName: 'default',
      },
    },
    {
      name: 'SOTAIL_TOKEN over the profile token (CI)',
      env: { SOTAIL_TOKEN: ENV_TOKEN },
      expected: {
        apiUrl: 'http://127.0.0.1:4010',
        apiUrlSource: 'profile',
        tokenSource: 'env',
        profileName: 'default',
        token: 'so_test_…cccc',
      },
    },
    {
      name: 'SOTAIL_API_URL + SOTAIL_TOKEN without any profile',
      env: { SOTAIL_API_URL: 'https://ci.example.com/', SOTAIL_TOKEN: ENV_TOKEN },
      active: 'none',
      expected: { apiUrl: 'https://ci.example.com', apiUrlSource: 'env', tokenSource: 'env' },
    },
    {
      name: '--api-url over SOTAIL_API_URL',
      flags: { apiUrl: 'https://flag.example.com' },
      env: { SOTAIL_API_URL: 'https://env.example.com', SOTAIL_TOKEN: ENV_TOKEN },
      expected: {
        apiUrl: 'https://flag.example.com',
        apiUrlSource: 'flag',
        tokenSource: 'env',
        profileName: 'default',
      },
    },
    {
      name: "--api-url on the profile's own origin keeps the profile token",
      flags: { apiUrl: 'http://127.0.0.1:4010/v2' },
      expected: {
        apiUrl: 'http://127.0.0.1:4010/v2',
        apiUrlSource: 'flag',
        tokenSource: 'profile',
        profileName: 'default',
      },
    },
  ])('$name', ({ flags = {}, env = {}, active, expected }) => {
    const resolved = resolveCredentials({ flags, env, store: store(active) });
    expect({
      apiUrl: resolved.apiUrl,
      apiUrlSource: resolved.apiUrlSource,
      tokenSource: resolved.tokenSource,
      profileName: resolved.profileName,
      ...(expected.token ? { token: resolved.token?.redacted() } : {}),
    }).toEqual({ tokenSource: undefined, profileName: undefined, ...expected });
  });

  it.each<{
    name: string;
    flags?: { profile?: string; apiUrl?: string };
    env?: Record<string, string>;
    active?: string;
    error: RegExp;
    type: typeof AuthConfigError;
  }>([
    {
      name: 'nothing at all',
      active: 'none',
      error: /^no credentials: run `sotail login`/,
      type: AuthConfigError,
    },
    {
      name: 'an unknown --profile',
      flags: { profile: 'typo' },
      error: /no profile named "typo" \(from --profile\)/,
      type: AuthConfigError,
    },
    {
      name: 'an unknown SOTAIL_PROFILE',
      env: { SOTAIL_PROFILE: 'typo' },
      error: /from SOTAIL_PROFILE/,
      type: AuthConfigError,
    },
    {
      name: 'a logged-out profile',
      flags: { profile: 'out' },
      error: /profile "out" has no token \(logged out\)/,
      type: AuthConfigError,
    },
    {
      name: "--api-url to another origin: the profile's token is not sent there",
      flags: { apiUrl: 'https://elsewhere.example.com' },
      error:
        /token of profile "default" is for http:\/\/127\.0\.0\.1:4010, not https:\/\/elsewhere\.example\.com/,
      type: AuthConfigError,
    },
    {
      name: 'a URL only, no token anywhere: the message names the missing token',
      env: { SOTAIL_API_URL: 'http://127.0.0.1:1' },
      active: 'none',
      error: /^no token for http:\/\/127\.0\.0\.1:1 \(from SOTAIL_API_URL\)$/,
      type: AuthConfigError,
    },
    {
      name: 'a token only, no URL anywhere: the message names the missing URL',
      env: { SOTAIL_TOKEN: 'so_test_abcdefghijkl' },
      active: 'none',
      error: /^SOTAIL_TOKEN is set, but no API URL is/,
      type: AuthConfigError,
    },
    {
      name: 'a malformed URL',
      flags: { apiUrl: 'not a url' },
      error: /--api-url is not a valid URL/,
      type: UsageError,
    },
    {
      name: 'a non-http URL',
      env: { SOTAIL_API_URL: 'ftp://x' },
      error: /SOTAIL_API_URL must use http/,
      type: UsageError,
    },
  ])('fails for $name', ({ flags = {}, env = {}, active, error, type }) => {
    expect(() => resolveCredentials({ flags, env, store: store(active) })).toThrow(type);
    expect(() => resolveCredentials({ flags, env, store: store(active) })).toThrow(error);
  });

  it('the no-credentials message is the documented pointer', () => {
    expect(NO_CREDENTIALS_MESSAGE).toBe(
      'no credentials: run `sotail login` (or `sotail mock` for a local service and `sotail login --api-url http://127.0.0.1:4010`)',
    );
  });

  it('works without a token when the command does not need one', () => {
    const resolved = resolveCredentials({
      flags: { apiUrl: 'http://127.0.0.1:9' },
      env: {},
      needsToken: false,
    });
    expect(resolved).toEqual({ apiUrl: 'http://127.0.0.1:9', apiUrlSource: 'flag', insecure: false });
  });
});

describe('needsProfileStore', () => {
  it.each([
    [{}, {}, true, true],
    [{}, { SOTAIL_API_URL: 'u', SOTAIL_TOKEN: 't' }, true, false],
    [{ apiUrl: 'u' }, { SOTAIL_TOKEN: 't' }, true, false],
    [{ apiUrl: 'u' }, {}, true, true],
    [{ apiUrl: 'u' }, {}, false, false],
    [{ profile: 'p' }, { SOTAIL_API_URL: 'u', SOTAIL_TOKEN: 't' }, true, true],
    [{}, { SOTAIL_PROFILE: 'p', SOTAIL_API_URL: 'u', SOTAIL_TOKEN: 't' }, true, true],
  ])('flags %j env %j needsToken %s → %s', (flags, env, needsToken, expected) => {
    expect(needsProfileStore({ flags, env, needsToken })).toBe(expected);
  });
});

describe('insecure transport: --insecure, SOTAIL_INSECURE, or the profile that was logged into so', () => {
  const lan: Record<string, Profile> = {
    lan: { apiUrl: 'http://10.0.0.5:4010', token: Token.from('so_test_lan_token_dddd'), insecure: true },
    plain: { apiUrl: 'http://10.0.0.6:4010', token: Token.from('so_test_plain_token_eeee') },
  };
  const lookup = (active: string): ProfileLookup => ({ activeName: () => active, get: (name) => lan[name] });

  it.each<[string, { insecure?: boolean }, Record<string, string>, string, boolean]>([
    ['nothing says so', {}, {}, 'plain', false],
    ['--insecure', { insecure: true }, {}, 'plain', true],
    ['SOTAIL_INSECURE=1', {}, { SOTAIL_INSECURE: '1' }, 'plain', true],
    ['SOTAIL_INSECURE=true', {}, { SOTAIL_INSECURE: 'TRUE' }, 'plain', true],
    ['SOTAIL_INSECURE=0', {}, { SOTAIL_INSECURE: '0' }, 'plain', false],
    ['the profile setting, on its own URL', {}, {}, 'lan', true],
  ])('%s', (_name, flags, env, active, expected) => {
    expect(resolveCredentials({ flags, env, store: lookup(active) }).insecure).toBe(expected);
  });

  it("the profile's setting does not follow --api-url to another host", () => {
    const resolved = resolveCredentials({
      flags: { apiUrl: 'http://10.0.0.9:4010' },
      env: { SOTAIL_TOKEN: 'so_test_env_token_cccc' },
      store: lookup('lan'),
    });
    expect(resolved.insecure).toBe(false);
  });
});
