/**
 * Key presses as the view model understands them, independent of Ink: the printable input, or the
 * name of a special key.
 */
export type KeyName =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'return'
  | 'escape'
  | 'backspace'
  | 'tab';

export interface Key {
  /** The text typed ('' for special keys). */
  input: string;
  name?: KeyName | undefined;
  ctrl?: boolean | undefined;
  meta?: boolean | undefined;
}

/** Ink's `useInput` key flags, as far as the TUI reads them. */
export interface InkKeyFlags {
  upArrow: boolean;
  downArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home?: boolean;
  end?: boolean;
  return: boolean;
  escape: boolean;
  backspace: boolean;
  delete: boolean;
  tab: boolean;
  ctrl: boolean;
  meta: boolean;
}

/**
 * Ink's (input, key) pair as model keys. Ink hands over everything read at once as one input
 * (a paste, or keys typed faster than they are read): each character is then a key of its own, so
 * `f` followed at once by a query opens the prompt and types the query into it.
 */
export function keysFromInk(input: string, key: InkKeyFlags): Key[] {
  const name = nameOf(key);
  const meta = key.meta && !key.escape;
  if (name || key.ctrl || meta || input.length <= 1) return [{ input, name, ctrl: key.ctrl, meta }];
  return Array.from(input, keyOfChar);
}

/** One character of input read together with others; control characters become their keys. */
function keyOfChar(char: string): Key {
  switch (char) {
    case '\r':
    case '\n':
      return { input: '', name: 'return' };
    case '\x7f':
    case '\b':
      return { input: '', name: 'backspace' };
    case '\t':
      return { input: '', name: 'tab' };
  }
  const code = char.charCodeAt(0);
  // Ctrl-A‥Ctrl-Z arrive as 0x01‥0x1a: Ctrl-C in a burst of input must still quit.
  if (code >= 1 && code <= 26) return { input: String.fromCharCode(code + 96), ctrl: true };
  return { input: char };
}

function nameOf(key: InkKeyFlags): KeyName | undefined {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'pageUp';
  if (key.pageDown) return 'pageDown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  // Most terminals send DEL (0x7f) for the Backspace key, which Ink reports as `delete`.
  if (key.backspace || key.delete) return 'backspace';
  if (key.tab) return 'tab';
  return undefined;
}
