/**
 * The one place that turns a failure into what the user should do about it. The client attaches
 * these when it builds an ApiError or NetworkError, so every command shows the same advice.
 */
import { isLoopbackHost } from './transport-policy.js';

export interface ApiErrorFacts {
  status: number;
  code: string;
  extra: Record<string, unknown>;
  retryAfterMs?: number | undefined;
  /** The API base URL, to turn the service's relative links (`upgrade_url`) into real ones. */
  baseUrl: string;
}

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
        ? `the service accepts at most ${extra.limit_bytes} bytes per entry`
        : undefined;
    case 'soql_tail_aggregation_unsupported':
      return 'GROUP BY works with `sotail query`, not with the live tail';
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
  if (code && /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code)) {
    return "the service's TLS certificate is not trusted here (NODE_EXTRA_CA_CERTS adds a CA)";
  }
  if (isLoopbackHost(hostname)) return 'is the service up? `sotail mock` starts a local one';
  return 'is the service up, and the API URL right? (`sotail profile show`)';
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
