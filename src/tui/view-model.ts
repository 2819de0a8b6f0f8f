/**
 * The TUI's state and behaviour without a terminal: what is buffered and shown, where the cursor
 * is, whether the view follows new events, and what each key does. The frame only draws it,
 * and side effects (quit, copy, write a file) come back from `handleKey` as data for the runner.
 */

import { SEVERITIES } from '../model/event.js';
import type { EventRecord } from '../model/event-record.js';
import { boundedJson } from '../output/bounded-json.js';
import { compileQuery, renderCaret, SoqlParseError } from '../soql/index.js';
import type { TailItem } from '../tail/items.js';
import {
  applyStateItem,
  type ConnectionStatus,
  initialConnectionStatus,
  type StatusNotice,
} from './connection-status.js';
import { detailLines } from './detail-lines.js';
import { type BufferedEvent, EventView, RANK_SLOTS } from './event-view.js';
import { KEY_HELP } from './help.js';
import type { Key } from './keys.js';
import { RateMeter } from './rate-meter.js';

export type PromptKind = 'search' | 'refine' | 'write';

export interface PromptState {
  kind: PromptKind;
  text: string;
  /** Why the last submission was refused: for a refine, the query with a caret under the problem. */
  error?: { caret?: string | undefined; message: string } | undefined;
}

export type Mode =
  | { kind: 'list' }
  | { kind: 'help'; scroll: number }
  | { kind: 'detail'; entry: BufferedEvent; scroll: number; lines?: { width: number; lines: string[] } }
  | { kind: 'prompt'; prompt: PromptState };

/** What the runner must do after a key: the model itself does no I/O. */
export type Effect =
  | { kind: 'quit'; interrupted: boolean }
  | { kind: 'copy'; line: string }
  | { kind: 'write'; path: string; lines: string[] };

export interface TuiModelOptions {
  /** Most events held; older ones are dropped (`--buffer`). */
  capacity: number;
  now: () => number;
  /** The coloured one-line form of an event (the pretty formatter). */
  formatLine: (event: EventRecord) => string;
  /** Default file name for `w`, given the current time. */
  writePath?: (nowMs: number) => string;
}

/** The rows to draw and where the cursor is among them. */
export interface ListWindow {
  rows: BufferedEvent[];
  /** Index in `rows` of the selected event, -1 when nothing is shown. */
  selected: number;
  /** Index of rows[0] among all shown events. */
  first: number;
}

export class TuiModel {
  readonly view: EventView;
  readonly rates = new RateMeter();
  readonly connection: ConnectionStatus = initialConnectionStatus();
  mode: Mode = { kind: 'list' };
  following = true;
  /** Events that passed the filter while paused: the "+N new" of the status line. */
  newWhilePaused = 0;
  received = 0;
  search: string | undefined;
  refineText: string | undefined;
  /** The list's size in rows and columns, as last laid out. */
  pageRows = 20;
  columns = 80;
  private selectedSeq = -1;
  private topSeq = -1;
  private readonly now: () => number;
  private readonly writePath: (nowMs: number) => string;
  private readonly formatLine: (event: EventRecord) => string;

  constructor(options: TuiModelOptions) {
    this.view = new EventView(options.capacity);
    this.now = options.now;
    this.writePath = options.writePath ?? defaultWritePath;
    this.formatLine = options.formatLine;
  }

  get minRank(): number {
    return this.view.getFilter().minRank;
  }

  /** Folds one item from the tail engine into the state. */
  apply(item: TailItem): void {
    const now = this.now();
    if (item.kind !== 'batch') {
      applyStateItem(this.connection, item, now);
      return;
    }
    this.received += item.events.length;
    // Rates count what arrived, filtered or not: they describe the stream, not the view.
    const byRank = new Array<number>(RANK_SLOTS).fill(0);
    const accepted = this.view.append(item.events, now, byRank);
    if (!this.following) this.newWhilePaused += accepted;
    for (let slot = 0; slot < RANK_SLOTS; slot++) {
      if (byRank[slot]) this.rates.record(slot - 1, byRank[slot]!, now);
    }
  }

  /** The event's coloured display line, formatted once. */
  lineOf(entry: BufferedEvent): string {
    entry.line ??= this.formatLine(entry.event);
    return entry.line;
  }

  notify(level: StatusNotice['level'], message: string): void {
    this.connection.notice = { level, message, atMs: this.now() };
  }

  setViewport(columns: number, pageRows: number): void {
    this.columns = Math.max(1, columns);
    this.pageRows = Math.max(1, pageRows);
  }

  /** The rows of the list to draw now, `pageRows` at most. */
  window(): ListWindow {
    const total = this.view.shownCount;
    if (total === 0) return { rows: [], selected: -1, first: 0 };
    const height = this.pageRows;
    let selected: number;
    let top: number;
    if (this.following) {
      selected = total - 1;
      top = Math.max(0, total - height);
    } else {
      selected = Math.min(this.view.indexAtOrAfter(this.selectedSeq), total - 1);
      top = Math.min(this.view.indexAtOrAfter(this.topSeq), total - 1);
      if (selected < top) top = selected;
      if (selected >= top + height) top = selected - height + 1;
      this.selectedSeq = this.view.at(selected)!.seq;
      this.topSeq = this.view.at(top)!.seq;
    }
    const rows: BufferedEvent[] = [];
    for (let i = top; i < Math.min(total, top + height); i++) rows.push(this.view.at(i)!);
    return { rows, selected: selected - top, first: top };
  }

  /** The event under the cursor. */
  selectedEntry(): BufferedEvent | undefined {
    const { rows, selected } = this.window();
    return rows[selected];
  }

  handleKey(key: Key): Effect | undefined {
    if (key.ctrl && key.input === 'c') return { kind: 'quit', interrupted: true };
    switch (this.mode.kind) {
      case 'help':
        return this.helpKey(key, this.mode);
      case 'detail':
        return this.detailKey(key, this.mode);
      case 'prompt':
        return this.promptKey(key, this.mode.prompt);
      case 'list':
        return this.listKey(key);
    }
  }

  private listKey(key: Key): Effect | undefined {
    switch (key.name) {
      case 'up':
        return this.moveBy(-1);
      case 'down':
        return this.moveBy(1);
      case 'pageUp':
        return this.moveBy(-this.pageRows);
      case 'pageDown':
        return this.moveBy(this.pageRows);
      case 'home':
        return this.moveTo(0);
      case 'end':
        return this.follow();
      case 'return':
        return this.openDetail();
      case 'escape':
        return undefined;
    }
    if (key.ctrl || key.meta) return undefined;
    switch (key.input) {
      case 'q':
        return { kind: 'quit', interrupted: false };
      case ' ':
        if (this.following) this.pause();
        else this.follow();
        return undefined;
      case 'j':
        return this.moveBy(1);
      case 'k':
        return this.moveBy(-1);
      case 'g':
        return this.moveTo(0);
      case 'G':
        return this.follow();
      case '/':
        this.mode = { kind: 'prompt', prompt: { kind: 'search', text: this.search ?? '' } };
        return undefined;
      case 'n':
        this.findNext(-1);
        return undefined;
      case 'N':
        this.findNext(1);
        return undefined;
      case 'f':
        this.mode = { kind: 'prompt', prompt: { kind: 'refine', text: this.refineText ?? '' } };
        return undefined;
      case 'w':
        this.mode = { kind: 'prompt', prompt: { kind: 'write', text: this.writePath(this.now()) } };
        return undefined;
      case 'y':
        return this.copySelected();
      case 'c':
        this.view.clear();
        this.follow();
        this.notify('info', 'buffer cleared');
        return undefined;
      case '?':
        this.mode = { kind: 'help', scroll: 0 };
        return undefined;
    }
    if (/^[1-6]$/.test(key.input)) {
      const rank = Number(key.input) - 1;
      this.view.setFilter({ ...this.view.getFilter(), minRank: rank });
      this.notify('info', rank === 0 ? 'showing every severity' : `showing ${SEVERITIES[rank]} and above`);
    }
    return undefined;
  }

  /** The detail pane's lines for the event at the current width, made once per event and width. */
  detailLinesOf(mode: Extract<Mode, { kind: 'detail' }>): string[] {
    if (mode.lines?.width !== this.columns) {
      mode.lines = { width: this.columns, lines: detailLines(mode.entry, this.columns) };
    }
    return mode.lines.lines;
  }

  private detailKey(key: Key, mode: Extract<Mode, { kind: 'detail' }>): Effect | undefined {
    if (key.input === 'y' && !key.ctrl && !key.meta) return copyLine(mode.entry);
    const scroll = scrolled(key, mode.scroll, this.detailLinesOf(mode).length, this.pageRows);
    if (scroll !== undefined) mode.scroll = scroll;
    else if (key.name === 'return' || key.name === 'escape' || key.input === 'q')
      this.mode = { kind: 'list' };
    return undefined;
  }

  private helpKey(key: Key, mode: Extract<Mode, { kind: 'help' }>): Effect | undefined {
    const scroll = scrolled(key, mode.scroll, KEY_HELP.length, this.pageRows);
    // Any key but those that scroll closes the help.
    if (scroll === undefined) this.mode = { kind: 'list' };
    else mode.scroll = scroll;
    return undefined;
  }

  private promptKey(key: Key, prompt: PromptState): Effect | undefined {
    if (key.name === 'escape') {
      this.mode = { kind: 'list' };
      return undefined;
    }
    if (key.name === 'return') return this.submit(prompt);
    if (key.name === 'backspace') prompt.text = Array.from(prompt.text).slice(0, -1).join('');
    else if (key.ctrl && key.input === 'u') prompt.text = '';
    else if (!key.ctrl && !key.meta && !key.name && key.input) prompt.text += stripControls(key.input);
    prompt.error = undefined;
    return undefined;
  }

  private submit(prompt: PromptState): Effect | undefined {
    const text = prompt.text.trim();
    switch (prompt.kind) {
      case 'search':
        this.mode = { kind: 'list' };
        this.search = text === '' ? undefined : text;
        if (this.search) this.findNext(-1, true);
        return undefined;
      case 'refine':
        // Compiled as typed, so that an error position points into the text the prompt shows.
        return this.submitRefine(prompt, text === '' ? '' : prompt.text);
      case 'write': {
        if (text === '') {
          prompt.error = { message: 'a file name is needed' };
          return undefined;
        }
        this.mode = { kind: 'list' };
        const lines: string[] = [];
        for (const entry of this.view) lines.push(entry.raw ?? boundedJson(entry.event) ?? '{}');
        return { kind: 'write', path: text, lines };
      }
    }
  }

  private submitRefine(prompt: PromptState, text: string): undefined {
    if (text === '') {
      this.refineText = undefined;
      this.view.setFilter({ ...this.view.getFilter(), refine: undefined });
      this.mode = { kind: 'list' };
      return undefined;
    }
    try {
      const { parsed, matches } = compileQuery(text);
      if (parsed.groupBy) {
        prompt.error = { message: 'refine takes a filter; GROUP BY belongs to `sotail query`' };
        return undefined;
      }
      this.refineText = text.trim();
      this.view.setFilter({ ...this.view.getFilter(), refine: matches });
      this.mode = { kind: 'list' };
    } catch (error) {
      if (!(error instanceof SoqlParseError)) throw error;
      prompt.error = { caret: renderCaret(text, error.position), message: error.message };
    }
    return undefined;
  }

  private openDetail(): undefined {
    const entry = this.selectedEntry();
    if (entry) {
      // Looking at one event should not let it scroll away.
      if (this.following) this.pause();
      this.mode = { kind: 'detail', entry, scroll: 0 };
    }
    return undefined;
  }

  private copySelected(): Effect | undefined {
    const entry = this.selectedEntry();
    if (!entry) {
      this.notify('info', 'nothing to copy');
      return undefined;
    }
    return copyLine(entry);
  }

  private pause(): void {
    const { rows, selected, first } = this.window();
    this.following = false;
    this.newWhilePaused = 0;
    this.selectedSeq = rows[selected]?.seq ?? -1;
    this.topSeq = this.view.at(first)?.seq ?? -1;
  }

  private follow(): undefined {
    this.following = true;
    this.newWhilePaused = 0;
    return undefined;
  }

  private moveBy(delta: number): undefined {
    const total = this.view.shownCount;
    if (total === 0) return undefined;
    const { selected, first } = this.window();
    const target = first + Math.max(selected, 0) + delta;
    // Moving down past the newest event is the way back to following.
    if (delta > 0 && target >= total && !this.following) return this.follow();
    return this.moveTo(Math.max(0, Math.min(total - 1, target)));
  }

  private moveTo(index: number): undefined {
    if (this.view.shownCount === 0) return undefined;
    if (this.following) this.pause();
    const entry = this.view.at(Math.max(0, Math.min(this.view.shownCount - 1, index)))!;
    this.selectedSeq = entry.seq;
    return undefined;
  }

  /**
   * Moves the cursor to the next shown event whose line contains the search text: `direction`
   * -1 looks at older events, +1 at newer ones. `inclusive` also considers the current event.
   */
  private findNext(direction: 1 | -1, inclusive = false): void {
    const needle = this.search?.toLowerCase();
    if (!needle) return;
    const total = this.view.shownCount;
    const { selected, first } = this.window();
    const from = selected < 0 ? total - 1 : first + selected;
    for (let i = inclusive ? from : from + direction; i >= 0 && i < total; i += direction) {
      if (this.searchTextOf(this.view.at(i)!).includes(needle)) {
        this.moveTo(i);
        return;
      }
    }
    this.notify('info', `no ${direction < 0 ? 'older' : 'newer'} match for "${this.search}"`);
  }

  /** What search looks at: the line as shown, without colour, lower-cased. */
  private searchTextOf(entry: BufferedEvent): string {
    entry.searchText ??= stripAnsi(this.lineOf(entry)).toLowerCase();
    return entry.searchText;
  }
}

/**
 * Where a pane of `lineCount` lines under a one-row title is scrolled to after a scrolling key,
 * within `pageRows` rows; undefined for a key that does not scroll.
 */
function scrolled(key: Key, scroll: number, lineCount: number, pageRows: number): number | undefined {
  const bodyRows = Math.max(1, pageRows - 1);
  const lastTop = Math.max(0, lineCount - bodyRows);
  let next: number;
  if (key.ctrl || key.meta) return undefined;
  if (key.name === 'pageDown' || key.input === ' ') next = scroll + bodyRows;
  else if (key.name === 'pageUp') next = scroll - bodyRows;
  else if (key.name === 'down' || key.input === 'j') next = scroll + 1;
  else if (key.name === 'up' || key.input === 'k') next = scroll - 1;
  else if (key.name === 'home' || key.input === 'g') next = 0;
  else if (key.name === 'end' || key.input === 'G') next = lastTop;
  else return undefined;
  return Math.max(0, Math.min(lastTop, next));
}

function copyLine(entry: BufferedEvent): Effect {
  return { kind: 'copy', line: entry.raw ?? boundedJson(entry.event) ?? '{}' };
}

function stripControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function defaultWritePath(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `sotail-${stamp}.ndjson`;
}

/** Removes the colour sequences our own palette adds (event text was sanitised before colouring). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
