/**
 * Secrets in text that came from elsewhere. A server may echo what it was sent (a proxy that
 * copies the `Authorization` header into its error page, a bug that logs it), so every text that
 * is shown is cleared of credentials first: the tokens this process holds (each `Token` remembers
 * itself here when it is made), and any `Authorization:` value or `Bearer …` credential, whoever's
 * it is. A secret is shown the way a token always is: its kind and last characters (`so_live_…abcd`).
 *
 * The terminal sanitiser (output/sanitize.ts) and the HTTP client (api/decode.ts) call
 * `scrubSecrets`, so no writer or caller has to remember to.
 */

/** Known prefixes (api.md "Common"): kept visible so the user can tell a live token from a test one. */
const TOKEN_PREFIX = /^so_(?:live|test)_/;
/** Show the last characters only when enough stay hidden for them not to matter. */
const VISIBLE_SUFFIX_CHARS = 4;
const MIN_HIDDEN_CHARS = 6;
/** A secret shorter than this is not worth a search (it would match ordinary words). */
const MIN_SECRET_CHARS = 8;

/**
 * `so_live_…abcd`: the kind of token and its last characters, enough to tell tokens apart. The
 * ellipsis is never part of a credential, which keeps scrubbing idempotent.
 */
export function redactSecret(value: string): string {
  const prefix = TOKEN_PREFIX.exec(value)?.[0] ?? '';
  const rest = value.slice(prefix.length);
  const suffix =
    rest.length >= VISIBLE_SUFFIX_CHARS + MIN_HIDDEN_CHARS ? rest.slice(-VISIBLE_SUFFIX_CHARS) : '';
  return `${prefix}…${suffix}`;
}

/** Characters of an RFC 6750 bearer credential (b64token), and of most API keys. */
const CREDENTIAL = String.raw`[A-Za-z0-9\-._~+/]+=*`;
/** Not followed by more of a credential, nor by the ellipsis of one already redacted. */
const CREDENTIAL_END = String.raw`(?![A-Za-z0-9\-._~+/=…])`;

/** `Bearer abc…`, anywhere (an error message, an HTML page, a JSON string). */
const BEARER = new RegExp(String.raw`\b(bearer\s+)(${CREDENTIAL})${CREDENTIAL_END}`, 'gi');

/**
 * `Authorization: Basic xyz`, `"authorization":"abc"`, `authorization=abc`: the header's name, then
 * its value up to a quote, a tag or the end of the line (read by `redactAuthorizationValue`).
 */
const AUTHORIZATION = /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)([^"'<>,;&\r\n]*)/gi;

const AUTH_SCHEME = /^(?:basic|bearer|digest|token|negotiate)$/i;

/** The credential of an `Authorization` value redacted, its scheme (`Basic`, `Bearer`) kept. */
function redactAuthorizationValue(value: string): string {
  const schemed = /^([A-Za-z][\w-]*\s+)(\S+)(.*)$/s.exec(value);
  const [, scheme = '', credential = '', rest = ''] = schemed ?? /^()(\S+)(.*)$/s.exec(value) ?? [];
  // A scheme alone (`Authorization: Bearer`) names no secret; a redacted one is done.
  if (credential === '' || credential.includes('…') || (scheme === '' && AUTH_SCHEME.test(credential))) {
    return value;
  }
  return `${scheme}${redactSecret(credential)}${rest}`;
}

/**
 * The tokens every `sotail mock` accepts, published in the README and `sotail mock --help`: no
 * secret, and the demo tells the user to type one.
 */
const PUBLISHED_TEST_TOKENS: ReadonlySet<string> = new Set([
  'so_test_sotail_dev',
  'so_test_sotail_hobby',
  'so_test_sotail_readonly',
]);

const known = new Set<string>();
/** A cheap first test: most text holds none of this, and a test costs less than three replaces. */
let mayHold = /bearer|authorization/i;

/** Remembers a secret so that `scrubSecrets` clears it from every text shown from now on. */
export function rememberSecret(value: string): void {
  if (value.length < MIN_SECRET_CHARS || known.has(value) || PUBLISHED_TEST_TOKENS.has(value)) return;
  known.add(value);
  const literals = [...known].map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  mayHold = new RegExp(`bearer|authorization|${literals.join('|')}`, 'i');
}

/** Whether `text` may hold a secret (false means it certainly does not). */
export function mayHoldSecret(text: string): boolean {
  return mayHold.test(text);
}

/**
 * The text with the secrets this process holds redacted, and nothing else changed: for data (a
 * JSON answer) where `Bearer …` in a log message is the log's own business, but our token is not.
 */
export function scrubKnownSecrets(text: string): string {
  let scrubbed = text;
  for (const secret of known) {
    if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join(redactSecret(secret));
  }
  return scrubbed;
}

/** The text with every known secret, `Authorization:` value and `Bearer` credential redacted. */
export function scrubSecrets(text: string): string {
  if (!mayHold.test(text)) return text;
  return scrubKnownSecrets(text)
    .replace(BEARER, (_match, scheme: string, credential: string) => `${scheme}${redactSecret(credential)}`)
    .replace(
      AUTHORIZATION,
      (_match, name: string, value: string) => `${name}${redactAuthorizationValue(value)}`,
    );
}
