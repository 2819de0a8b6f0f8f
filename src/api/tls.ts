/**
 * TLS failures in plain words, one line each with its own next step (never OpenSSL's raw text,
 * which spans lines and names source files): the wrong scheme either way round, a certificate
 * that is self-signed, from an unknown CA, expired, not yet valid or for other names, and a
 * handshake with nothing in common. `speaksTls` tells an http:// URL whose server hung up at once
 * whether that server wanted TLS.
 */

import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { loopbackLookup } from './loopback.js';

/** Codes of a failed TLS handshake or certificate check (Node, OpenSSL). */
export const TLS_FAILURE_CODE = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

/** The code of the error sotail raises for an http:// URL whose server speaks TLS. */
export const SPEAKS_TLS_CODE = 'ERR_TLS_SERVER_SPEAKS_TLS';

/** Plain HTTP answered a TLS ClientHello: OpenSSL reads its text as a record it cannot parse. */
const PLAIN_HTTP_CODES = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_RECORD_LAYER_FAILURE',
]);

const UNTRUSTED_ISSUER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

const TRUST_A_CA =
  'if you trust it, add its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem (sotail never skips the check)';

/** `https://h:1/x` as `http://h:1/x`, or the reverse. */
function withScheme(url: URL, scheme: 'http:' | 'https:'): string {
  const other = new URL(url);
  other.protocol = scheme;
  return other.pathname === '/' && !other.search ? other.origin : other.toString();
}

/** The message and hint for a TLS failure (`error`, with its `code`) of a request to `url`. */
export function describeTlsFailure(
  code: string,
  url: URL,
  error?: unknown,
): { message: string; hint: string } {
  const host = url.host;
  if (PLAIN_HTTP_CODES.has(code)) {
    return {
      message: `${host} speaks plain HTTP, not HTTPS`,
      hint: `try ${withScheme(url, 'http:')}`,
    };
  }
  if (code === SPEAKS_TLS_CODE) {
    return {
      message: `${host} speaks HTTPS (TLS), not plain HTTP`,
      hint: `try ${withScheme(url, 'https:')}`,
    };
  }
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN') {
    return {
      message: `the TLS certificate of ${host} is self-signed, so it is not trusted here`,
      hint: TRUST_A_CA,
    };
  }
  if (UNTRUSTED_ISSUER.has(code)) {
    return {
      message: `the TLS certificate of ${host} is issued by a certificate authority not trusted here`,
      hint: TRUST_A_CA,
    };
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return {
      message: `the TLS certificate of ${host} has expired`,
      hint: `the service must renew it (or this machine's clock is wrong: it says ${new Date().toISOString()})`,
    };
  }
  if (code === 'CERT_NOT_YET_VALID') {
    return {
      message: `the TLS certificate of ${host} is not valid yet`,
      hint: `check this machine's clock: it says ${new Date().toISOString()}`,
    };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    // Node puts the peer's certificate on the error: its names say what the URL should be.
    const names = (error as { cert?: { subjectaltname?: unknown } } | undefined)?.cert?.subjectaltname;
    return {
      message: `the TLS certificate of ${host} is for other names${typeof names === 'string' && names ? ` (${names})` : ''}`,
      hint: 'use a host name the certificate names, as the service publishes its URL',
    };
  }
  if (code === 'CERT_REVOKED') {
    return {
      message: `the TLS certificate of ${host} has been revoked`,
      hint: 'the service must replace it',
    };
  }
  if (/CERTIFICATE_REQUIRED|BAD_CERTIFICATE/.test(code)) {
    return {
      message: `${host} wants a client certificate, which sotail does not send`,
      hint: 'reach the service through a proxy that presents it, or ask for a token-only endpoint',
    };
  }
  if (/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE/.test(code)) {
    return {
      message: `${host} and sotail have no TLS version in common`,
      hint: 'the service must offer TLS 1.2 or 1.3',
    };
  }
  if (/HANDSHAKE_FAILURE/.test(code)) {
    return {
      message: `${host} refused the TLS handshake (no cipher in common, or it wants a client certificate)`,
      hint: 'the service must offer TLS 1.2 or 1.3 with common ciphers',
    };
  }
  const words = code
    .replace(/^ERR_(?:SSL|TLS)_/, '')
    .toLowerCase()
    .replace(/_/g, ' ');
  return { message: `the TLS handshake with ${host} failed (${words})`, hint: TRUST_A_CA };
}

/**
 * Whether the server at `url`'s host and port completes a TLS handshake (any certificate): asked
 * only after an http:// request was hung up on without an answer, to say "try https://".
 */
export function speaksTls(url: URL, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 80);
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    const socket = tlsConnect({
      host: hostname,
      port,
      ...(isIP(hostname) === 0 ? { servername: hostname } : {}),
      rejectUnauthorized: false,
      lookup: loopbackLookup,
    });
    const done = (answer: boolean): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(answer);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}
