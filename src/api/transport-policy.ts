/**
 * Where a token may go (docs/reliability.md "Secrets and trust"): only to its own API origin, and
 * never in clear text over plain http:// to a host other than this machine unless the user says
 * `--insecure`. Checked before any connection is opened, so a refused URL sees no traffic at all.
 */
import { UsageError } from '../errors.js';
import { closestName } from '../util/suggest.js';
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
export function parseStreamUrl(text: string, source = 'the stream URL'): URL {
  const url = checkedUrl(text, source);
  url.hash = '';
  return url;
}

/**
 * Parses a URL the user gave, or throws a UsageError that names where it came from (`--api-url`,
 * `SOTAIL_API_URL`, `--url`, a profile's URL) and says what a right one looks like: a scheme is
 * missing (`127.0.0.1:4010/x`), mistyped (`htp://`), or the text is a path (`/api/…`).
 */
function checkedUrl(text: string, source: string): URL {
  const trimmed = text.trim();
  const example = 'a whole URL such as https://logs.example.com or http://127.0.0.1:4010';
  if (trimmed === '') throw new UsageError(`${source} is empty`, { hint: `give ${example}` });
  if (trimmed.startsWith('/')) {
    throw new UsageError(`${source} must be a whole URL, not a path: '${trimmed}'`, {
      hint: `give the scheme and host too, such as http://127.0.0.1:4010${trimmed.replace(/^\/+/, '/')}`,
    });
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):(\/*)/.exec(trimmed);
  // `localhost:4010/x` parses with the scheme `localhost:`; a host and port is what was meant.
  const hostAndPort = /^[^/:]+:\d+(?:[/?#]|$)/.test(trimmed);
  if ((!scheme || hostAndPort) && !/^[\w.[\]:-]+(?:[/?#]\S*)?$/.test(trimmed)) {
    throw new UsageError(`${source} is not a valid URL: '${trimmed}'`, { hint: `give ${example}` });
  }
  if (!scheme || hostAndPort) {
    throw new UsageError(`${source} has no scheme: '${trimmed}'`, {
      hint: `did you mean ${schemeFor(trimmed)}://${trimmed} ?`,
    });
  }
  const [, name = '', slashes = ''] = scheme;
  const lower = name.toLowerCase();
  if (lower !== 'http' && lower !== 'https') {
    const rest = trimmed.slice(scheme[0].length);
    // `htp`, `htps`, `hhtp`: a slip of the keyboard.
    const guess = closestName(lower, ['http', 'https']);
    throw new UsageError(`${source} must use http:// or https://, not ${name}:`, {
      hint: guess ? `did you mean ${guess}://${rest} ?` : `give ${example}`,
    });
  }
  if (slashes.length !== 2) {
    throw new UsageError(`${source} is not a valid URL: '${trimmed}'`, {
      hint: `did you mean ${lower}://${trimmed.slice(scheme[0].length)} ?`,
    });
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new UsageError(`${source} is not a valid URL: '${trimmed}'`, { hint: `give ${example}` });
  }
  if (url.username || url.password) {
    throw new UsageError(`${source} must not carry a user name or password`, {
      hint: 'credentials go in the token: `sotail login --token-stdin`',
    });
  }
  return url;
}

/** http for this machine and bare addresses (a local service rarely has TLS), else https. */
function schemeFor(hostAndRest: string): 'http' | 'https' {
  const host = /^\[?([^\]/:?#]+)/.exec(hostAndRest)?.[1] ?? '';
  return isLoopbackHost(host) || /^[\d.]+$/.test(host) ? 'http' : 'https';
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

/**
 * Same scheme, host and port: the only place a profile's token may be sent. Spellings of this
 * machine count as one host (`127.0.0.1`, `localhost`, `[::1]`, `api.localhost`, loopback.ts):
 * with the same scheme and port the token never leaves the machine, and a profile made for
 * `http://127.0.0.1:4010` serves `--url http://localhost:4010/…` as the README promises.
 */
export function isSameOrigin(a: URL, b: URL): boolean {
  if (a.origin === b.origin) return true;
  return (
    a.protocol === b.protocol &&
    effectivePort(a) === effectivePort(b) &&
    isLoopbackHost(a.hostname) &&
    isLoopbackHost(b.hostname)
  );
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}
