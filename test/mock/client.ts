/**
 * The contract tests' client: JSON calls and an SSE reader over real HTTP (undici), small on
 * purpose — it parses frames with eventsource-parser and waits for conditions, never for time.
 */
import { createParser } from 'eventsource-parser';
import { request } from 'undici';
import type { MockServer } from '../../src/mock/index.js';
import { DEV_TOKEN } from '../helpers/mock-server.js';

export interface CallOptions {
  body?: unknown;
  /** null: no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  json: any;
}

export async function call(
  server: MockServer,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? DEV_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | Buffer | undefined;
  if (options.body !== undefined) {
    body =
      typeof options.body === 'string' || Buffer.isBuffer(options.body)
        ? options.body
        : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await request(`${server.url}${path}`, { method: method as 'GET', headers, body });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    json: text ? JSON.parse(text) : undefined,
  };
}

export interface SseFrame {
  event: string | undefined;
  id: string | undefined;
  data: string;
}

/** An open tail: frames and comments as they arrive, and how the stream ended. */
export class SseReader {
  readonly frames: SseFrame[] = [];
  readonly comments: string[] = [];
  raw = '';
  /** 'end' for a clean end, the error for a broken connection. */
  ended: 'end' | Error | undefined;
  readonly #abort = new AbortController();
  #waiters: (() => void)[] = [];

  static async open(
    server: MockServer,
    body: unknown,
    options: { token?: string; lastEventId?: string } = {},
  ): Promise<SseReader> {
    const reader = new SseReader();
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token ?? DEV_TOKEN}`,
      accept: 'text/event-stream',
      'content-type': 'application/json',
    };
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    const response = await request(`${server.url}/query/tail`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: reader.#abort.signal,
    });
    reader.status = response.statusCode;
    reader.contentType = String(response.headers['content-type']);
    reader.#consume(response.body);
    return reader;
  }

  /** A `GET` stream (the other stream shapes); a non-2xx answer's body is read as JSON into `json`. */
  static async get(
    server: MockServer,
    pathAndQuery: string,
    options: { token?: string | null; lastEventId?: string } = {},
  ): Promise<SseReader> {
    const reader = new SseReader();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    const token = options.token === undefined ? DEV_TOKEN : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    const response = await request(`${server.url}${pathAndQuery}`, {
      method: 'GET',
      headers,
      signal: reader.#abort.signal,
    });
    reader.status = response.statusCode;
    reader.headers = response.headers;
    reader.contentType = String(response.headers['content-type']);
    if (response.statusCode >= 300) {
      reader.json = JSON.parse(await response.body.text());
      reader.ended = 'end';
    } else reader.#consume(response.body);
    return reader;
  }

  headers: Record<string, string | string[] | undefined> = {};
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary error shapes
  json: any;

  /** The parsed data of the frames named `name`. */
  // biome-ignore lint/suspicious/noExplicitAny: events are checked field by field
  named(name: string): any[] {
    return this.frames.filter((frame) => frame.event === name).map((frame) => JSON.parse(frame.data));
  }

  status = 0;
  contentType = '';

  /** Event frames without an `event:` name (the log events), parsed. */
  // biome-ignore lint/suspicious/noExplicitAny: events are checked field by field
  get events(): any[] {
    // Parsed once per frame: conditions read this on every chunk, and re-parsing megabytes of
    // frames each time would stall the event loop that the in-process server shares.
    for (; this.#parsedFrames < this.frames.length; this.#parsedFrames++) {
      const frame = this.frames[this.#parsedFrames]!;
      if (frame.event === undefined) this.#events.push(JSON.parse(frame.data));
    }
    return this.#events;
  }

  // biome-ignore lint/suspicious/noExplicitAny: events are checked field by field
  readonly #events: any[] = [];
  #parsedFrames = 0;

  async #consume(body: AsyncIterable<Buffer>): Promise<void> {
    const decoder = new TextDecoder();
    const parser = createParser({
      onEvent: (event) => this.frames.push({ event: event.event, id: event.id, data: event.data }),
      onComment: (comment) => this.comments.push(comment),
    });
    try {
      for await (const chunk of body) {
        const text = decoder.decode(chunk, { stream: true });
        this.raw += text;
        parser.feed(text);
        this.#wake();
      }
      this.ended = 'end';
    } catch (error) {
      this.ended = error instanceof Error ? error : new Error(String(error));
    }
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Resolves once `condition` holds; fails with what was received if it does not in time. */
  async until(condition: (reader: SseReader) => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this)) {
      if (this.ended !== undefined && !condition(this)) {
        throw new Error(
          `stream ended (${String(this.ended)}) before the condition held; got:\n${this.raw.slice(-2000)}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms; got:\n${this.raw.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the stream to end and returns how. */
  async finished(timeoutMs = 5_000): Promise<'end' | Error> {
    await this.until((reader) => reader.ended !== undefined, timeoutMs).catch((error: unknown) => {
      if (this.ended === undefined) throw error;
    });
    return this.ended!;
  }

  close(): void {
    this.#abort.abort();
  }
}
