/**
 * The streams of a merged tail as the view shows them (docs/tail.md, "Several streams in one
 * tail"): each stream's own connection state, folded from the items that name it, and how many
 * events it brought. The tail's totals (reconnects, gaps backfilled) are the sums, and a stream's
 * notice reaches the status area with its name in front.
 */
import type { LabelledTailItem, TailStateItem } from '../tail/items.js';
import { applyStateItem, type ConnectionStatus, initialConnectionStatus } from './connection-status.js';

/** One stream of the merge. */
export interface StreamLane {
  readonly label: string;
  readonly status: ConnectionStatus;
  /** Events it brought. */
  received: number;
}

export class StreamLanes {
  readonly lanes: StreamLane[];

  constructor(labels: readonly string[]) {
    this.lanes = labels.map((label) => ({ label, status: initialConnectionStatus(), received: 0 }));
  }

  /** Folds an item of one stream (`item.stream` set) into its lane and the tail's totals. */
  apply(item: LabelledTailItem, total: ConnectionStatus, nowMs: number): void {
    const lane = this.#lane(item.stream ?? '');
    if (item.kind === 'batch') {
      lane.received += item.events.length;
      return;
    }
    const before = lane.status.notice;
    applyStateItem(lane.status, item as TailStateItem, nowMs);
    const notice = lane.status.notice;
    if (notice && notice !== before)
      total.notice = { ...notice, message: `${lane.label}: ${notice.message}` };
    total.reconnects = this.lanes.reduce((sum, each) => sum + each.status.reconnects, 0);
    total.gapsBackfilled = this.lanes.reduce((sum, each) => sum + each.status.gapsBackfilled, 0);
  }

  /** How many streams are live now. */
  get liveCount(): number {
    return this.lanes.filter((lane) => lane.status.phase.kind === 'live').length;
  }

  #lane(label: string): StreamLane {
    let lane = this.lanes.find((each) => each.label === label);
    if (!lane) {
      // A name the view was not told of up front still gets its lane.
      lane = { label, status: initialConnectionStatus(), received: 0 };
      this.lanes.push(lane);
    }
    return lane;
  }
}
