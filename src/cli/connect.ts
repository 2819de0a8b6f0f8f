/**
 * From global options and the environment to a ready ApiClient: every networked command starts
 * here. conf and undici are imported lazily, so a command's `--help` loads neither, and CI runs
 * with SOTAIL_API_URL + SOTAIL_TOKEN never read the config file.
 *
 * Testing knobs (environment, for end-to-end tests; not part of the user-facing interface):
 * `SOTAIL_RETRY_BASE_MS` (first backoff ceiling), `SOTAIL_RETRY_MAX_MS` (backoff cap),
 * `SOTAIL_RETRY_ATTEMPTS` (attempts in all, 1 = no retry).
 */
import type { ApiClient, RetryNotice, WaitNotice } from '../api/client.js';
import { DEFAULT_TIMEOUTS } from '../api/client-types.js';
import { MAX_SERVER_WAIT_MS, type RetryPolicy } from '../api/retry.js';
import { assertTokenTransport, parseApiUrl } from '../api/transport-policy.js';
import type { ProfileStore } from '../config/profiles.js';
import { needsProfileStore, resolveCredentials, type SettingSource } from '../config/resolve.js';
import { ApiError, UsageError } from '../errors.js';
import type { Token } from '../model/token.js';
import { formatDurationMs } from '../util/duration.js';
import type { CliContext } from './context.js';
import type { GlobalOptions } from './global-options.js';
import { importOwningSignals } from './interrupts.js';

/** What a networked command gets: the client and who it speaks as. */
export interface Connection {
  client: ApiClient;
  /** The normalised API base URL. */
  apiUrl: string;
  profileName?: string;
  /** From the profile when its own token is used; otherwise filled by `ensureIdentity`. */
  tenantId?: string;
  userUuid?: string;
  token?: Token;
  /** Plain http:// to a non-loopback host was allowed for this connection's token. */
  insecure: boolean;
}

export interface ConnectOptions {
  /** False for commands that may run without a token; default true. */
  needsToken?: boolean;
  retry?: Partial<RetryPolicy>;
  /** Keep-alive connections to the API (the ingest concurrency). */
  connections?: number;
  /** Aborts every request (Ctrl-C, `--timeout`); default: the context's signal. */
  signal?: AbortSignal;
  /** See ResolveInput.fallbackApiUrl (`tail --url`). */
  fallbackApiUrl?: string;
}

/** Retries that wait at least this long are announced even without --verbose (not to look hung). */
const ANNOUNCE_RETRY_FROM_MS = 5_000;

/**
 * Resolves credentials (flags > env > active profile), checks the token may travel to the URL
 * (never clear text to a non-loopback host unless --insecure, SOTAIL_INSECURE or the profile's
 * own setting allows it), and builds the client.
 * Throws AuthConfigError (no credentials, unknown profile) or UsageError (bad URL, unsafe http)
 * before any connection is attempted.
 */
export async function connect(
  context: CliContext,
  globals: GlobalOptions,
  options: ConnectOptions = {},
): Promise<Connection> {
  const flags = { profile: globals.profile, apiUrl: globals.apiUrl, insecure: globals.insecure };
  const needsToken = options.needsToken ?? true;
  const store = needsProfileStore({ flags, env: context.env, needsToken })
    ? await openProfileStore(context)
    : undefined;
  const resolved = resolveCredentials({
    flags,
    env: context.env,
    store,
    needsToken,
    fallbackApiUrl: options.fallbackApiUrl,
  });
  const client = await createApiClient(context, globals, {
    baseUrl: resolved.apiUrl,
    token: resolved.token,
    insecure: resolved.insecure,
    retry: options.retry,
    connections: options.connections,
    signal: options.signal,
    urlSource: describeUrlSource(resolved.apiUrlSource, resolved.profileName),
  });
  const connection: Connection = { client, apiUrl: client.baseUrl, insecure: resolved.insecure };
  if (resolved.profileName) connection.profileName = resolved.profileName;
  if (resolved.token) connection.token = resolved.token;
  // The stored identity belongs to the stored token; with SOTAIL_TOKEN it may be someone else's.
  if (resolved.tokenSource === 'profile') {
    if (resolved.profile?.tenantId) connection.tenantId = resolved.profile.tenantId;
    if (resolved.profile?.userUuid) connection.userUuid = resolved.profile.userUuid;
  }
  return connection;
}

/**
 * The tenant and user the token acts for (tail sessions need them): from the profile when known,
 * else asked once from `GET /auth/whoami` and remembered on the connection.
 */
export async function ensureIdentity(
  connection: Connection,
  signal?: AbortSignal,
): Promise<{ tenantId: string; userUuid: string }> {
  if (connection.tenantId === undefined || connection.userUuid === undefined) {
    const whoami = await connection.client.whoami(signal);
    connection.tenantId = whoami.tenantId;
    connection.userUuid = whoami.userUuid;
  }
  return { tenantId: connection.tenantId, userUuid: connection.userUuid };
}

/** Opens the profile store in the configured directory; permission fixes are warned about. */
export async function openProfileStore(
  context: CliContext,
  warn: (message: string) => void = (message) => context.chatter.say(`sotail: warning: ${message}`),
): Promise<ProfileStore> {
  // conf brings signal handlers that would break the one interrupt path (src/cli/interrupts.ts).
  const { ProfileStore, resolveConfigDir } = await importOwningSignals(() => import('../config/profiles.js'));
  return ProfileStore.open({ configDir: resolveConfigDir(context.env), onWarning: warn });
}

/**
 * An ApiClient wired to the CLI: User-Agent, the context's signal, --debug lines and retry
 * notices on stderr, the retry testing knobs. Checks the token's transport before loading undici.
 */
export async function createApiClient(
  context: CliContext,
  globals: GlobalOptions,
  options: {
    baseUrl: string;
    token?: Token | undefined;
    /** Plain http:// to a non-loopback host is allowed (decided by `resolveCredentials`). */
    insecure: boolean;
    retry?: Partial<RetryPolicy> | undefined;
    connections?: number | undefined;
    signal?: AbortSignal | undefined;
    /** What the user would fix if the URL is wrong (`--api-url`, a profile's URL): named in errors. */
    urlSource?: string | undefined;
  },
): Promise<ApiClient> {
  if (options.token) assertTokenTransport(parseApiUrl(options.baseUrl), { insecure: options.insecure });
  const retry = { ...retryPolicyFromEnv(context.env), ...options.retry };
  const { ApiClient } = await import('../api/client.js');
  return new ApiClient({
    baseUrl: options.baseUrl,
    ...(options.token ? { token: options.token } : {}),
    userAgent: `sotail/${context.version}`,
    signal: options.signal ?? context.signal,
    retry,
    ...(options.connections !== undefined ? { connections: options.connections } : {}),
    // Debug lines quote URLs, headers and answers: the chatter escapes them and redacts secrets.
    ...(globals.debug ? { debug: (line: string) => context.chatter.say(`[debug] ${line}`) } : {}),
    insecure: options.insecure,
    timeouts: {
      connectMs: globals.connectTimeout ?? DEFAULT_TIMEOUTS.connectMs,
      headersMs: globals.responseTimeout ?? DEFAULT_TIMEOUTS.headersMs,
      bodyMs: globals.responseTimeout ?? DEFAULT_TIMEOUTS.bodyMs,
    },
    onRetry: (notice) => announceRetry(context, globals, notice),
    onWaiting: waitingAnnouncer(context),
    urlSources: { api: options.urlSource ?? '--api-url', stream: '--url' },
  });
}

/** Where the API URL came from, as the user would fix it. */
function describeUrlSource(source: SettingSource, profileName: string | undefined): string {
  switch (source) {
    case 'flag':
      return '--api-url';
    case 'env':
      return 'SOTAIL_API_URL';
    case 'profile':
      return `the API URL of profile "${profileName ?? 'default'}" (\`sotail profile show\`, or --api-url)`;
    case 'stream':
      return '--url';
  }
}

/** The testing knobs, read once; a value that is not a number is a usage error, not a silent default. */
export function retryPolicyFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<RetryPolicy> {
  const policy: Partial<RetryPolicy> = {};
  const knobs = [
    ['SOTAIL_RETRY_BASE_MS', 'baseDelayMs', 0],
    ['SOTAIL_RETRY_MAX_MS', 'maxDelayMs', 0],
    ['SOTAIL_RETRY_ATTEMPTS', 'maxAttempts', 1],
  ] as const;
  for (const [name, key, minimum] of knobs) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum) {
      throw new UsageError(`${name} must be an integer of at least ${minimum}, not ${JSON.stringify(text)}`);
    }
    policy[key] = value;
  }
  return policy;
}

/**
 * `sotail: still waiting for 127.0.0.1:4010 to answer POST /query (5s so far)`, said once for
 * requests that wait together: sixteen concurrent ingest requests to a stalled service are one
 * line, not sixteen. The same line again is said only once a notice's own wait has passed.
 */
function waitingAnnouncer(context: CliContext): (notice: WaitNotice) => void {
  const saidAt = new Map<string, number>();
  return (notice) => {
    const url = new URL(notice.url);
    const line = `sotail: still waiting for ${url.host} to answer ${notice.method} ${url.pathname} (${formatDurationMs(notice.waitedMs)} so far)`;
    const now = performance.now();
    const last = saidAt.get(line);
    if (last !== undefined && now - last < notice.waitedMs) return;
    saidAt.set(line, now);
    context.chatter.say(line);
  };
}

function announceRetry(context: CliContext, globals: GlobalOptions, notice: RetryNotice): void {
  if (!globals.verbose && notice.delayMs < ANNOUNCE_RETRY_FROM_MS) return;
  const { error } = notice;
  const why =
    error instanceof ApiError
      ? `${error.status} ${error.code}`
      : error instanceof Error
        ? error.message
        : 'failed';
  const seconds = (notice.delayMs / 1_000).toFixed(notice.delayMs < 10_000 ? 1 : 0);
  const asked =
    notice.clampedRetryAfterMs === undefined
      ? ''
      : ` (the server asked to wait ${formatDurationMs(notice.clampedRetryAfterMs)}; sotail waits at most ${formatDurationMs(MAX_SERVER_WAIT_MS)})`;
  context.chatter.say(
    `sotail: ${why}${asked}; retrying in ${seconds}s (attempt ${notice.attempt + 1} of ${notice.maxAttempts})`,
  );
}
