/**
 * The one error envelope of api.md (`{"error":{"code","message",...extra}}`) and the JSON replies.
 * Handlers throw an `ApiProblem`; the router turns it into a response, whatever the status.
 */
import type { ServerResponse } from 'node:http';

/** An expected failure that becomes an error envelope. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
    this.headers = headers;
  }

  toBody(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

/** 400 bad_request naming the offending field (api.md error table). */
export function badRequest(message: string, field?: string): ApiProblem {
  return new ApiProblem(400, 'bad_request', message, field === undefined ? {} : { field });
}

export function notFound(message: string): ApiProblem {
  return new ApiProblem(404, 'not_found', message);
}

/** 429/503 carry Retry-After in whole seconds (api.md; clients wait exactly that long). */
export function retryLater(
  status: 429 | 503,
  code: string,
  message: string,
  retryAfterSec: number,
): ApiProblem {
  return new ApiProblem(
    status,
    code,
    message,
    {},
    { 'retry-after': String(Math.max(0, Math.ceil(retryAfterSec))) },
  );
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A reply whose body is already JSON text (query pages, answers kept for a replay). */
export interface TextReply {
  status: number;
  text: string;
  headers?: Record<string, string>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Writes a JSON reply; `text` lets callers pass a body they serialised themselves (big query pages). */
export function sendJson(res: ServerResponse, reply: Reply, text?: string): void {
  const payload = text ?? JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(payload),
    ...reply.headers,
  });
  res.end(payload);
}

export function sendProblem(res: ServerResponse, problem: ApiProblem): void {
  sendJson(res, { status: problem.status, body: problem.toBody(), headers: problem.headers });
}
