/**
 * The one place that turns a failure into what the user should do about it. The client attaches
 * these when it builds an ApiError or NetworkError, so every command shows the same advice.
 */
import { formatBytes } from '../util/words.js';
import { isLoopbackHost } from './transport-policy.js';

export interface ApiErrorFacts {
  status: number;
  code: string;
  extra: Record<string, unknown>;
  retryAfterMs?: number | undefined;
  /** The API base URL, to turn the service's relative links (`upgrade_url`) into real ones. */
  baseUrl: string;
  /** The request, for errors about the route itself (`no route for POST /api/query`). */
  method?: string | undefined;
  url?: string | undefined;
  /** Where the API URL came from, as the user would fix it (`--api-url`, a profile's URL). */
  check?: string | undefined;
}

/** The path of a session (`…/tail/sessions/ses_…`): a 404 there is a session that is gone. */
const SESSION_PATH = /\/tail\/sessions\/[^/]+$/;

/** A second line for an error the service answered with, or undefined when none helps. */
export function apiErrorHint(facts: ApiErrorFacts): string | undefined {
  const { status, code, extra } = facts;
  switch (code) {
    case 'unauthorized':
      return 'the token was rejected: run `sotail login` again (or fix SOTAIL_TOKEN)';
    case 'forbidden': {
      const scope = typeof extra.required_scope === 'string' ? extra.required_scope : 'needed here';
      return `the token lacks the scope ${scope}; create a token with it, then \`sotail login\``;
    }
    case 'tier_upgrade_required': {
      const path = typeof extra.upgrade_url === 'string' ? extra.upgrade_url : '/dashboard/billing/plan';
      return `live tail needs the Pro plan: ${absoluteLink(path, facts.baseUrl)}`;
    }
    case 'tail_session_limit_exceeded': {
      const limit = typeof extra.limit === 'number' ? extra.limit : 3;
      return `at most ${limit} tails may run at once per token: close a session or stop another tail (\`sotail sessions list\`)`;
    }
    case 'quota_exceeded':
      return quotaHint(extra);
    case 'rate_limited':
      return facts.retryAfterMs === undefined
        ? 'too many requests: wait a little and try again'
        : `too many requests: the service asks to wait ${Math.ceil(facts.retryAfterMs / 1_000)}s`;
    case 'payload_too_large':
      return typeof extra.limit_bytes === 'number'
        ? `the service accepts at most ${formatBytes(extra.limit_bytes)} per entry`
        : undefined;
    case 'soql_tail_aggregation_unsupported':
      return 'GROUP BY works with `sotail query`, not with the live tail';
    case 'not_found':
    case 'method_not_allowed':
      return routeHint(facts);
    default:
      break;
  }
  if (status === 401) return 'run `sotail login` (or fix SOTAIL_TOKEN)';
  if (status === 403) return 'the token is not allowed to do this; create a token with the needed scope';
  if (status >= 300 && status < 400) return 'the API URL redirects elsewhere: log in with the final URL';
  if (code === 'http_404') return `is the API URL right? (${facts.baseUrl})`;
  if (status === 502 || status === 503 || status === 504)
    return 'the service is unavailable: try again later';
  if (status >= 500) return 'the service failed: try again, and report it if it persists';
  return undefined;
}

/** A second line for a service that could not be reached. */
export function networkErrorHint(options: {
  code: string | undefined;
  hostname: string;
}): string | undefined {
  const { code, hostname } = options;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return 'check the host name in the API URL (`sotail profile show`)';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return 'is the host reachable from here (a firewall may drop the connection)? --connect-timeout waits longer';
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return 'the service is stuck or overloaded, or something that is not the logs API holds the connection open; --response-timeout waits longer';
  }
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    return 'is the URL the logs API? a proxy in between may be adding headers (`--debug` shows the request)';
  }
  if (isLoopbackHost(hostname)) return 'is the service up? `sotail mock` starts a local one';
  return 'is the service up, and the API URL right? (`sotail profile show`)';
}

/** A 404 or 405 of the service: a session that is gone, or an API URL that points elsewhere. */
function routeHint(facts: ApiErrorFacts): string {
  const path = pathOf(facts.url);
  if (facts.code === 'not_found' && SESSION_PATH.test(path)) {
    return '`sotail sessions list` shows the sessions there are (a closed session is gone for good)';
  }
  const check = facts.check ?? 'the API URL';
  return (
    `the service has no ${facts.method ?? ''} ${path}`.replace('  ', ' ') +
    `: is the API URL right? (${facts.baseUrl}; check ${check})`
  );
}

function pathOf(url: string | undefined): string {
  try {
    return url === undefined ? '' : new URL(url).pathname;
  } catch {
    return url ?? '';
  }
}

function quotaHint(extra: Record<string, unknown>): string {
  const quotas = Array.isArray(extra.quotas) ? (extra.quotas as Record<string, unknown>[]) : [];
  const used = quotas.find((quota) => quota?.cumulative === true) ?? quotas[0];
  const what = used
    ? `the ${String(used.metric ?? extra.metric ?? 'plan')} quota is used up (${String(used.used)}/${String(used.limit)})`
    : 'a plan quota is used up';
  return used?.cumulative === true
    ? `${what}; waiting will not help: upgrade the plan or wait for the next billing period`
    : `${what}; try again later`;
}

function absoluteLink(path: string, baseUrl: string): string {
  try {
    return new URL(path, baseUrl).toString();
  } catch {
    return path;
  }
}
