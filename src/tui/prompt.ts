/**
 * The view's one-line prompts: search (`/`), refine (`f`, a SOQL filter checked as it is
 * submitted, a mistake shown with a caret) and write (`w`, a file name).
 */
import { compileQuery, renderCaret, SoqlParseError } from '../soql/index.js';
import type { BufferedEvent, ViewFilter } from './event-view.js';
import type { Key } from './keys.js';

export type PromptKind = 'search' | 'refine' | 'write';

export interface PromptState {
  kind: PromptKind;
  text: string;
  /** Why the last submission was refused: for a refine, the query with a caret under the problem. */
  error?: { caret?: string | undefined; message: string } | undefined;
}

/** What a submitted prompt asks of the runner: to write the listed events to a file. */
export interface WriteEffect {
  kind: 'write';
  path: string;
  lines: string[];
}

/** The parts of the view model a prompt reads and changes. */
export interface PromptHost<Effect> {
  search: string | undefined;
  refineText: string | undefined;
  readonly view: { getFilter(): ViewFilter };
  closePrompt(): void;
  findNext(direction: 1 | -1, inclusive?: boolean): undefined;
  setFilter(filter: ViewFilter): Effect | undefined;
  listedEvents(): Iterable<BufferedEvent>;
  /** The event as one JSON line, for the file `w` writes. */
  jsonOf(entry: BufferedEvent): string;
}

/** A key typed into a prompt; Enter submits it, Escape closes it. */
export function promptKey<Effect>(
  host: PromptHost<Effect>,
  key: Key,
  prompt: PromptState,
): Effect | WriteEffect | undefined {
  if (key.name === 'escape') {
    host.closePrompt();
    return undefined;
  }
  if (key.name === 'return') return submit(host, prompt);
  if (key.name === 'backspace') prompt.text = Array.from(prompt.text).slice(0, -1).join('');
  else if (key.ctrl && key.input === 'u') prompt.text = '';
  else if (!key.ctrl && !key.meta && !key.name && key.input) prompt.text += stripControls(key.input);
  prompt.error = undefined;
  return undefined;
}

function submit<Effect>(host: PromptHost<Effect>, prompt: PromptState): Effect | WriteEffect | undefined {
  const text = prompt.text.trim();
  switch (prompt.kind) {
    case 'search':
      host.closePrompt();
      host.search = text === '' ? undefined : text;
      if (host.search) host.findNext(-1, true);
      return undefined;
    case 'refine':
      // Compiled as typed, so that an error position points into the text the prompt shows.
      return submitRefine(host, prompt, text === '' ? '' : prompt.text);
    case 'write': {
      if (text === '') {
        prompt.error = { message: 'a file name is needed' };
        return undefined;
      }
      host.closePrompt();
      const lines: string[] = [];
      for (const entry of host.listedEvents()) lines.push(host.jsonOf(entry));
      return { kind: 'write', path: text, lines };
    }
  }
}

function submitRefine<Effect>(
  host: PromptHost<Effect>,
  prompt: PromptState,
  text: string,
): Effect | undefined {
  if (text === '') {
    host.refineText = undefined;
    host.closePrompt();
    return host.setFilter({ ...host.view.getFilter(), refine: undefined });
  }
  try {
    const { parsed, matches } = compileQuery(text);
    if (parsed.groupBy) {
      prompt.error = { message: 'refine takes a filter; GROUP BY belongs to `sotail query`' };
      return undefined;
    }
    host.refineText = text.trim();
    host.closePrompt();
    return host.setFilter({ ...host.view.getFilter(), refine: matches });
  } catch (error) {
    if (!(error instanceof SoqlParseError)) throw error;
    prompt.error = { caret: renderCaret(text, error.position), message: error.message };
    return undefined;
  }
}

function stripControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}
