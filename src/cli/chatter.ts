/**
 * The one writer of stderr: notices, warnings, state lines, retry announcements, --debug lines and
 * errors all go through `say`, which makes each line safe by construction. Every text it is given
 * is escaped (controls, escape sequences, bidi and invisible characters, line breaks) and cleared
 * of secrets; a style is never part of a text but a separate `Styled` piece, applied after the
 * escaping (output/styled-line.ts). So a peer's text (a server's reason, a
 * proxy's page) can neither drive the terminal, nor start a line of its own, nor show a token, and
 * a line of ours keeps its colours.
 *
 * A full-screen view (the TUI) diverts the lines into its status bar for as long as it owns the
 * terminal, so that nothing is ever written over the screen; core code never writes to stderr
 * itself, it reports to the action, which says it here.
 */
import { renderLine, type StyledLine } from '../output/styled-line.js';
import type { OutputStream } from '../util/streams.js';

export { type Styled, type StyledLine as ChatterLine, styled } from '../output/styled-line.js';

export interface Chatter {
  /** Says one line (without its newline); every text in it is escaped, whatever it holds. */
  say(line: StyledLine): void;
  /** Sends every line, as it would be written, to `sink` instead, until the returned function is called. */
  divert(sink: (line: string) => void): () => void;
}

export function createChatter(stream: OutputStream): Chatter {
  let diverted: ((line: string) => void) | undefined;
  return {
    say(line) {
      const text = renderLine(line);
      if (diverted) diverted(text);
      else stream.write(`${text}\n`);
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
