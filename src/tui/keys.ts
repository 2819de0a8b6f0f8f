/**
 * Key presses as the view model understands them: the printable input, or the name of a special
 * key. `parseKeys` reads them from what a terminal in raw mode sends.
 */
export type KeyName =
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'return'
  | 'escape'
  | 'backspace'
  | 'delete'
  | 'tab';

export interface Key {
  /** The text typed ('' for special keys). */
  input: string;
  name?: KeyName | undefined;
  ctrl?: boolean | undefined;
  meta?: boolean | undefined;
}

/** CSI final bytes that name a key by themselves (`ESC [ A`, also with modifiers `ESC [ 1 ; 5 A`). */
const CSI_LETTERS: Readonly<Record<string, KeyName>> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
};

/** `ESC [ n ~` keys, by n (xterm, rxvt and the Linux console). */
const CSI_TILDE: Readonly<Record<string, KeyName>> = {
  '1': 'home',
  '7': 'home',
  '4': 'end',
  '8': 'end',
  '3': 'delete',
  '5': 'pageUp',
  '6': 'pageDown',
};

/** `ESC O x`: the cursor keys in application mode. */
const SS3_LETTERS: Readonly<Record<string, KeyName>> = { ...CSI_LETTERS };

/** ESC [, then parameters, then one final byte; matched where the escape is (sticky). */
const CSI = /\x1b\[([0-9;:?<=>]*)([\x20-\x2f]*)([\x40-\x7e])/y;

/**
 * The keys in one read of a raw-mode terminal. A read holds one key, or several when they were
 * typed faster than they were read or pasted: each is a key of its own, so `f` followed at once
 * by a query opens the prompt and types the query into it. An escape alone at the end of a read
 * is the Escape key (terminals send a sequence in one write). Sequences not listed (function
 * keys, mouse reports) are skipped whole, never typed as text.
 */
export function parseKeys(data: string): Key[] {
  const keys: Key[] = [];
  let at = 0;
  while (at < data.length) {
    const char = data[at]!;
    if (char !== '\x1b') {
      const code = data.codePointAt(at)!;
      const text = String.fromCodePoint(code);
      at += text.length;
      const key = keyOfChar(text, code);
      if (key) keys.push(key);
      continue;
    }
    CSI.lastIndex = at;
    const csi = CSI.exec(data);
    if (csi) {
      at += csi[0].length;
      const [, params = '', , final = ''] = csi;
      const name = final === '~' ? CSI_TILDE[params.split(';')[0]!] : CSI_LETTERS[final];
      if (name) keys.push({ input: '', name });
      else if (final === 'Z') keys.push({ input: '', name: 'tab' });
      continue;
    }
    const next = data[at + 1];
    if (next === undefined) {
      keys.push({ input: '', name: 'escape' });
      at += 1;
    } else if (next === 'O' && at + 2 < data.length) {
      const name = SS3_LETTERS[data[at + 2]!];
      if (name) keys.push({ input: '', name });
      at += 3;
    } else if (next === '\x1b') {
      keys.push({ input: '', name: 'escape' });
      at += 1;
    } else {
      // Alt (Meta) with a key: ESC, then the key.
      const code = data.codePointAt(at + 1)!;
      const text = String.fromCodePoint(code);
      at += 1 + text.length;
      const key = keyOfChar(text, code);
      if (key) keys.push({ ...key, meta: true });
    }
  }
  return keys;
}

/** One character: control characters become their keys; other controls are no key at all. */
function keyOfChar(char: string, code: number): Key | undefined {
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
  // Ctrl-A‥Ctrl-Z arrive as 0x01‥0x1a.
  if (code >= 1 && code <= 26) return { input: String.fromCharCode(code + 96), ctrl: true };
  if (code < 0x20 || (code >= 0x80 && code < 0xa0)) return undefined;
  return { input: char };
}
