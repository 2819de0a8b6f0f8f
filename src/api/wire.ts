/**
 * The small, pure pieces of putting a request on the wire and reading what came back: the
 * headers every request carries, a JSON body, the --debug view of headers (token redacted),
 * and a bounded read of an error body.
 */
import type { Dispatcher } from 'undici';
import { redactSecret } from '../model/secrets.js';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/**
 * Headers (names lower-cased, the caller's last) and the JSON-encoded body of a request. The
 * Authorization header is not added here: the client adds it at the last moment, where allowed.
 */
export function buildRequest(options: {
  userAgent: string;
  accept: string;
  headers?: Record<string, string> | undefined;
  body?: unknown;
}): { headers: Record<string, string>; body: string | undefined } {
  const headers: Record<string, string> = { 'user-agent': options.userAgent, accept: options.accept };
  for (const [key, value] of Object.entries(options.headers ?? {})) headers[key.toLowerCase()] = value;
  if (options.body === undefined) return { headers, body: undefined };
  headers['content-type'] = 'application/json; charset=utf-8';
  return { headers, body: JSON.stringify(options.body) };
}

/** The request headers worth seeing under --debug, with the token shown only redacted. */
export function describeHeaders(headers: Record<string, string>): string {
  const shown: string[] = [];
  if (headers.authorization !== undefined) {
    const [scheme, credential = ''] = headers.authorization.split(/\s+/, 2);
    shown.push(
      `authorization: ${credential ? `${scheme} ${redactSecret(credential)}` : redactSecret(scheme ?? '')}`,
    );
  }
  for (const name of ['idempotency-key', 'last-event-id']) {
    if (headers[name] !== undefined) shown.push(`${name}: ${headers[name]}`);
  }
  return shown.length ? ` (${shown.join(', ')})` : '';
}

/** The first value of a response header. */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads at most `limit` bytes of a body for an error message, then lets the rest go. */
export async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      text += decoder.decode(buffer.subarray(0, Math.max(0, limit - bytes)), { stream: true });
      bytes += buffer.length;
      if (bytes >= limit) break;
    }
  } catch {
    // A broken error body still leaves the status to report.
  } finally {
    body.destroy();
  }
  return text + decoder.decode();
}

/**
 * Reads a whole body as text, or undefined as soon as it passes `limit` bytes (the rest is not
 * read: the body is destroyed). An answer that never ends costs `limit`, not the machine's memory.
 */
export async function readBounded(
  body: Dispatcher.ResponseData['body'],
  limit: number,
): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      bytes += buffer.length;
      if (bytes > limit) return undefined;
      chunks.push(buffer);
    }
  } finally {
    if (bytes > limit) body.destroy();
  }
  // One decoder over the whole: a character split between chunks is read whole.
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytes));
}
