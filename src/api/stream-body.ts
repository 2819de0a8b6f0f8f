/**
 * A stream's body as the tail reads it: every byte that arrived before the connection broke, then
 * the break. Node's own async iterator of a Readable stops reading at once when the stream is
 * destroyed, and undici destroys a response body as soon as its socket fails: a reader that was
 * busy (writing a batch out, on a loaded machine) when the server cut the connection lost the
 * complete frames it had already received. It then resumed from an older cursor, or, before its
 * first event, from "now", without the events in between (docs/tail.md "Resume").
 */
import { finished, type Readable } from 'node:stream';

/** The bytes of one open stream, in order; `destroy` ends the connection early. */
export interface StreamBody extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): void;
}

/**
 * Reads `body` on demand (so a slow reader still holds the server back), yielding what was
 * received before a failure ahead of the failure itself. An abort of `signal` is ours, not the
 * server's: it ends the reading at once, without what is still buffered.
 */
export function receivedBytes(body: Readable, signal: AbortSignal | undefined): StreamBody {
  return {
    [Symbol.asyncIterator]: () => readReceived(body, signal),
    destroy: (error) => {
      body.destroy(error);
    },
  };
}

async function* readReceived(body: Readable, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  /** Set once the body is over: undefined while it is open, null at its end, else the failure. */
  let outcome: { error: unknown } | null | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  body.on('readable', notify);
  const stopWatching = finished(body, { writable: false }, (error) => {
    outcome ??= error ? { error } : null;
    notify();
  });
  try {
    for (;;) {
      if (outcome && signal?.aborted) throw outcome.error;
      // A destroyed Readable still hands out what it buffered: that is the point of reading here.
      const chunk: Uint8Array | null = body.read();
      if (chunk !== null) {
        yield chunk;
        continue;
      }
      if (outcome) throw outcome.error;
      if (outcome === null) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    body.off('readable', notify);
    // The reader stopped early (`--count` reached, an error of its own): the connection goes. The
    // watcher stays, as the listener of the error that destroying an unfinished body emits.
    if (outcome === undefined) body.destroy();
    else stopWatching();
  }
}
