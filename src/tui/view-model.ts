/**
 * The TUI's state and behaviour without a terminal: what is buffered, loaded and shown, where the
 * cursor is, whether the view follows new events, and what each key does. The frame only draws
 * it, and side effects (quit, copy, write a file, load a page of history) come back from
 * `handleKey` as data for the runner.
 */

import { SEVERITIES } from '../model/event.js';
import type { EventRecord } from '../model/event-record.js';
import { boundedJson } from '../output/bounded-json.js';
import type { LabelledTailItem } from '../tail/items.js';
import {
  applyStateItem,
  type ConnectionStatus,
  initialConnectionStatus,
  type StatusNotice,
} from './connection-status.js';
import { detailLines } from './detail-lines.js';
import { type BufferedEvent, EventView, RANK_SLOTS, type ViewFilter } from './event-view.js';
import { helpLines } from './help.js';
import { HISTORY_PAGE_SIZE, type HistoryPage, HistoryWindow, type PendingLoad } from './history.js';
import type { Key } from './keys.js';
import { ListCursor, type ListWindow } from './list-cursor.js';
import { type PromptState, promptKey, type WriteEffect } from './prompt.js';
import { RateMeter } from './rate-meter.js';
import { StreamLanes } from './stream-lanes.js';

export type { ListWindow } from './list-cursor.js';
export type { PromptKind, PromptState } from './prompt.js';

export type Mode =
  | { kind: 'list' }
  | { kind: 'help'; scroll: number }
  | { kind: 'detail'; entry: BufferedEvent; scroll: number; lines?: { width: number; lines: string[] } }
  | { kind: 'prompt'; prompt: PromptState };

/** What the runner must do after a key: the model itself does no I/O. */
export type Effect =
  | { kind: 'quit'; interrupted: boolean }
  | { kind: 'copy'; line: string }
  | WriteEffect
  /** Fetch a page of history and hand it to `applyHistory`. */
  | { kind: 'load'; load: PendingLoad };

export interface TuiModelOptions {
  /** Most events held (`--buffer`); older ones leave the buffer; as many again of history. */
  capacity: number;
  now: () => number;
  /** The coloured one-line form of an event (the pretty formatter). */
  formatLine: (event: EventRecord) => string;
  /** Default file name for `w`, given the current time. */
  writePath?: (nowMs: number) => string;
  /** Whether older events can be loaded from the service (a source with a query API). */
  history?: boolean | undefined;
  /** False for the query view: no live events, the list is the result loaded page by page. */
  live?: boolean | undefined;
  /** Events per page of history. */
  pageSize?: number | undefined;
  /** A merged tail's stream names: each stream's state is shown, and its events are labelled. */
  streams?: readonly string[] | undefined;
}

export class TuiModel {
  readonly view: EventView;
  readonly history: HistoryWindow | undefined;
  readonly live: boolean;
  readonly rates = new RateMeter();
  readonly connection: ConnectionStatus = initialConnectionStatus();
  /** A merged tail's streams, each with its own state; `connection` holds the totals. */
  readonly streams: StreamLanes | undefined;
  readonly cursor: ListCursor;
  mode: Mode = { kind: 'list' };
  received = 0;
  search: string | undefined;
  refineText: string | undefined;
  /** The list's size in rows and columns, as last laid out. */
  pageRows = 20;
  columns = 80;
  private readonly now: () => number;
  private readonly writePath: (nowMs: number) => string;
  private readonly formatLine: (event: EventRecord) => string;

  constructor(options: TuiModelOptions) {
    this.view = new EventView(options.capacity);
    this.live = options.live !== false;
    const pageSize = options.pageSize ?? HISTORY_PAGE_SIZE;
    this.history =
      options.history || !this.live
        ? new HistoryWindow(Math.max(options.capacity, 2 * pageSize), pageSize)
        : undefined;
    this.streams = options.streams?.length ? new StreamLanes(options.streams) : undefined;
    this.now = options.now;
    this.writePath = options.writePath ?? defaultWritePath;
    this.formatLine = options.formatLine;
    this.cursor = new ListCursor({
      view: this.view,
      history: this.history,
      live: this.live,
      pageRows: () => this.pageRows,
      historyFilter: () => this.historyFilter(),
      now: this.now,
    });
  }

  get following(): boolean {
    return this.cursor.following;
  }

  /** Events that passed the filter while paused: the "+N new" of the status line. */
  get newWhilePaused(): number {
    return this.cursor.newWhilePaused;
  }

  get minRank(): number {
    return this.view.getFilter().minRank;
  }

  /** Folds one item from the tail engine into the state. */
  apply(item: LabelledTailItem): void {
    const now = this.now();
    // A merged tail's item of one stream: that stream's state; without a name, the tail's own.
    if (item.stream !== undefined && this.streams) this.streams.apply(item, this.connection, now);
    else if (item.kind !== 'batch') applyStateItem(this.connection, item, now);
    if (item.kind !== 'batch') return;
    this.received += item.events.length;
    // Rates count what arrived, filtered or not: they describe the stream, not the view.
    const byRank = new Array<number>(RANK_SLOTS).fill(0);
    const evicted: BufferedEvent[] = [];
    const accepted = this.view.append(item.events, now, byRank, evicted);
    if (!this.cursor.following) this.cursor.newWhilePaused += accepted;
    for (let slot = 0; slot < RANK_SLOTS; slot++) {
      if (byRank[slot]) this.rates.record(slot - 1, byRank[slot]!, now);
    }
    this.cursor.evicted(evicted);
  }

  /** The query view's start, and the load that fills its list (see ListCursor.startQuery). */
  startQuery(oldestFirst: boolean): Effect | undefined {
    return loading(this.cursor.startQuery(oldestFirst));
  }

  /** Places a page of history the runner fetched for `load` (or says why it could not). */
  applyHistory(load: PendingLoad, outcome: HistoryPage | { error: string }): void {
    this.cursor.applyHistory(load, outcome);
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
    return this.cursor.window();
  }

  /** The event under the cursor; undefined on a placeholder row or an empty list. */
  selectedEntry(): BufferedEvent | undefined {
    return this.cursor.selectedEntry();
  }

  handleKey(key: Key): Effect | undefined {
    if (key.ctrl && key.input === 'c') return { kind: 'quit', interrupted: true };
    switch (this.mode.kind) {
      case 'help':
        return this.helpKey(key, this.mode);
      case 'detail':
        return this.detailKey(key, this.mode);
      case 'prompt':
        return promptKey(this, key, this.mode.prompt);
      case 'list':
        return this.listKey(key);
    }
  }

  private listKey(key: Key): Effect | undefined {
    const { cursor } = this;
    switch (key.name) {
      case 'up':
        return loading(cursor.moveBy(-1));
      case 'down':
        return loading(cursor.moveBy(1));
      case 'pageUp':
        return loading(cursor.moveBy(-this.pageRows));
      case 'pageDown':
        return loading(cursor.moveBy(this.pageRows));
      case 'home':
        return loading(cursor.moveTo(0, 'top'));
      case 'end':
        return loading(cursor.toNewest());
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
        if (!this.live) return loading(cursor.moveBy(this.pageRows));
        if (cursor.following) cursor.pause();
        else cursor.follow();
        return undefined;
      case 'j':
        return loading(cursor.moveBy(1));
      case 'k':
        return loading(cursor.moveBy(-1));
      case 'g':
        return loading(cursor.moveTo(0, 'top'));
      case 'G':
        return loading(cursor.toNewest());
      case '/':
        this.mode = { kind: 'prompt', prompt: { kind: 'search', text: this.search ?? '' } };
        return undefined;
      case 'n':
        return this.findNext(-1);
      case 'N':
        return this.findNext(1);
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
        if (!this.live) {
          this.notify('info', 'loading the result again from its newest events');
          return loading(cursor.restart());
        }
        this.notify('info', 'buffer cleared');
        cursor.follow();
        this.history?.reset();
        return undefined;
      case '?':
        this.mode = { kind: 'help', scroll: 0 };
        return undefined;
    }
    if (/^[1-6]$/.test(key.input)) {
      const rank = Number(key.input) - 1;
      this.notify('info', rank === 0 ? 'showing every severity' : `showing ${SEVERITIES[rank]} and above`);
      return this.setFilter({ ...this.view.getFilter(), minRank: rank });
    }
    return undefined;
  }

  /**
   * Applies a new severity or refine filter to the buffer, and starts the history over with it:
   * around the event under the cursor when it is in the history, so the view stays where it was.
   */
  setFilter(filter: ViewFilter): Effect | undefined {
    return loading(this.cursor.refilter(() => this.view.setFilter(filter)));
  }

  /** Builds the history's own filter: the refine and the minimum severity, as SOQL. */
  historyFilter(): string {
    const parts: string[] = [];
    if (this.refineText) parts.push(`(${this.refineText})`);
    if (this.minRank > 0) parts.push(`severity >= ${SEVERITIES[this.minRank]}`);
    return parts.join(' AND ');
  }

  closePrompt(): void {
    this.mode = { kind: 'list' };
  }

  jsonOf(entry: BufferedEvent): string {
    return eventJson(entry);
  }

  /** The detail pane's lines for the event at the current width, made once per event and width. */
  detailLinesOf(mode: Extract<Mode, { kind: 'detail' }>): string[] {
    if (mode.lines?.width !== this.columns) {
      mode.lines = { width: this.columns, lines: detailLines(mode.entry, this.columns) };
    }
    return mode.lines.lines;
  }

  /** Every event in the list (loaded history, then the shown buffer), oldest first. */
  *listedEvents(): Generator<BufferedEvent> {
    if (this.history) yield* this.history.events;
    yield* this.view;
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
    const scroll = scrolled(key, mode.scroll, helpLines(this.live, this.columns).length, this.pageRows);
    // Any key but those that scroll closes the help.
    if (scroll === undefined) this.mode = { kind: 'list' };
    else mode.scroll = scroll;
    return undefined;
  }

  private openDetail(): undefined {
    const entry = this.selectedEntry();
    if (entry) {
      // Looking at one event should not let it scroll away.
      if (this.cursor.following) this.cursor.pause();
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

  /**
   * Moves the cursor to the next listed event whose line contains the search text: `direction`
   * -1 looks at older events, +1 at newer ones. `inclusive` also considers the current event.
   */
  findNext(direction: 1 | -1, inclusive = false): undefined {
    const needle = this.search?.toLowerCase();
    if (!needle) return undefined;
    if (!this.cursor.find(direction, inclusive, (entry) => this.searchTextOf(entry).includes(needle))) {
      this.notify('info', `no ${direction < 0 ? 'older' : 'newer'} match for "${this.search}"`);
    }
    return undefined;
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

/** The event as one JSON line: as the stream sent it, or as loaded. */
export function eventJson(entry: BufferedEvent): string {
  return entry.raw ?? boundedJson(entry.event) ?? '{}';
}

/** A history load for the runner, when one is due. */
function loading(load: PendingLoad | undefined): Effect | undefined {
  return load ? { kind: 'load', load } : undefined;
}

function copyLine(entry: BufferedEvent): Effect {
  return { kind: 'copy', line: eventJson(entry) };
}

function defaultWritePath(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `sotail-${stamp}.ndjson`;
}

/** Removes the colour sequences our own palette adds (event text was sanitised before colouring). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
