/**
 * The view's screen: the terminal's alternate screen, drawn a frame at a time. A frame is one
 * line per row, each already cut to the width; only the rows that changed since the last frame
 * are written, each at its own position, all in one write wrapped in a synchronized update (the
 * terminal shows the frame whole or not at all; terminals that do not know the mode ignore it).
 * Nothing is ever written below the last row, so nothing scrolls, and the shell's screen is left
 * as it was: the alternate screen is all the view ever touches (docs/performance.md, B3).
 */

/** A row of a frame: its text (colour sequences allowed) and the columns it takes. */
export interface Row {
  text: string;
  width: number;
}

/** The stream a screen writes to: a terminal. */
export interface ScreenOutput {
  write(text: string): unknown;
}

const ENTER = '\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J';
/** Colours off, cursor shown, back to the shell's screen as it was. */
const LEAVE = '\x1b[0m\x1b[?25h\x1b[?1049l';
const BEGIN_UPDATE = '\x1b[?2026h';
const END_UPDATE = '\x1b[?2026l';
const CLEAR = '\x1b[H\x1b[2J';

export class Screen {
  readonly #out: ScreenOutput;
  /** What each row shows now; undefined after a clear. */
  #shown: Array<string | undefined> = [];
  #entered = false;
  #left = false;
  constructor(out: ScreenOutput) {
    this.#out = out;
  }

  get active(): boolean {
    return this.#entered && !this.#left;
  }

  enter(): void {
    if (this.#entered) return;
    this.#entered = true;
    this.#out.write(ENTER);
  }

  /**
   * Forgets what is on the screen: the next frame clears it and draws every row (after a resize,
   * when the terminal may have moved or cut what was there).
   */
  invalidate(): void {
    this.#shown = [];
  }

  /** Draws a frame of `rows.length` rows, writing only rows that changed; returns the bytes written. */
  draw(rows: readonly Row[]): number {
    if (!this.active) return 0;
    let out = '';
    if (this.#shown.length === 0) out += CLEAR;
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index]!;
      if (this.#shown[index] === row.text) continue;
      this.#shown[index] = row.text;
      // The whole line is erased first, then written: erasing after it instead would erase the
      // last character of a row as wide as the screen (the cursor waits to wrap there), and
      // leaves the old row's cells counted as blanks (tmux copies them as trailing spaces).
      out += `\x1b[${index + 1};1H\x1b[2K${row.text}\x1b[0m`;
    }
    if (this.#shown.length > rows.length) {
      // The screen got shorter: rows past the frame are no longer there to keep.
      this.#shown.length = rows.length;
    }
    if (out === '') return 0;
    this.#out.write(BEGIN_UPDATE + out + END_UPDATE);
    return out.length;
  }

  /** Gives the terminal back: colours off, cursor shown, the shell's screen. Idempotent. */
  leave(): void {
    if (!this.#entered || this.#left) return;
    this.#left = true;
    this.#out.write(LEAVE);
  }
}
