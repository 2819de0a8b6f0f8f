/**
 * `y` copies one event: to the system clipboard through the terminal (OSC 52) where the terminal
 * is known to accept it, otherwise to a file whose path the status line shows.
 */
import { writeFile } from 'node:fs/promises';

/** Terminals cap OSC 52 payloads (xterm at 100,000 bytes of base64); longer goes to a file. */
const OSC52_MAX_BASE64 = 99_000;

const OSC52_TERM_PROGRAMS = new Set(['iTerm.app', 'WezTerm', 'vscode', 'ghostty', 'Hyper', 'rio']);
const OSC52_TERMS = ['kitty', 'alacritty', 'foot', 'wezterm', 'ghostty', 'contour'];

/**
 * Whether the terminal accepts OSC 52 from programs. `SOTAIL_CLIPBOARD=osc52|file` decides
 * explicitly; tmux and screen do not pass it on by default (tmux's `set-clipboard external`).
 */
export function supportsOsc52(env: Readonly<Record<string, string | undefined>>): boolean {
  const choice = env.SOTAIL_CLIPBOARD;
  if (choice === 'osc52') return true;
  if (choice === 'file') return false;
  if (env.TMUX || env.STY) return false;
  if (env.TERM_PROGRAM && OSC52_TERM_PROGRAMS.has(env.TERM_PROGRAM)) return true;
  if (env.WT_SESSION) return true;
  const term = env.TERM ?? '';
  return OSC52_TERMS.some((name) => term.includes(name));
}

/** The escape sequence that puts `text` on the clipboard. */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

export interface CopyTarget {
  env: Readonly<Record<string, string | undefined>>;
  /** Where the OSC 52 sequence is written (the terminal). */
  write: (sequence: string) => void;
  /** The file used when the clipboard is not reachable. */
  fallbackPath: string;
}

/** Copies one line; resolves with a sentence for the status line. */
export async function copyText(line: string, target: CopyTarget): Promise<string> {
  const sequence = osc52(line);
  if (supportsOsc52(target.env) && sequence.length <= OSC52_MAX_BASE64) {
    target.write(sequence);
    return 'copied the event to the clipboard (OSC 52)';
  }
  await writeFile(target.fallbackPath, `${line}\n`, { mode: 0o600 });
  return `copied the event to ${target.fallbackPath}`;
}
