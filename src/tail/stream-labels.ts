/**
 * The names of the streams of a merged tail (`--url NAME=URL`, or a name made from the URL): short,
 * unique, and made of characters that need no escaping anywhere they are shown (a column, a state
 * line, a JSON field).
 */

/** A `--url` as given: the URL, and the name the user chose for it, if any. */
export interface StreamUrl {
  url: string;
  label?: string | undefined;
}

/** The name of the API's own tail in a merged tail (`--api`). */
export const API_STREAM_LABEL = 'api';

const MAX_LABEL = 32;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const NAME_PREFIX = /^([A-Za-z0-9._-]+)=(.*)$/s;
/** Path segments that say nothing about which stream it is. */
const GENERIC = /^(api|v\d+|_?logs?|streams?|sse|events?|tail|live|portal|accounts?|identities)$/i;

/**
 * `NAME=URL` or `URL`. A URL's own `=` comes after its scheme's `:`, so a name is recognised only
 * before any `:` or `/`. Throws a message naming the problem.
 */
export function parseUrlFlag(text: string): StreamUrl {
  const named = NAME_PREFIX.exec(text);
  if (named === null) return { url: text };
  const [, label, url] = named as unknown as [string, string, string];
  if (!LABEL.test(label)) {
    throw new Error(
      `--url ${label}=…: a stream's name is 1 to ${MAX_LABEL} letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return { label, url };
}

/**
 * A name for a stream from its URL: the path's segment that names a log (`proxy-logs`,
 * `audit-log`), else its last segment that is not a generic word (`api`, `v1`, `stream`…), else
 * the host.
 */
export function labelFromUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url';
  }
  const segments = parsed.pathname.split('/').filter((segment) => segment !== '' && !GENERIC.test(segment));
  const pick =
    segments.filter((segment) => /log/i.test(segment)).at(-1) ?? segments.at(-1) ?? parsed.hostname;
  const clean = pick
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, MAX_LABEL);
  return clean === '' ? 'url' : clean;
}

/**
 * The label of each stream, in order: the names given (which must differ from each other and from
 * `reserved`), and for the others a name from the URL, numbered (`proxy-logs-2`) when taken.
 */
export function streamLabels(urls: readonly StreamUrl[], reserved: readonly string[] = []): string[] {
  const taken = new Set(reserved);
  for (const { label } of urls) {
    if (label === undefined) continue;
    if (taken.has(label)) {
      throw new Error(
        reserved.includes(label)
          ? `--url ${label}=…: '${label}' is the name of the API's own tail; choose another`
          : `--url ${label}=… is given twice: each stream needs a name of its own`,
      );
    }
    taken.add(label);
  }
  return urls.map(({ url, label }) => {
    if (label !== undefined) return label;
    const base = labelFromUrl(url);
    let name = base;
    for (let n = 2; taken.has(name); n += 1) name = `${base.slice(0, MAX_LABEL - String(n).length - 1)}-${n}`;
    taken.add(name);
    return name;
  });
}
