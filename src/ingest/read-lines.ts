/**
 * Input lines as bytes, not text: decoding is left to the parser so that a line that is not valid
 * UTF-8 is rejected with its number instead of being silently "repaired" with U+FFFD (which is what
 * readline and every string decoder do). Memory stays bounded whatever the input: a line longer
 * than `maxLineBytes` keeps only its first `maxLineBytes + 1` bytes (enough to be recognised as too
 * long) and the rest is skipped, and the source is read only as fast as lines are taken.
 */

const NEWLINE = 0x0a;
const BOM = [0xef, 0xbb, 0xbf] as const;

export interface ReadLinesOptions {
  /** Stops reading (and ends the lines) when aborted, even while the source is waiting for input. */
  signal: AbortSignal;
  /** Lines longer than this are cut to `maxLineBytes + 1` bytes. */
  maxLineBytes: number;
}

/** A source of bytes (a file or stdin stream) that reading can be stopped on. */
export type ByteSource = AsyncIterable<Buffer | string> & { destroy?: (error?: Error) => void };

/**
 * The lines of `source`, split at `\n` (a `\r` before it is left to the parser), without the
 * newline. A UTF-8 byte order mark at the very start is dropped: editors on Windows write one, and it
 * would otherwise become an invisible first character of line 1.
 */
export async function* readLines(source: ByteSource, options: ReadLinesOptions): AsyncGenerator<Buffer> {
  const { signal, maxLineBytes } = options;
  if (signal.aborted) return;
  const stop = (): void => source.destroy?.();
  signal.addEventListener('abort', stop, { once: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let first = true;
  const keep = (piece: Buffer): void => {
    const room = maxLineBytes + 1 - pendingBytes;
    if (room <= 0) return;
    const kept = piece.length > room ? piece.subarray(0, room) : piece;
    pending.push(kept);
    pendingBytes += kept.length;
  };
  const take = (): Buffer => {
    const line = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    if (!first) return line;
    first = false;
    return BOM.every((byte, i) => line[i] === byte) ? line.subarray(BOM.length) : line;
  };
  try {
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      let from = 0;
      for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, from)) {
        keep(bytes.subarray(from, at));
        from = at + 1;
        yield take();
        if (signal.aborted) return;
      }
      if (from < bytes.length) keep(bytes.subarray(from));
    }
    if (pendingBytes > 0) yield take();
  } catch (error) {
    // Destroyed because the run was stopped: the lines simply end.
    if (!signal.aborted) throw error;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
