/**
 * Reading a JSON request body under the size limit. Over the limit we stop keeping bytes and answer
 * 413 at once, but keep draining (discarding) for a while: closing a socket with unread input makes
 * the kernel send RST, and the client would lose our 413 to a "connection reset".
 */
import type { IncomingMessage } from 'node:http';
import { invalidUtf8Offset } from '../util/utf8.js';
import { ApiProblem, badRequest } from './envelope.js';

/** How much of an oversized body is drained (discarded) before the connection is cut. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

export function payloadTooLarge(limitBytes: number): ApiProblem {
  return new ApiProblem(413, 'payload_too_large', `request body is over ${limitBytes} bytes`, {
    limit_bytes: limitBytes,
  });
}

/** The raw body text; rejects with 413 as soon as it is known to be over `limitBytes`. */
export function readBodyText(
  req: IncomingMessage,
  limitBytes: number,
): Promise<{ text: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
      drainAndDiscard(req);
      reject(payloadTooLarge(limitBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > limitBytes) {
        cleanup();
        drainAndDiscard(req);
        reject(payloadTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      try {
        resolve({ text: decodeStrict(Buffer.concat(chunks, bytes)), bytes });
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * The body as text. Bytes that are not UTF-8 are refused with their offset rather than replaced by
 * U+FFFD: a silently changed message is worse than an error (docs/api.md "Limits"). A leading
 * byte-order mark carries no content and is dropped.
 */
function decodeStrict(body: Buffer): string {
  const offset = invalidUtf8Offset(body);
  if (offset !== -1) {
    throw badRequest(`request body is not valid UTF-8 (first bad byte at offset ${offset})`, 'body');
  }
  const hasBom = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  return body.toString('utf8', hasBom ? 3 : 0);
}

function drainAndDiscard(req: IncomingMessage): void {
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT_BYTES) req.socket.destroy();
  });
  req.on('error', () => {});
  req.resume();
}

/**
 * The body parsed as a JSON object. An empty body counts as `{}` (a bare `curl -X POST` of a query).
 * Anything else that is not an object is a 400 saying why.
 */
export async function readJsonObject(
  req: IncomingMessage,
  limitBytes: number,
): Promise<{ body: Record<string, unknown>; bytes: number }> {
  const { text, bytes } = await readBodyText(req, limitBytes);
  if (text.trim() === '') return { body: {}, bytes };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw badRequest(`request body is not valid JSON: ${reason}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('request body must be a JSON object');
  }
  return { body: value as Record<string, unknown>, bytes };
}
