/**
 * Reading a JSON request body within bounds (docs/api.md "Limits"): at most `maxBytes` for one
 * body, at most `budget` bytes for all the bodies being received at once, and at most `timeoutMs`
 * to receive one. Over the size limit we stop keeping bytes and answer 413 at once, but keep
 * draining (discarding) for a while: closing a socket with unread input makes the kernel send RST,
 * and the client would lose our 413 to a "connection reset". A body that takes too long is
 * answered 408 and its connection closed; one that would overrun the shared budget, 503. A body
 * whose connection closes before it ends is let go at once.
 */
import type { IncomingMessage } from 'node:http';
import { invalidUtf8Offset } from '../util/utf8.js';
import { ApiProblem, badRequest, retryLater } from './envelope.js';

/** How much of an oversized body is drained (discarded) before the connection is cut. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** The bytes of all request bodies being received at once, across connections. */
export class BodyBudget {
  readonly limitBytes: number;
  #inFlight = 0;

  constructor(limitBytes: number) {
    this.limitBytes = limitBytes;
  }

  get inFlightBytes(): number {
    return this.#inFlight;
  }

  /** Counts `bytes` more, or says no when that would go over the limit. */
  take(bytes: number): boolean {
    if (this.#inFlight + bytes > this.limitBytes) return false;
    this.#inFlight += bytes;
    return true;
  }

  give(bytes: number): void {
    this.#inFlight -= bytes;
  }
}

export interface BodyLimits {
  /** One body; more is a 413. */
  maxBytes: number;
  /** All bodies being received; more is a 503. */
  budget: BodyBudget;
  /** From the first read to the last byte; longer is a 408. */
  timeoutMs: number;
}

export function payloadTooLarge(limitBytes: number): ApiProblem {
  return new ApiProblem(413, 'payload_too_large', `request body is over ${limitBytes} bytes`, {
    limit_bytes: limitBytes,
  });
}

function bodyTimeout(timeoutMs: number): ApiProblem {
  return new ApiProblem(
    408,
    'request_timeout',
    `the request body did not arrive within ${timeoutMs / 1000} s`,
    {},
    { connection: 'close' },
  );
}

function tooManyBodies(budget: BodyBudget): ApiProblem {
  const problem = retryLater(
    503,
    'unavailable',
    `the service is receiving too many request bodies at once (${budget.limitBytes} bytes in all); try again`,
    1,
  );
  return new ApiProblem(
    problem.status,
    problem.code,
    problem.message,
    {},
    { ...problem.headers, connection: 'close' },
  );
}

/** The raw body text; rejects with 413, 408 or 503 as soon as that is known. */
export function readBodyText(
  req: IncomingMessage,
  limits: BodyLimits,
): Promise<{ text: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const { maxBytes, budget } = limits;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      drainAndDiscard(req);
      reject(payloadTooLarge(maxBytes));
      return;
    }
    let chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const fail = (problem: unknown, then?: () => void): void => {
      if (settled) return;
      cleanup();
      then?.();
      reject(problem);
    };
    const onData = (chunk: Buffer): void => {
      if (bytes + chunk.length > maxBytes) {
        fail(payloadTooLarge(maxBytes), () => drainAndDiscard(req));
        return;
      }
      if (!budget.take(chunk.length)) {
        // Nothing of this body is kept: the bytes it held are free at once, and its connection goes.
        fail(tooManyBodies(budget), () => req.resume());
        return;
      }
      bytes += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      const body = Buffer.concat(chunks, bytes);
      cleanup();
      try {
        resolve({ text: decodeStrict(body), bytes });
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: Error): void => fail(error);
    // The client went before its body ended: nobody is left to answer, and its bytes are let go.
    const onClose = (): void => fail(new Error('the client closed the connection during the request body'));
    const timer = setTimeout(() => fail(bodyTimeout(limits.timeoutMs), () => req.resume()), limits.timeoutMs);
    const cleanup = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      budget.give(bytes);
      chunks = [];
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
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
  limits: BodyLimits,
): Promise<{ body: Record<string, unknown>; bytes: number }> {
  const { text, bytes } = await readBodyText(req, limits);
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
