/**
 * The plain error shape of the proxy-logs and audit-log streams, `{statusCode, error, message}`
 * (docs/api.md "Other stream shapes the mock serves"), instead of the error envelope of the rest
 * of the API.
 */
import { type ServerResponse, STATUS_CODES } from 'node:http';
import { ApiProblem, sendJson } from './envelope.js';

/** An expected failure of a shaped stream; `error` is the status's reason phrase. */
export class ShapedProblem extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }

  /** The same failure as the rest of the API reports it (status, message and headers kept). */
  static from(problem: ApiProblem): ShapedProblem {
    return new ShapedProblem(problem.status, problem.message, problem.headers);
  }

  toBody(): { statusCode: number; error: string; message: string } {
    return { statusCode: this.status, error: STATUS_CODES[this.status] ?? 'Error', message: this.message };
  }
}

export function sendShapedProblem(res: ServerResponse, problem: ShapedProblem): void {
  sendJson(res, { status: problem.status, body: problem.toBody(), headers: problem.headers });
}

/** Any error thrown while answering a shaped stream, in its shape (a bug: a 500 without details). */
export function toShapedProblem(error: unknown): ShapedProblem | undefined {
  if (error instanceof ShapedProblem) return error;
  if (error instanceof ApiProblem) return ShapedProblem.from(error);
  return undefined;
}
