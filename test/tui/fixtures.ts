/** Events and batches for TUI tests, and a model whose clock the test moves. */
import { SEVERITIES } from '../../src/model/event.js';
import type { TailBatchItem } from '../../src/tail/items.js';
import { TuiModel } from '../../src/tui/view-model.js';

export interface TestClock {
  now: () => number;
  advance: (ms: number) => void;
}

export function testClock(start = Date.parse('2026-05-17T10:00:00.000Z')): TestClock {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

/** Event number `n`: severities cycle debug‥critical, sources cycle api/payments/auth. */
export function makeEvent(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: `e${n}`,
    ts: new Date(Date.parse('2026-05-17T10:00:00.000Z') + n).toISOString(),
    severity: SEVERITIES[n % 6],
    source: ['api', 'payments', 'auth'][n % 3],
    message: `request ${n} done`,
    payload: { n },
    ...overrides,
  };
}

export function batch(from: number, count: number): TailBatchItem {
  return { kind: 'batch', events: Array.from({ length: count }, (_, i) => ({ event: makeEvent(from + i) })) };
}

/** A model that formats a line as `SEVERITY message` (no colour), with `rows` rows of list. */
export function makeModel(
  options: {
    capacity?: number;
    rows?: number;
    clock?: TestClock;
    history?: boolean;
    live?: boolean;
    pageSize?: number;
  } = {},
): TuiModel {
  const clock = options.clock ?? testClock();
  const model = new TuiModel({
    capacity: options.capacity ?? 100,
    now: clock.now,
    formatLine: (event) => `${String(event.severity).toUpperCase()} ${String(event.message)}`,
    history: options.history,
    live: options.live,
    pageSize: options.pageSize,
  });
  model.setViewport(80, options.rows ?? 5);
  return model;
}

/** The messages of the event rows the list would draw now (placeholder rows left out). */
export function visibleMessages(model: TuiModel): string[] {
  return model
    .window()
    .rows.flatMap((row) => (row.kind === 'event' ? [String(row.entry.event.message)] : []));
}

export function selectedMessage(model: TuiModel): string | undefined {
  const entry = model.selectedEntry();
  return entry ? String(entry.event.message) : undefined;
}
