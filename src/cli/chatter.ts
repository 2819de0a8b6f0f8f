/**
 * Where the program's chatter goes: notices, warnings, retry announcements and --debug lines.
 * By default each is one line on stderr. A full-screen view (the TUI) diverts them into its status
 * bar for as long as it owns the terminal, so that nothing is ever written over the screen; core
 * code never writes to stderr itself, it reports to the action, which says it here.
 */
import type { OutputStream } from '../util/streams.js';

export interface Chatter {
  /** Says one line (without its newline). */
  say(line: string): void;
  /** Sends every line to `sink` instead, until the returned function is called. */
  divert(sink: (line: string) => void): () => void;
}

export function createChatter(stream: OutputStream): Chatter {
  let diverted: ((line: string) => void) | undefined;
  return {
    say(line) {
      if (diverted) diverted(line);
      else stream.write(`${line}\n`);
    },
    divert(sink) {
      const previous = diverted;
      diverted = sink;
      return () => {
        if (diverted === sink) diverted = previous;
      };
    },
  };
}
