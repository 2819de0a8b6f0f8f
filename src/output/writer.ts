/**
 * Writes text to an output stream in batches, waiting for `drain` when the reader is slower than
 * we are (a growing buffer is how a CLI eats memory against `| less`), and turning a closed pipe
 * into OutputClosedError so the caller stops quietly. To a terminal, every batch is guarded on its
 * way out (sanitize.ts `guardTerminalOutput`), whatever the format: no call site can forget it. A
 * pipe gets the bytes untouched, on the same fast path as ever.
 */

import { OutputClosedError } from '../errors.js';
import type { OutputStream } from '../util/streams.js';
import { guardTerminalOutput } from './sanitize.js';

/** Above this much pending text, the batch goes to the stream. */
const BATCH_CHARS = 64 * 1024;

export class OutputWriter {
  readonly #stream: OutputStream;
  readonly #onError: (error: NodeJS.ErrnoException) => void;
  /** Output for a person: guarded batch by batch (batches end at line ends, so no secret is split). */
  readonly #terminal: boolean;
  #pending = '';
  #closed: Error | undefined;

  constructor(stream: OutputStream) {
    this.#stream = stream;
    this.#terminal = stream.isTTY === true;
    this.#onError = (error) => {
      this.#closed =
        error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED'
          ? new OutputClosedError('output closed')
          : error;
    };
    stream.on('error', this.#onError);
  }

  /**
   * Queues text; returns a promise only when the caller should wait (backpressure), so hot loops
   * stay cheap. Bytes (already a batch) go out at once, after the text queued before them.
   */
  write(text: string | Uint8Array): undefined | Promise<void> {
    if (this.#closed) throw this.#closed;
    if (typeof text !== 'string') {
      if (this.#terminal)
        return this.write(Buffer.from(text.buffer, text.byteOffset, text.length).toString());
      if (this.#pending !== '') {
        this.#stream.write(this.#pending);
        this.#pending = '';
      }
      if (text.length === 0 || this.#stream.write(text)) return undefined;
      return this.#waitFor('drain');
    }
    this.#pending += text;
    if (this.#pending.length < BATCH_CHARS) return undefined;
    return this.flush();
  }

  /** Sends what is queued and resolves once the stream can take more. */
  flush(): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closed);
    if (this.#pending === '') return Promise.resolve();
    const text = this.#terminal ? guardTerminalOutput(this.#pending) : this.#pending;
    this.#pending = '';
    if (this.#stream.write(text)) return Promise.resolve();
    return this.#waitFor('drain');
  }

  /**
   * Flushes and resolves when everything written so far has been handed to the OS. The writer is
   * finished afterwards: it stops listening to the stream, so a program that writes many finished
   * pieces (one writer each) leaves no listener behind.
   */
  async end(): Promise<void> {
    try {
      await this.flush();
      if (this.#closed) throw this.#closed;
      await new Promise<void>((resolve, reject) => {
        // An empty write's callback runs after every earlier write has completed.
        this.#stream.write('', (error) => (error ? reject(this.#closed ?? error) : resolve()));
      });
    } finally {
      this.#stream.off('error', this.#onError);
    }
  }

  #waitFor(event: 'drain'): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        this.#stream.off(event, onDrain);
        this.#stream.off('error', onError);
        this.#stream.off('close', onClose);
      };
      const onDrain = (): void => {
        cleanup();
        resolve();
      };
      const onError = (): void => {
        cleanup();
        reject(this.#closed ?? new OutputClosedError('output closed'));
      };
      const onClose = (): void => {
        cleanup();
        reject(new OutputClosedError('output closed'));
      };
      this.#stream.on(event, onDrain);
      this.#stream.on('error', onError);
      this.#stream.on('close', onClose);
    });
  }
}

/** Writes one finished piece of output (a record, a table) and waits until it is handed to the OS. */
export async function writeAll(stream: OutputStream, text: string): Promise<void> {
  const writer = new OutputWriter(stream);
  writer.write(text);
  await writer.end();
}
