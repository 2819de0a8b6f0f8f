/**
 * Every expected failure has one type here, and `exitCodeFor` is the one place that maps them to
 * exit codes (documented in the README). Code below the entry point throws; it never exits.
 */

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  planOrLimit: 4,
  unreachable: 5,
  badInput: 65,
  deadLetterFailed: 74,
  timeout: 124,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Base for errors whose message is meant for the user as is (no stack unless --debug). */
export class SotailError extends Error {
  /** A last line telling the user what to do about it. */
  readonly hint: string | undefined;
  /** Lines shown between the message and the hint (a query with a caret under the mistake). */
  readonly details: readonly string[];
  constructor(
    message: string,
    options: { hint?: string; cause?: unknown; details?: readonly string[] } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

/** Bad flags or arguments: exit 2. */
export class UsageError extends SotailError {}

/** No usable credentials (no profile, no token): exit 3. */
export class AuthConfigError extends SotailError {}

/** Bad input data (ingest lines that could not be sent): exit 65. */
export class InputDataError extends SotailError {}

/**
 * The dead-letter file could not be written (disk full, a file size limit, an I/O error): ingest
 * stopped reading, so some lines are neither stored nor in the file, and the summary names the
 * first of them to resume from: exit 74 (EX_IOERR).
 */
export class DeadLetterWriteError extends SotailError {}

/** A `--timeout` ran out: exit 124. */
export class TimeoutReachedError extends SotailError {}

/**
 * A tail's `--timeout` ran out while the service could not be reached (never connected, or lost
 * and not back): exit 5, so that a script tells "the service is down" from "the event never came"
 * (124).
 */
export class TimeoutUnreachableError extends SotailError {}

/** The user interrupted (Ctrl-C, SIGTERM): exit 130. */
export class InterruptedError extends SotailError {}

/** Ran fine but the result is a failure by the user's own rule (`--fail-on-empty`): exit 1. */
export class ResultError extends SotailError {}

/** stdout was closed by its reader (`| head`): not a failure, the run just stops quietly (exit 0). */
export class OutputClosedError extends SotailError {}

/** A local file (config, data) could not be read or written: exit 1. */
export class FileError extends SotailError {}

/** The service could not be reached (refused, reset, DNS, TLS) even after retries: exit 5. */
export class NetworkError extends SotailError {
  readonly url: string;
  constructor(message: string, url: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.url = url;
  }
}

/**
 * The service answered, but not as the logs API does (docs/api.md): a web page or another server
 * where the API should be, a body that is not the API's JSON, an answer without end, a cursor that
 * comes back. Retrying does not change that: exit 1, at once.
 */
export class ProtocolError extends SotailError {
  /** `not_the_api` (a web page or another server), `response_too_large`, `paging` (a walk that would not end). */
  readonly code: 'not_the_api' | 'response_too_large' | 'paging';
  readonly url: string;
  constructor(
    code: ProtocolError['code'],
    message: string,
    url: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, options);
    this.code = code;
    this.url = url;
  }
}

export interface ApiErrorFields {
  status: number;
  code: string;
  message: string;
  url: string;
  /** Everything else the error envelope carried (`field`, `position`, `quotas`, …). */
  extra: Record<string, unknown>;
  /** From the `Retry-After` header, when present. */
  retryAfterMs?: number | undefined;
  hint?: string | undefined;
}

/** The service answered with the error envelope of api.md. */
export class ApiError extends SotailError {
  readonly status: number;
  readonly code: string;
  readonly url: string;
  readonly extra: Record<string, unknown>;
  readonly retryAfterMs: number | undefined;
  constructor(fields: ApiErrorFields) {
    super(fields.message, { hint: fields.hint });
    this.status = fields.status;
    this.code = fields.code;
    this.url = fields.url;
    this.extra = fields.extra;
    this.retryAfterMs = fields.retryAfterMs;
  }

  /** A quota that waiting will not restore (api.md `quota_exceeded`, `cumulative: true`). */
  get isCumulativeQuota(): boolean {
    if (this.code !== 'quota_exceeded') return false;
    const quotas = this.extra.quotas;
    return Array.isArray(quotas) && quotas.some((q) => (q as { cumulative?: unknown })?.cumulative === true);
  }
}

/** The exit status for anything thrown out of a command. */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof OutputClosedError) return ExitCode.ok;
  if (error instanceof UsageError) return ExitCode.usage;
  if (error instanceof AuthConfigError) return ExitCode.auth;
  if (error instanceof InputDataError) return ExitCode.badInput;
  if (error instanceof DeadLetterWriteError) return ExitCode.deadLetterFailed;
  if (error instanceof TimeoutUnreachableError) return ExitCode.unreachable;
  if (error instanceof TimeoutReachedError) return ExitCode.timeout;
  if (error instanceof InterruptedError) return ExitCode.interrupted;
  if (error instanceof NetworkError) return ExitCode.unreachable;
  if (error instanceof ApiError) return exitCodeForApiError(error);
  if (error instanceof ProtocolError) return ExitCode.failure;
  return ExitCode.failure;
}

function exitCodeForApiError(error: ApiError): ExitCodeValue {
  if (error.code === 'soql_parse_error' || error.code === 'soql_tail_aggregation_unsupported') {
    return ExitCode.usage;
  }
  if (error.status === 401 || error.status === 403) return ExitCode.auth;
  if (error.status === 402 || error.status === 429) return ExitCode.planOrLimit;
  if (error.status === 503 || error.status === 502 || error.status === 504) return ExitCode.unreachable;
  return ExitCode.failure;
}

/**
 * The lines shown on stderr for an error: one clear line, its details, a hint, and the stack only
 * with --debug. Each is one line (the writer escapes any line break a message may hold). Every
 * error has a hint (the README promises one): without its own, it points at the command's help
 * (`help`, such as `sotail tail --help`).
 */
export function describeError(error: unknown, options: { debug: boolean; help?: string }): string[] {
  if (error instanceof OutputClosedError) return [];
  if (error instanceof SotailError) {
    const lines = [`sotail: ${error.message}`, ...error.details];
    // An interruption is the user's own doing: nothing to advise.
    const fallback =
      options.help && !(error instanceof InterruptedError) ? `see \`${options.help}\`` : undefined;
    const hint = error.hint ?? fallback;
    if (hint) lines.push(`hint: ${hint}`);
    if (options.debug && error.stack) lines.push(...stackLines(error));
    return lines;
  }
  const text = error instanceof Error ? error.message : String(error);
  const lines = [`sotail: unexpected error: ${text}`];
  if (options.debug && error instanceof Error && error.stack) lines.push(...stackLines(error));
  else lines.push('hint: run again with --debug for details, and report it if it persists');
  return lines;
}

/** The frames of a stack (`    at …`), without the message it repeats. */
function stackLines(error: Error): string[] {
  return (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
}
