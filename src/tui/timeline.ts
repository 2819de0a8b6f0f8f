/**
 * The list the view scrolls through, as rows: a placeholder for older history, the history
 * loaded, a placeholder for a stretch not loaded (or let go) below it, then the live buffer's
 * shown events. Rows are counted and reached by index; a position that must survive rows being
 * added above it, loaded or let go is kept as an anchor (an event, or a placeholder) and turned
 * back into an index when needed.
 */
import type { BufferedEvent, EventView } from './event-view.js';
import type { HistoryEdge, HistoryWindow } from './history.js';

export type ListRow =
  | { kind: 'event'; entry: BufferedEvent }
  /** Older history: more to load, loading, none, or a failure. */
  | { kind: 'older'; edge: HistoryEdge }
  /** A stretch of history between the loaded part and the live buffer (or the result's end). */
  | { kind: 'newer'; edge: HistoryEdge };

export type Anchor = { kind: 'entry'; entry: BufferedEvent } | { kind: 'older' } | { kind: 'newer' };

export class Timeline {
  constructor(
    private readonly live: EventView,
    private readonly history: HistoryWindow | undefined,
  ) {}

  /**
   * The row above the events: older history to load; or, with no history to load from (a `--url`
   * stream), a row that says how many events left the buffer once any has.
   */
  private get olderRows(): number {
    return this.history || this.live.leftBuffer > 0 ? 1 : 0;
  }

  private get newerRows(): number {
    return this.history && this.history.newer.kind !== 'none' ? 1 : 0;
  }

  /** Index of the first live row. */
  get liveStart(): number {
    return this.olderRows + (this.history?.events.length ?? 0) + this.newerRows;
  }

  get count(): number {
    return this.liveStart + this.live.shownCount;
  }

  rowAt(index: number): ListRow | undefined {
    const { history } = this;
    if (index < 0 || index >= this.count) return undefined;
    if (!history && index === 0 && this.olderRows === 1) return { kind: 'older', edge: { kind: 'none' } };
    if (history) {
      if (index === 0) return { kind: 'older', edge: history.older };
      const inHistory = index - 1;
      if (inHistory < history.events.length) return { kind: 'event', entry: history.events[inHistory]! };
      if (this.newerRows === 1 && inHistory === history.events.length)
        return { kind: 'newer', edge: history.newer };
    }
    const entry = this.live.at(index - this.liveStart);
    return entry ? { kind: 'event', entry } : undefined;
  }

  anchorAt(index: number): Anchor | undefined {
    const row = this.rowAt(index);
    if (!row) return undefined;
    return row.kind === 'event' ? { kind: 'entry', entry: row.entry } : { kind: row.kind };
  }

  /**
   * Where an anchor is now. An event that is no longer in the list stands for its place: the
   * nearest older loaded event for history, the next shown event for the live buffer.
   */
  indexOf(anchor: Anchor): number {
    const { history } = this;
    switch (anchor.kind) {
      case 'older':
        return 0;
      case 'newer':
        return this.newerRows === 1 ? this.liveStart - 1 : this.liveStart;
      case 'entry': {
        const { entry } = anchor;
        if (entry.seq >= 0) {
          const at = this.live.indexAtOrAfter(entry.seq);
          if (this.live.at(at) === entry || !history || !this.inHistory(entry)) {
            return Math.min(this.liveStart + at, Math.max(0, this.count - 1));
          }
        }
        if (history && entry.id !== undefined) {
          const at = history.indexAtOrBefore(entry.id);
          return at >= 0 ? this.olderRows + at : 0;
        }
        return this.liveStart;
      }
    }
  }

  /** Whether the event is (or stands for a place) in the loaded history. */
  private inHistory(entry: BufferedEvent): boolean {
    const events = this.history?.events;
    if (!events?.length || entry.id === undefined) return false;
    return entry.id <= events.at(-1)!.id!;
  }

  /** Index into the loaded history of a row index; -1 when the row is below it. */
  historyIndex(index: number): number {
    const length = this.history?.events.length ?? 0;
    const at = index - this.olderRows;
    if (at < 0) return 0;
    return at < length ? at : -1;
  }
}
