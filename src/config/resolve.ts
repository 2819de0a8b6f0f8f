/**
 * Which API URL and token a command uses, decided in one pure function so the precedence can be
 * tested as a table: flags (`--profile`, `--api-url`) > environment (`SOTAIL_PROFILE`,
 * `SOTAIL_API_URL`, `SOTAIL_TOKEN`) > the active profile. A profile's token is used only for that
 * profile's own origin: pointing `--api-url` elsewhere does not carry it along.
 */

import { formatApiUrl, isSameOrigin, parseApiUrl } from '../api/transport-policy.js';
import { AuthConfigError } from '../errors.js';
import { Token } from '../model/token.js';
import type { Profile } from './profiles.js';

export const NO_CREDENTIALS_MESSAGE =
  'no credentials: run `sotail login` (or `sotail mock` for a local service and `sotail login --api-url http://127.0.0.1:4010`)';

export interface CredentialFlags {
  profile?: string | undefined;
  apiUrl?: string | undefined;
}

/** The part of ProfileStore that resolution reads (a plain object in tests). */
export interface ProfileLookup {
  activeName(): string | undefined;
  get(name: string): Profile | undefined;
}

export type SettingSource = 'flag' | 'env' | 'profile';

export interface ResolvedCredentials {
  /** Normalised base URL. */
  apiUrl: string;
  apiUrlSource: SettingSource;
  token?: Token;
  tokenSource?: 'env' | 'profile';
  /** The profile in play (named or active), if any. */
  profileName?: string;
  profile?: Profile;
}

export interface ResolveInput {
  flags: CredentialFlags;
  env: Readonly<Record<string, string | undefined>>;
  /** Absent when `needsProfileStore` said the environment is enough. */
  store?: ProfileLookup | undefined;
  /** False for commands that can work without a token; default true. */
  needsToken?: boolean;
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
  const named = flags.profile ? { name: flags.profile, via: '--profile' } : undefined;
  const fromEnv =
    !named && env.SOTAIL_PROFILE ? { name: env.SOTAIL_PROFILE, via: 'SOTAIL_PROFILE' } : undefined;
  const explicit = named ?? fromEnv;
  const profileName = explicit?.name ?? store?.activeName();
  const profile = profileName ? store?.get(profileName) : undefined;
  if (explicit && !profile) {
    throw new AuthConfigError(`no profile named "${explicit.name}" (from ${explicit.via})`, {
      hint: `see \`sotail profile list\`, or create it: \`sotail login --profile ${explicit.name} --api-url URL\``,
    });
  }

  const urlChoice = flags.apiUrl
    ? { text: flags.apiUrl, source: 'flag' as const, label: '--api-url' }
    : env.SOTAIL_API_URL
      ? { text: env.SOTAIL_API_URL, source: 'env' as const, label: 'SOTAIL_API_URL' }
      : profile
        ? {
            text: profile.apiUrl,
            source: 'profile' as const,
            label: `the API URL of profile "${profileName}"`,
          }
        : undefined;
  if (!urlChoice) throw new AuthConfigError(NO_CREDENTIALS_MESSAGE);
  const url = parseApiUrl(urlChoice.text, urlChoice.label);

  const resolved: ResolvedCredentials = { apiUrl: formatApiUrl(url), apiUrlSource: urlChoice.source };
  if (profile && profileName) {
    resolved.profileName = profileName;
    resolved.profile = profile;
  }

  if (env.SOTAIL_TOKEN) {
    resolved.token = Token.from(env.SOTAIL_TOKEN);
    resolved.tokenSource = 'env';
    return resolved;
  }
  if (profile?.token && isSameOrigin(url, parseApiUrl(profile.apiUrl))) {
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
  throw new AuthConfigError(NO_CREDENTIALS_MESSAGE);
}
