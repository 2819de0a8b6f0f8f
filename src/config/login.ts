/**
 * Logging in and out: the token is checked against the service (`GET /auth/whoami`) before it is
 * stored with the identity it answers for; logging out removes the token and everything tied to
 * it, keeping only the profile's URL so a later `sotail login --profile NAME` needs no flags.
 * The store, the token reader and the check are parameters: no process, no network of its own.
 */
import {
  assertTokenTransport,
  formatApiUrl,
  isLoopbackHost,
  isSameOrigin,
  parseApiUrl,
} from '../api/transport-policy.js';
import type { WhoAmI } from '../api/types.js';
import { ApiError, AuthConfigError, UsageError } from '../errors.js';
import type { Token } from '../model/token.js';
import { assertProfileName, unknownProfileHint } from './profile-name.js';
import type { ProfileStore } from './profiles.js';

export const DEFAULT_PROFILE_NAME = 'default';

export interface LoginRequest {
  /** `--profile` or SOTAIL_PROFILE; `default` when absent. */
  profile?: string | undefined;
  /** True when the user named the profile: then an existing active profile stays active. */
  profileExplicit: boolean;
  /** `--api-url` or SOTAIL_API_URL; else the profile's stored URL; required for a new profile. */
  apiUrl?: string | undefined;
  /** Where `apiUrl` came from (`--api-url`, `SOTAIL_API_URL`), for messages. */
  apiUrlVia?: string | undefined;
  /** `--insecure` or SOTAIL_INSECURE; a profile that was logged into insecurely stays so for its URL. */
  insecure: boolean;
}

export interface LoginDependencies {
  store: ProfileStore;
  /** Asks for the token; called only once the URL is known to be acceptable. */
  readToken: () => Promise<Token>;
  /** `GET /auth/whoami` on `apiUrl` with `token`; `insecure` says plain http:// was allowed. */
  checkToken: (apiUrl: string, token: Token, transport: { insecure: boolean }) => Promise<WhoAmI>;
}

export interface LoginResult {
  profileName: string;
  apiUrl: string;
  token: Token;
  whoami: WhoAmI;
  /** Whether the profile is now the active one. */
  active: boolean;
}

export async function login(request: LoginRequest, deps: LoginDependencies): Promise<LoginResult> {
  const { store } = deps;
  const profileName = request.profile ?? DEFAULT_PROFILE_NAME;
  assertProfileName(profileName);
  const existing = store.get(profileName);
  const urlText = request.apiUrl ?? existing?.apiUrl;
  if (!urlText) {
    throw new UsageError(`which service? profile "${profileName}" is new: pass --api-url URL`, {
      hint: 'for a local service: `sotail mock`, then `sotail login --api-url http://127.0.0.1:4010`',
    });
  }
  const url = parseApiUrl(
    urlText,
    request.apiUrl ? (request.apiUrlVia ?? '--api-url') : `the API URL of profile "${profileName}"`,
  );
  const insecure =
    request.insecure || (existing?.insecure === true && isSameOrigin(url, parseApiUrl(existing.apiUrl)));
  // Refuse before asking for the secret: there is no point typing a token that will not be sent.
  assertTokenTransport(url, { insecure });
  // Remembered, so that later commands on this profile need neither --insecure nor SOTAIL_INSECURE.
  const needsInsecure = url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  const apiUrl = formatApiUrl(url);
  const token = await deps.readToken();

  let whoami: WhoAmI;
  try {
    whoami = await deps.checkToken(apiUrl, token, { insecure });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      throw new AuthConfigError(`${apiUrl} rejected the token ${token.redacted()} (401 ${error.code})`, {
        hint: 'check that the whole token was pasted and that it belongs to this service',
      });
    }
    throw error;
  }

  store.set(profileName, {
    apiUrl,
    token,
    ...definedStrings({
      tenantId: whoami.tenantId,
      userUuid: whoami.userUuid,
      orgId: whoami.org_id,
      mode: whoami.mode,
      tier: whoami.tier,
    }),
    ...(Array.isArray(whoami.scopes) ? { scopes: whoami.scopes.map(String) } : {}),
    ...(needsInsecure ? { insecure: true } : {}),
  });
  const currentActive = store.activeName();
  const activate =
    !request.profileExplicit || currentActive === undefined || store.get(currentActive) === undefined;
  if (activate && currentActive !== profileName) store.use(profileName);
  return { profileName, apiUrl, token, whoami, active: activate || currentActive === profileName };
}

/** The line(s) for stderr after a successful login (no final newline). */
export function formatLoginSummary(
  result: LoginResult,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const { whoami } = result;
  const scopes = Array.isArray(whoami.scopes) && whoami.scopes.length ? whoami.scopes.join(', ') : 'none';
  const lines = [
    `Logged in to ${result.apiUrl} as ${result.token.redacted()} (org ${whoami.org_id ?? '?'}, tier ${whoami.tier ?? '?'}, scopes ${scopes}) — profile "${result.profileName}"`,
  ];
  if (!result.active) {
    lines.push(
      `The active profile is unchanged: use --profile ${result.profileName}, or \`sotail profile use ${result.profileName}\``,
    );
  }
  if (env.SOTAIL_TOKEN)
    lines.push('Note: SOTAIL_TOKEN is set in this environment and takes precedence over profiles');
  return lines;
}

export interface LogoutResult {
  profileName: string;
  apiUrl: string;
  /** False when the profile had no token already. */
  removedToken: boolean;
}

/**
 * Removes the token of `profile` (default: the active one) and the identity tied to it.
 * UsageError when there is no such profile.
 */
export function logout(store: ProfileStore, profile: string | undefined): LogoutResult {
  const profileName = profile ?? store.activeName();
  if (profileName === undefined) {
    throw new UsageError('no active profile to log out of', {
      hint: 'name one: `sotail logout --profile NAME`',
    });
  }
  const existing = store.get(profileName);
  if (!existing) {
    throw new UsageError(`no profile named "${profileName}"`, {
      hint: unknownProfileHint(
        profileName,
        store.list().map((profile) => profile.name),
      ),
    });
  }
  store.set(profileName, { apiUrl: existing.apiUrl, ...(existing.insecure ? { insecure: true } : {}) });
  return { profileName, apiUrl: existing.apiUrl, removedToken: existing.token !== undefined };
}

function definedStrings(fields: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (typeof value === 'string') result[key] = value;
  return result;
}
