/**
 * Where a token may go (docs/reliability.md "Secrets and trust"): only to its own API origin, and
 * never in clear text over plain http:// to a host other than this machine unless the user says
 * `--insecure`. Checked before any connection is opened, so a refused URL sees no traffic at all.
 */
import { UsageError } from '../errors.js';
import { isLoopbackHost } from './loopback.js';

export { isLoopbackHost } from './loopback.js';

/** Parses and normalises an API base URL (http or https, no query, no trailing slash). */
export function parseApiUrl(text: string, source = 'the API URL'): URL {
  const url = checkedUrl(text, source);
  if (url.search || url.hash) throw new UsageError(`${source} must not have a query or a fragment`);
  url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  return url;
}

/**
 * A stream URL given whole (`tail --url`): the same checks as an API URL, but its query is kept (a
 * stream's filters live there) and its path as given; a fragment never reaches a server.
 */
export function parseStreamUrl(text: string): URL {
  const url = checkedUrl(text, 'the stream URL');
  url.hash = '';
  return url;
}

function checkedUrl(text: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`${source} is not a valid URL: ${JSON.stringify(text)}`, {
      hint: 'give a full URL such as https://logs.example.com or http://127.0.0.1:4010',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${source} must use http:// or https://, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new UsageError(`${source} must not carry a user name or password`, {
      hint: 'credentials go in the token: `sotail login --token-stdin`',
    });
  }
  return url;
}

/** The canonical text of a base URL: `http://host:port` or `https://host/prefix`, no trailing slash. */
export function formatApiUrl(url: URL): string {
  return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname}`;
}

/**
 * Throws UsageError when a bearer token would cross the network unencrypted: plain http:// to a
 * host that is not loopback, without `insecure`.
 */
export function assertTokenTransport(url: URL, options: { insecure?: boolean | undefined }): void {
  if (url.protocol !== 'http:' || isLoopbackHost(url.hostname) || options.insecure) return;
  throw new UsageError(
    `refusing to send a token over plain http:// to ${url.host}: anyone on the network path could read it`,
    {
      hint: 'use https://, or pass --insecure if this network is trusted (or set SOTAIL_INSECURE=1; a login with --insecure remembers it for the profile)',
    },
  );
}

/** Same scheme, host and port: the only place a profile's token may be sent. */
export function isSameOrigin(a: URL, b: URL): boolean {
  return a.origin === b.origin;
}
