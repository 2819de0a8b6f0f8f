/**
 * The sockets under ApiClient: two undici agents (keep-alive for JSON requests, one without a body
 * timeout for long streams), the connect and response timeouts, the "still waiting" notice, and
 * turning a request that got no HTTP answer into a typed error that says why (a refused or reset
 * connection, a timeout, TLS trouble, the wrong scheme, bytes that are not HTTP).
 */
import { Agent, type Dispatcher, request as undiciRequest } from 'undici';
import { NetworkError, ProtocolError } from '../errors.js';
import type { Timeouts, WaitNotice } from './client-types.js';
import { toNetworkError, type UrlSource } from './decode.js';
import { loopbackLookup } from './loopback.js';
import { describeTlsFailure, SPEAKS_TLS_CODE, speaksTls } from './tls.js';

/** A request still without an answer after this long (or half its timeout) is told to onWaiting. */
const WAIT_NOTICE_MS = 5_000;
/** The most a "does it speak TLS?" question may take, after an http:// server hung up. */
const TLS_PROBE_MS = 3_000;

export interface TransportOptions {
  timeouts: Timeouts;
  /** Keep-alive connections per origin; unlimited when absent. */
  connections?: number | undefined;
  onWaiting?: ((notice: WaitNotice) => void) | undefined;
  /** The URL the user gave for a request (the API's base, or a stream's) and where it came from. */
  describe: (url: URL) => { given: string; source: UrlSource };
}

export interface RequestInit {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal | undefined;
}

export class Transport {
  readonly #options: TransportOptions;
  readonly #agent: Agent;
  #streamAgent: Agent | undefined;

  constructor(options: TransportOptions) {
    this.#options = options;
    const { timeouts } = options;
    this.#agent = new Agent({
      // Localhost names resolve to loopback without DNS (loopback.ts), as the token policy assumes.
      connect: { timeout: timeouts.connectMs, lookup: loopbackLookup },
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
      connections: options.connections ?? null,
      allowH2: false,
    });
  }

  /** Sends a request and resolves at its response headers, on the keep-alive or the stream agent. */
  async send(url: URL, init: RequestInit, kind: 'json' | 'stream'): Promise<Dispatcher.ResponseData> {
    const { timeouts, onWaiting } = this.#options;
    // A service that accepted the connection and says nothing looks like a hung CLI: say once
    // that it is the service being waited for.
    const waitMs = Math.min(WAIT_NOTICE_MS, timeouts.headersMs / 2);
    const waiting = onWaiting
      ? setTimeout(() => {
          onWaiting({
            method: init.method,
            url: url.toString(),
            waitedMs: waitMs,
            timeoutMs: timeouts.headersMs,
          });
        }, waitMs)
      : undefined;
    try {
      return await undiciRequest(url, {
        dispatcher: kind === 'json' ? this.#agent : this.#streamDispatcher(),
        method: init.method as Dispatcher.HttpMethod,
        headers: init.headers,
        body: init.body,
        signal: init.signal,
      });
    } catch (error) {
      clearTimeout(waiting);
      throw await this.#diagnose(error, url, init);
    } finally {
      clearTimeout(waiting);
    }
  }

  /** A failure while reading an answer: the signal's reason, a NetworkError, or the error as is. */
  mapError(error: unknown, url: URL, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) return signal.reason;
    const { given } = this.#options.describe(url);
    return toNetworkError(error, { url: url.toString(), timeouts: this.#options.timeouts, given }) ?? error;
  }

  /** Closes the keep-alive agent and destroys the stream agent (aborted streams leave sockets). */
  async close(): Promise<void> {
    const stream = this.#streamAgent;
    this.#streamAgent = undefined;
    await Promise.all([this.#agent.close(), stream?.destroy()]);
  }

  /**
   * The error for a request that got no HTTP answer. An http:// server that hung up at once, or
   * answered with bytes that are not HTTP, is asked whether it speaks TLS: "try https://" is the
   * truthful next step then, and retrying is not.
   */
  async #diagnose(error: unknown, url: URL, init: RequestInit): Promise<unknown> {
    const mapped = this.mapError(error, url, init.signal);
    const code = (error as { code?: unknown } | null)?.code;
    const notHttp = typeof code === 'string' && code.startsWith('HPE_');
    const hungUp = notHttp || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
    if (url.protocol !== 'http:' || !hungUp || init.signal?.aborted) return mapped;
    const { given, source } = this.#options.describe(url);
    if (await speaksTls(url, Math.min(this.#options.timeouts.connectMs, TLS_PROBE_MS), init.signal)) {
      const { message, hint } = describeTlsFailure(SPEAKS_TLS_CODE, new URL(given));
      const cause = Object.assign(new Error(message), { code: SPEAKS_TLS_CODE });
      return new NetworkError(message, url.toString(), { hint, cause });
    }
    if (!notHttp) return mapped;
    return new ProtocolError(
      'not_the_api',
      `${url.host} answered ${init.method} ${url.pathname} with something that is not HTTP`,
      url.toString(),
      { hint: `check ${source.check}: is the host and port the logs API's?`, cause: error },
    );
  }

  #streamDispatcher(): Agent {
    this.#streamAgent ??= new Agent({
      connect: { timeout: this.#options.timeouts.connectMs, lookup: loopbackLookup },
      headersTimeout: this.#options.timeouts.headersMs,
      // A quiet stream is normal between heartbeats; the tail's own watchdog decides when it is dead.
      bodyTimeout: 0,
      allowH2: false,
    });
    return this.#streamAgent;
  }
}
