import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/model/event-record.js';
import { BufferedEvent } from '../../src/tui/event-view.js';
import type { HistoryPageRequest } from '../../src/tui/history.js';
import { HistoryWindow } from '../../src/tui/history.js';
import type { Key } from '../../src/tui/keys.js';
import type { Effect, TuiModel } from '../../src/tui/view-model.js';
import { makeEvent, makeModel, selectedMessage, visibleMessages } from './fixtures.js';

/** A service's history: events h0‥h{n-1}, ids sortable, answering pages as /query would. */
function service(count: number, tag = 'h') {
  const events = Array.from({ length: count }, (_, n) =>
    makeEvent(n, { event_id: `${tag}${String(n).padStart(6, '0')}`, message: `${tag} ${n}` }),
  );
  const asked: HistoryPageRequest[] = [];
  const page = (request: HistoryPageRequest): { events: EventRecord[]; more: boolean } => {
    asked.push(request);
    const id = (event: EventRecord) => String(event.event_id);
    const matches = (event: EventRecord) =>
      request.filter === '' || (request.filter.includes('auth') ? event.source === 'auth' : true);
    if (request.direction === 'older') {
      const below = events.filter(
        (event) =>
          matches(event) &&
          (request.from === undefined ||
            (request.inclusive ? id(event) <= request.from : id(event) < request.from)),
      );
      return { events: below.reverse().slice(0, request.limit), more: below.length > request.limit };
    }
    const above = events.filter(
      (event) =>
        matches(event) &&
        (request.from === undefined || id(event) > request.from) &&
        (request.until === undefined || id(event) < request.until),
    );
    return { events: above.slice(0, request.limit), more: above.length > request.limit };
  };
  return { events, asked, page };
}

const press = (model: TuiModel, key: string | Key): Effect | undefined =>
  model.handleKey(typeof key === 'string' ? { input: key } : key);

/** Presses a key and serves the history load it asks for, if any. */
function pressAndLoad(model: TuiModel, key: string | Key, history: ReturnType<typeof service>): void {
  let effect = press(model, key);
  while (effect?.kind === 'load') {
    model.applyHistory(effect.load, history.page(effect.load.request));
    effect = undefined;
  }
}

/** Live events l0‥l{n-1}, newer than any history. */
function liveBatch(from: number, count: number) {
  return {
    kind: 'batch' as const,
    events: Array.from({ length: count }, (_, i) => ({
      event: makeEvent(from + i, {
        event_id: `l${String(from + i).padStart(6, '0')}`,
        message: `l ${from + i}`,
      }),
    })),
  };
}

describe('scrolling into history', () => {
  it('scrolling past the oldest buffered event asks for the page before it, once', () => {
    const model = makeModel({ capacity: 10, rows: 5, history: true, pageSize: 50 });
    model.apply(liveBatch(0, 30));
    // Ten events held (l20‥l29); the row above them stands for older history.
    expect(model.window().rows[0]).toMatchObject({ kind: 'event' });
    for (let i = 0; i < 9; i++) expect(press(model, 'k')).toBeUndefined();
    expect(selectedMessage(model)).toBe('l 20');
    const effect = press(model, 'k');
    expect(effect).toEqual({
      kind: 'load',
      load: {
        request: { direction: 'older', from: 'l000020', filter: '', limit: 50 },
        generation: 0,
        intent: 'step',
      },
    });
    expect(model.window().rows[0]).toMatchObject({ kind: 'older', edge: { kind: 'loading' } });
    // While it loads, nothing more is asked for.
    expect(press(model, 'k')).toBeUndefined();
    expect(press(model, 'g')).toBeUndefined();
  });

  it('reaches an event older than the view and beyond its buffer, page by page', () => {
    const history = service(500);
    const model = makeModel({ capacity: 10, rows: 5, history: true, pageSize: 50 });
    model.apply(liveBatch(0, 30));
    pressAndLoad(model, 'g', history);
    // g: the oldest loaded event, with the placeholder for more above it.
    expect(selectedMessage(model)).toBe('h 450');
    expect(model.window().rows[0]).toMatchObject({ kind: 'older', edge: { kind: 'more' } });
    for (let i = 0; i < 9; i++) pressAndLoad(model, 'g', history);
    expect(selectedMessage(model)).toBe('h 0');
    expect(model.window().rows[0]).toMatchObject({ kind: 'older', edge: { kind: 'none' } });
    // Memory stays bounded: at most the capacity (here two pages) of history is held.
    expect(model.history!.events.length).toBeLessThanOrEqual(100);
  });

  it('lets far pages go and loads them again on the way back down, without a hole or a repeat', () => {
    const history = service(500);
    const model = makeModel({ capacity: 10, rows: 5, history: true, pageSize: 50 });
    model.apply(liveBatch(0, 30));
    for (let i = 0; i < 6; i++) pressAndLoad(model, 'g', history);
    const seen: string[] = [];
    for (let step = 0; step < 600; step++) {
      const message = selectedMessage(model);
      if (message && seen.at(-1) !== message) seen.push(message);
      pressAndLoad(model, 'j', history);
      if (model.following) break;
    }
    const expected = [
      ...history.events.slice(200).map((event) => String(event.message)),
      ...Array.from({ length: 10 }, (_, i) => `l ${20 + i}`),
    ];
    expect(seen).toEqual(expected);
  });

  it('G goes back to live and lets the history go', () => {
    const history = service(100);
    const model = makeModel({ capacity: 10, rows: 5, history: true, pageSize: 50 });
    model.apply(liveBatch(0, 30));
    pressAndLoad(model, 'g', history);
    expect(model.history!.events.length).toBe(50);
    press(model, 'G');
    expect(model.following).toBe(true);
    expect(model.history!.events).toEqual([]);
    expect(visibleMessages(model).at(-1)).toBe('l 29');
  });

  it('a refine applies to loaded pages: history is loaded again, around the cursor, with it', () => {
    const history = service(300);
    const model = makeModel({ capacity: 10, rows: 5, history: true, pageSize: 50 });
    model.apply(liveBatch(0, 30));
    pressAndLoad(model, 'g', history);
    pressAndLoad(model, 'g', history);
    for (let i = 0; i < 20; i++) press(model, 'j');
    const before = selectedMessage(model)!;
    pressAndLoad(model, 'f', history);
    for (const char of 'source == "auth"') press(model, char);
    pressAndLoad(model, { input: '', name: 'return' }, history);
    expect(history.asked.at(-1)).toMatchObject({
      direction: 'older',
      inclusive: true,
      filter: '(source == "auth")',
    });
    const rows = model.window().rows.filter((row) => row.kind === 'event');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) if (row.kind === 'event') expect(row.entry.event.source).toBe('auth');
    // Still near where it was: at or before the event under the cursor.
    const at = Number(/\d+/.exec(selectedMessage(model)!)![0]);
    expect(at).toBeLessThanOrEqual(Number(/\d+/.exec(before)![0]));
    expect(at).toBeGreaterThan(Number(/\d+/.exec(before)![0]) - 3);
  });

  it('a page that fails is said in its row and asked again when scrolled to', () => {
    const model = makeModel({ capacity: 10, rows: 5, history: true, pageSize: 50 });
    model.apply(liveBatch(0, 30));
    const effect = press(model, 'g');
    if (effect?.kind !== 'load') throw new Error('no load');
    model.applyHistory(effect.load, { error: '503 unavailable' });
    expect(model.window().rows[0]).toMatchObject({
      kind: 'older',
      edge: { kind: 'failed', message: '503 unavailable' },
    });
    expect(press(model, 'k')).toMatchObject({ kind: 'load', load: { request: { direction: 'older' } } });
  });

  it('shown events that leave the buffer join the loaded history', () => {
    const history = service(100);
    const model = makeModel({ capacity: 10, rows: 5, history: true, pageSize: 50 });
    model.apply(liveBatch(0, 10));
    pressAndLoad(model, 'g', history);
    model.apply(liveBatch(10, 5));
    const ids = model.history!.events.map((entry) => entry.id);
    expect(ids.slice(-5)).toEqual(['l000000', 'l000001', 'l000002', 'l000003', 'l000004']);
    expect(model.view.oldestId()).toBe('l000005');
  });
});

describe('HistoryWindow', () => {
  it('drops what does not fit: out of bounds, without an id, or already held', () => {
    const window = new HistoryWindow(100, 10);
    const request: HistoryPageRequest = { direction: 'older', from: 'b', filter: '', limit: 10 };
    const placed = window.place(
      request,
      {
        events: [
          { event_id: 'a3' },
          { event_id: 'c' },
          { message: 'no id' },
          { event_id: 'a2' },
          { event_id: 'a2' },
          { event_id: 'a1' },
        ],
        more: false,
      },
      0,
      new Set(['a1']),
      () => 0,
    );
    expect(placed.map((entry) => entry.id)).toEqual(['a2', 'a3']);
    expect(window.older).toEqual({ kind: 'none' });
  });
});

describe('HistoryWindow under any answer', () => {
  it('keeps its events in id order, once each, inside the bounds asked for, whatever a page holds', () => {
    const id = fc.integer({ min: 0, max: 60 }).map((n) => `e${String(n).padStart(3, '0')}`);
    const record = fc.oneof(
      id.map((event_id) => ({ event_id })),
      fc.constant({ message: 'no id' }),
      fc.constant({ event_id: 42 }),
    );
    const step = fc.record({
      older: fc.boolean(),
      events: fc.array(record, { maxLength: 15 }),
      more: fc.boolean(),
      evicted: fc.array(id, { maxLength: 3 }),
      cursor: fc.integer({ min: -1, max: 40 }),
    });
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 25 }),
        fc.option(id, { nil: undefined }),
        (steps, liveOldest) => {
          const window = new HistoryWindow(20, 5);
          for (const { older, events, more, evicted, cursor } of steps) {
            const request = older ? window.olderRequest('', liveOldest) : window.newerRequest('', liveOldest);
            if (request) {
              window.loading(request.direction);
              window.place(request, { events, more }, 0, new Set(), () => 0);
            }
            window.joinEvicted(
              evicted.map((evictedId, n) =>
                Object.assign(new BufferedEvent(1000 + n, { event: {} }, 0, 0), { id: evictedId }),
              ),
            );
            window.trim(cursor);
            const ids = window.events.map((entry) => entry.id!);
            expect(ids).toEqual([...new Set(ids)].sort());
            expect(ids.length).toBeLessThanOrEqual(20);
          }
        },
      ),
    );
  });
});
