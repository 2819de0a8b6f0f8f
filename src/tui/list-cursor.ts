/**
 * Where the view is in its list: following the newest event, or paused on one (or on a row that
 * stands for history not loaded), and which rows fill the screen. Moving onto such a row asks
 * for the page of history it stands for; the page's answer puts the cursor where the move meant
 * it to be. Positions are anchors (timeline.ts), so rows loaded, let go or evicted above the
 * cursor never move what the user looks at.
 */
import type { BufferedEvent, EventView } from './event-view.js';
import { rankOf } from './event-view.js';
import type { HistoryPage, HistoryWindow, LoadIntent, PendingLoad } from './history.js';
import { type Anchor, type ListRow, Timeline } from './timeline.js';

/** The rows to draw and where the cursor is among them. */
export interface ListWindow {
  rows: ListRow[];
  /** Index in `rows` of the cursor, -1 when the list is empty. */
  selected: number;
  /** Index of rows[0] in the whole list. */
  first: number;
}

export interface CursorOptions {
  view: EventView;
  history: HistoryWindow | undefined;
  /** False for the query view: nothing to follow. */
  live: boolean;
  /** Rows the list has on the screen. */
  pageRows: () => number;
  /** The view's own filter for history requests (refine, severity) as SOQL. */
  historyFilter: () => string;
  now: () => number;
}

export class ListCursor {
  following: boolean;
  /** Events that passed the filter while paused: the "+N new" of the status line. */
  newWhilePaused = 0;
  readonly timeline: Timeline;
  private selected: Anchor | undefined;
  private top: Anchor | undefined;
  /** The event the cursor was on when a new filter started the history over, until it is back. */
  private around: { entry: BufferedEvent; offset: number } | undefined;

  constructor(private readonly options: CursorOptions) {
    this.following = options.live;
    this.timeline = new Timeline(options.view, options.history);
  }

  /** The rows of the list to draw now, a screen's worth at most. */
  window(): ListWindow {
    const { timeline } = this;
    const total = timeline.count;
    if (total === 0) return { rows: [], selected: -1, first: 0 };
    const height = this.options.pageRows();
    let selected: number;
    let top: number;
    if (this.following || !this.selected) {
      selected = total - 1;
      top = Math.max(0, total - height);
    } else {
      selected = Math.min(timeline.indexOf(this.selected), total - 1);
      top = Math.min(this.top ? timeline.indexOf(this.top) : selected, total - 1);
      if (selected < top) top = selected;
      if (selected >= top + height) top = selected - height + 1;
      // While a page loads around the old place, the anchor stays the event it was.
      if (!this.around) {
        this.selected = timeline.anchorAt(selected);
        this.top = timeline.anchorAt(top);
      }
    }
    const rows: ListRow[] = [];
    for (let i = top; i < Math.min(total, top + height); i++) rows.push(timeline.rowAt(i)!);
    return { rows, selected: selected - top, first: top };
  }

  /** The event under the cursor; undefined on a placeholder row or an empty list. */
  selectedEntry(): BufferedEvent | undefined {
    const { rows, selected } = this.window();
    const row = rows[selected];
    return row?.kind === 'event' ? row.entry : undefined;
  }

  pause(): void {
    const { selected, first } = this.window();
    this.following = false;
    this.newWhilePaused = 0;
    this.selected = this.timeline.anchorAt(first + selected);
    this.top = this.timeline.anchorAt(first);
  }

  /** Back to following the newest events; the history loaded is let go (loaded again when scrolled to). */
  follow(): void {
    if (!this.options.live) return;
    this.following = true;
    this.newWhilePaused = 0;
    this.options.history?.reset();
  }

  /** `G`: the newest event; live, that is following again. */
  toNewest(): PendingLoad | undefined {
    if (this.options.live) {
      this.follow();
      return undefined;
    }
    if (this.options.history?.newer.kind === 'none') return this.moveTo(this.timeline.count - 1, 'step');
    return this.restart();
  }

  /** The query view starting over from its newest events (a jump to the end, a new filter). */
  restart(): PendingLoad | undefined {
    this.options.history?.reset();
    this.selected = { kind: 'older' };
    this.top = this.selected;
    return this.loadDue('end');
  }

  /**
   * The query view's start: the cursor on the end the result is read from (the newest events,
   * or with `oldestFirst` the oldest), and the load that fills the list from there.
   */
  startQuery(oldestFirst: boolean): PendingLoad | undefined {
    const { history } = this.options;
    if (!history) return undefined;
    this.following = false;
    if (oldestFirst) history.reset({ kind: 'none' }, { kind: 'more' });
    this.selected = { kind: oldestFirst ? 'newer' : 'older' };
    this.top = this.selected;
    return this.loadDue(oldestFirst ? 'top' : 'end');
  }

  /** Moves by `delta` rows; down past the newest event, live, follows again. */
  moveBy(delta: number): PendingLoad | undefined {
    const total = this.timeline.count;
    if (total === 0) return undefined;
    const { selected, first } = this.window();
    const target = first + Math.max(selected, 0) + delta;
    if (delta > 0 && target >= total && !this.following && this.options.live) {
      this.follow();
      return undefined;
    }
    return this.moveTo(Math.max(0, Math.min(total - 1, target)), 'step');
  }

  moveTo(index: number, intent: LoadIntent): PendingLoad | undefined {
    const total = this.timeline.count;
    if (total === 0) return undefined;
    if (this.following) this.pause();
    // The user moves: a page still loading around the old place no longer decides the cursor.
    this.around = undefined;
    this.selected = this.timeline.anchorAt(Math.max(0, Math.min(total - 1, index)));
    return this.loadDue(intent);
  }

  /**
   * Moves to the next event `matches` accepts: `direction` -1 looks at older rows, +1 at newer
   * ones; `inclusive` also considers the current one. False when there is none.
   */
  find(direction: 1 | -1, inclusive: boolean, matches: (entry: BufferedEvent) => boolean): boolean {
    const total = this.timeline.count;
    const { selected, first } = this.window();
    const from = selected < 0 ? total - 1 : first + selected;
    for (let i = inclusive ? from : from + direction; i >= 0 && i < total; i += direction) {
      const row = this.timeline.rowAt(i);
      if (row?.kind === 'event' && matches(row.entry)) {
        if (this.following) this.pause();
        this.around = undefined;
        this.selected = { kind: 'entry', entry: row.entry };
        return true;
      }
    }
    return false;
  }

  /**
   * Applies a new filter (`apply`) and starts the history over with it: around the event under
   * the cursor when it is in the history, so that the view stays where it was.
   */
  refilter(apply: () => void): PendingLoad | undefined {
    const { history, view, live } = this.options;
    const { rows, selected } = this.window();
    const under = rows[selected];
    const around = history && !this.following && under?.kind === 'event' ? under.entry : undefined;
    const inHistory = around !== undefined && (around.seq < 0 || !isShown(view, around));
    apply();
    if (!history) return undefined;
    if (inHistory && around.id !== undefined) {
      history.reset({ kind: 'more' }, { kind: 'more' });
      // Until the page comes, the cursor stays put rather than on what is left of the list.
      this.around = { entry: around, offset: selected };
      this.selected = { kind: 'entry', entry: around };
      return this.load('older', 'around', around.id);
    }
    this.around = undefined;
    if (!live) return this.restart();
    history.reset();
    return undefined;
  }

  /** Shown events that left the buffer: they stay in the list when loaded history joins them. */
  evicted(entries: readonly BufferedEvent[]): void {
    if (!this.options.history || entries.length === 0) return;
    this.options.history.joinEvicted(entries);
    this.trimHistory();
  }

  /** Places a page of history fetched for `load` (or says why it could not be). */
  applyHistory(load: PendingLoad, outcome: HistoryPage | { error: string }): void {
    const { history, view } = this.options;
    if (!history || load.generation !== history.generation) return;
    const { direction } = load.request;
    if ('error' in outcome) {
      history.failed(direction, outcome.error);
      this.around = undefined;
      return;
    }
    const held = new Set<string>();
    for (const entry of view.buffered()) if (entry.id !== undefined) held.add(entry.id);
    const placed = history.place(load.request, outcome, this.options.now(), held, rankOf);
    const newest = placed.at(-1);
    const oldest = placed[0];
    if (newest && oldest) {
      switch (load.intent) {
        case 'step':
          // Where the placeholder was, the event next to it: older pages put their newest
          // there, newer pages their oldest.
          this.select(direction === 'older' ? newest : oldest);
          if (direction === 'older') this.top = this.selected;
          break;
        case 'top':
          this.select(oldest);
          this.top = { kind: 'older' };
          break;
        case 'end':
          // The newest at the bottom of the screen, the page above it.
          this.select(newest);
          this.top = { kind: 'older' };
          break;
        case 'around':
          break;
      }
    }
    if (load.intent === 'around' && this.around) {
      // Where the event under the cursor was: at its row on the screen, or the nearest older one.
      const { entry, offset } = this.around;
      this.around = undefined;
      this.select(entry);
      const index = this.timeline.indexOf({ kind: 'entry', entry });
      this.top = this.timeline.anchorAt(Math.max(0, index - offset));
    }
    this.trimHistory();
  }

  private select(entry: BufferedEvent): void {
    this.selected = { kind: 'entry', entry };
  }

  /** A load when the cursor is on a placeholder with history to load there. */
  private loadDue(intent: LoadIntent): PendingLoad | undefined {
    const row = this.selected?.kind;
    if (row === 'older') return this.load('older', intent);
    if (row === 'newer') return this.load('newer', intent);
    return undefined;
  }

  private load(direction: 'older' | 'newer', intent: LoadIntent, around?: string): PendingLoad | undefined {
    const { history, view } = this.options;
    if (!history) return undefined;
    const filter = this.options.historyFilter();
    const liveOldest = view.oldestId();
    const request =
      direction === 'older'
        ? history.olderRequest(filter, liveOldest, around)
        : history.newerRequest(filter, liveOldest);
    if (!request) return undefined;
    history.loading(direction);
    return { request, generation: history.generation, intent };
  }

  private trimHistory(): void {
    const { history } = this.options;
    if (!history) return;
    const { selected } = this;
    const index = selected && !this.following ? this.timeline.indexOf(selected) : this.timeline.count;
    history.trim(this.timeline.historyIndex(index));
  }
}

function isShown(view: EventView, entry: BufferedEvent): boolean {
  return view.at(view.indexAtOrAfter(entry.seq)) === entry;
}
