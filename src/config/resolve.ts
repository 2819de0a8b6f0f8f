/**
 * Which API URL and token a command uses, decided in one pure function so the precedence can be
 * tested as a table: flags (`--profile`, `--api-url`) > environment (`SOTAIL_PROFILE`,
 * `SOTAIL_API_URL`, `SOTAIL_TOKEN`) > the active profile. A profile's token is used only for that
 * profile's own origin: pointing `--api-url` elsewhere does not carry it along.
 */

import { formatApiUrl, isSameOrigin, parseApiUrl } from '../api/transport-policy.js';
import { AuthConfigError } from '../errors.js';
import { Token } from '../model/token.js';
import { unknownProfileHint } from './profile-name.js';
import type { Profile } from './profiles.js';

export const NO_CREDENTIALS_MESSAGE =
  'no credentials: run `sotail login` (or `sotail mock` for a local service and `sotail login --api-url http://127.0.0.1:4010`)';

export interface CredentialFlags {
  profile?: string | undefined;
  apiUrl?: string | undefined;
  /** `--insecure`: plain http:// to a non-loopback host is allowed for this run. */
  insecure?: boolean | undefined;
}

/** A setting given by the user for this run, and where it came from (for messages). */
export interface ExplicitChoice {
  value: string;
  /** `--profile`, `SOTAIL_PROFILE`, `--api-url` or `SOTAIL_API_URL`. */
  via: string;
  source: 'flag' | 'env';
}

/** The profile named by `--profile`, else by SOTAIL_PROFILE (an empty variable counts as unset). */
export function explicitProfile(
  flags: CredentialFlags,
  env: Readonly<Record<string, string | undefined>>,
): ExplicitChoice | undefined {
  if (flags.profile) return { value: flags.profile, via: '--profile', source: 'flag' };
  if (env.SOTAIL_PROFILE) return { value: env.SOTAIL_PROFILE, via: 'SOTAIL_PROFILE', source: 'env' };
  return undefined;
}

/** The API URL given by `--api-url`, else by SOTAIL_API_URL. */
export function explicitApiUrl(
  flags: CredentialFlags,
  env: Readonly<Record<string, string | undefined>>,
): ExplicitChoice | undefined {
  if (flags.apiUrl) return { value: flags.apiUrl, via: '--api-url', source: 'flag' };
  if (env.SOTAIL_API_URL) return { value: env.SOTAIL_API_URL, via: 'SOTAIL_API_URL', source: 'env' };
  return undefined;
}

/** SOTAIL_INSECURE: `1`, `true` or `yes` (any case) allow it; anything else does not. */
export function insecureFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  return /^(?:1|true|yes)$/i.test(env.SOTAIL_INSECURE?.trim() ?? '');
}

/** The part of ProfileStore that resolution reads (a plain object in tests). */
export interface ProfileLookup {
  activeName(): string | undefined;
  get(name: string): Profile | undefined;
  /** Every profile, for "did you mean" (absent in some tests' stand-ins). */
  list?(): { name: string }[];
}

export type SettingSource = 'flag' | 'env' | 'profile' | 'stream';

export interface ResolvedCredentials {
  /** Normalised base URL. */
  apiUrl: string;
  apiUrlSource: SettingSource;
  token?: Token;
  tokenSource?: 'env' | 'profile';
  /** The profile in play (named or active), if any. */
  profileName?: string;
  profile?: Profile;
  /**
   * Whether a token may go over plain http:// to a host that is not loopback: `--insecure`,
   * SOTAIL_INSECURE, or the profile's own setting (stored by `sotail login --insecure`) when the
   * URL is the profile's.
   */
  insecure: boolean;
}

export interface ResolveInput {
  flags: CredentialFlags;
  env: Readonly<Record<string, string | undefined>>;
  /** Absent when `needsProfileStore` said the environment is enough. */
  store?: ProfileLookup | undefined;
  /** False for commands that can work without a token; default true. */
  needsToken?: boolean;
  /**
   * The origin to use when nothing names an API (no flag, variable or profile): a `tail --url` of
   * another service needs no profile, and gets no token.
   */
  fallbackApiUrl?: string | undefined;
}

/** Whether resolution needs the config file at all (CI with SOTAIL_API_URL + SOTAIL_TOKEN does not). */
export function needsProfileStore(input: Omit<ResolveInput, 'store'>): boolean {
  const { flags, env } = input;
  if (flags.profile || env.SOTAIL_PROFILE) return true;
  const urlGiven = Boolean(flags.apiUrl || env.SOTAIL_API_URL);
  const tokenSettled = Boolean(env.SOTAIL_TOKEN) || input.needsToken === false;
  return !(urlGiven && tokenSettled);
}

/**
 * Applies the precedence. Throws AuthConfigError when there is nothing to connect with, when a
 * named profile does not exist, or when the only token belongs to another origin; UsageError for
 * a URL that does not parse.
 */
export function resolveCredentials(input: ResolveInput): ResolvedCredentials {
  const { flags, env, store } = input;
  const needsToken = input.needsToken ?? true;
  const explicit = explicitProfile(flags, env);
  const profileName = explicit?.value ?? store?.activeName();
  const profile = profileName ? store?.get(profileName) : undefined;
  if (explicit && !profile) {
    const names = store?.list?.().map((each) => each.name) ?? [];
    throw new AuthConfigError(`no profile named "${explicit.value}" (from ${explicit.via})`, {
      hint: unknownProfileHint(explicit.value, names),
    });
  }

  const given = explicitApiUrl(flags, env);
  const urlChoice = given
    ? { text: given.value, source: given.source, label: given.via }
    : profile
      ? {
          text: profile.apiUrl,
          source: 'profile' as const,
          label: `the API URL of profile "${profileName}"`,
        }
      : input.fallbackApiUrl
        ? { text: input.fallbackApiUrl, source: 'stream' as const, label: 'the stream URL' }
        : undefined;
  if (!urlChoice) {
    if (env.SOTAIL_TOKEN) {
      throw new AuthConfigError('SOTAIL_TOKEN is set, but no API URL is: the token has nowhere to go', {
        hint: 'set SOTAIL_API_URL too (or pass --api-url URL), or log in to a profile: `sotail login --api-url URL`',
      });
    }
    throw new AuthConfigError(NO_CREDENTIALS_MESSAGE, {
      hint: 'in a script or CI, set SOTAIL_API_URL and SOTAIL_TOKEN instead (nothing is stored)',
    });
  }
  const url = parseApiUrl(urlChoice.text, urlChoice.label);

  const ownOrigin = profile !== undefined && isSameOrigin(url, parseApiUrl(profile.apiUrl));
  const resolved: ResolvedCredentials = {
    apiUrl: formatApiUrl(url),
    apiUrlSource: urlChoice.source,
    insecure: flags.insecure === true || insecureFromEnv(env) || (ownOrigin && profile?.insecure === true),
  };
  if (profile && profileName) {
    resolved.profileName = profileName;
    resolved.profile = profile;
  }

  if (env.SOTAIL_TOKEN) {
    resolved.token = Token.from(env.SOTAIL_TOKEN);
    resolved.tokenSource = 'env';
    return resolved;
  }
  if (profile?.token && ownOrigin) {
    resolved.token = profile.token;
    resolved.tokenSource = 'profile';
    return resolved;
  }
  if (!needsToken) return resolved;
  if (profile?.token) {
    throw new AuthConfigError(
      `the token of profile "${profileName}" is for ${formatApiUrl(parseApiUrl(profile.apiUrl))}, not ${resolved.apiUrl}; it is not sent elsewhere`,
      {
        hint: `log in there: \`sotail login --profile NAME --api-url ${resolved.apiUrl}\` (or set SOTAIL_TOKEN)`,
      },
    );
  }
  if (profile) {
    throw new AuthConfigError(`profile "${profileName}" has no token (logged out)`, {
      hint: `run \`sotail login --profile ${profileName}\``,
    });
  }
  throw new AuthConfigError(`no token for ${resolved.apiUrl} (from ${urlChoice.label})`, {
    hint: `set SOTAIL_TOKEN, or log in: \`sotail login --api-url ${resolved.apiUrl}\``,
  });
}
