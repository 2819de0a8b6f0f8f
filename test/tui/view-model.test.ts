import { describe, expect, it } from 'vitest';
import type { Key } from '../../src/tui/keys.js';
import type { TuiModel } from '../../src/tui/view-model.js';

const jsonBytes = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  return { bytes, start: 0, end: bytes.length };
};

import { batch, makeEvent, makeModel, selectedMessage, testClock, visibleMessages } from './fixtures.js';

const press = (model: TuiModel, ...keys: Array<string | Key>) =>
  keys.map((key) => model.handleKey(typeof key === 'string' ? { input: key } : key));
const type = (model: TuiModel, text: string) => press(model, ...Array.from(text));
const enter: Key = { input: '', name: 'return' };
const esc: Key = { input: '', name: 'escape' };

describe('the buffer', () => {
  it('keeps the newest `capacity` events and counts the dropped ones', () => {
    const model = makeModel({ capacity: 10 });
    model.apply(batch(0, 25));
    expect(model.received).toBe(25);
    expect(model.view.bufferedCount).toBe(10);
    expect(model.view.leftBuffer).toBe(15);
    expect(model.view.at(0)?.event.message).toBe('request 15 done');
  });

  it('drops evicted events from the filtered view too', () => {
    const model = makeModel({ capacity: 12 });
    press(model, '5'); // error and above: ranks 4, 5 → n % 6 in {4, 5}
    model.apply(batch(0, 12));
    expect(model.view.shownCount).toBe(4); // 4, 5, 10, 11
    model.apply(batch(12, 6)); // evicts 0‥5
    expect([...model.view].map((entry) => entry.event.message)).toEqual([
      'request 10 done',
      'request 11 done',
      'request 16 done',
      'request 17 done',
    ]);
  });

  it('c clears the buffer and follows again', () => {
    const model = makeModel();
    model.apply(batch(0, 10));
    press(model, ' ', 'c');
    expect(model.view.shownCount).toBe(0);
    expect(model.following).toBe(true);
    model.apply(batch(10, 1));
    expect(visibleMessages(model)).toEqual(['request 10 done']);
  });
});

describe('follow and pause', () => {
  it('follows the newest events, then holds still while paused and counts what arrives', () => {
    const model = makeModel({ rows: 3 });
    model.apply(batch(0, 10));
    expect(visibleMessages(model)).toEqual(['request 7 done', 'request 8 done', 'request 9 done']);
    press(model, ' ');
    model.apply(batch(10, 5));
    expect(visibleMessages(model)).toEqual(['request 7 done', 'request 8 done', 'request 9 done']);
    expect(model.newWhilePaused).toBe(5);
    press(model, ' ');
    expect(model.newWhilePaused).toBe(0);
    expect(visibleMessages(model)).toEqual(['request 12 done', 'request 13 done', 'request 14 done']);
  });

  it('+N new counts only events that pass the filters', () => {
    const model = makeModel();
    press(model, '6', ' ');
    model.apply(batch(0, 12)); // critical: 5 and 11
    expect(model.newWhilePaused).toBe(2);
  });

  it('a paused view stays on its events while old ones are evicted, then clamps to the oldest', () => {
    const model = makeModel({ capacity: 10, rows: 2 });
    model.apply(batch(0, 10));
    press(model, 'g'); // oldest, paused
    expect(visibleMessages(model)).toEqual(['request 0 done', 'request 1 done']);
    model.apply(batch(10, 1)); // evicts 0
    expect(visibleMessages(model)).toEqual(['request 1 done', 'request 2 done']);
    expect(selectedMessage(model)).toBe('request 1 done');
  });
});

describe('scrolling', () => {
  it('j/k and arrows move the cursor and pause; moving down past the newest follows again', () => {
    const model = makeModel({ rows: 3 });
    model.apply(batch(0, 10));
    press(model, 'k');
    expect(model.following).toBe(false);
    expect(selectedMessage(model)).toBe('request 8 done');
    press(model, { input: '', name: 'up' }, { input: '', name: 'up' }, 'k');
    expect(selectedMessage(model)).toBe('request 5 done');
    expect(visibleMessages(model)).toEqual(['request 5 done', 'request 6 done', 'request 7 done']);
    press(model, 'j', { input: '', name: 'down' });
    expect(selectedMessage(model)).toBe('request 7 done');
    press(model, 'j', 'j', 'j');
    expect(model.following).toBe(true);
  });

  it('PgUp/PgDn move a page, g goes to the oldest and G back to following', () => {
    const model = makeModel({ rows: 4 });
    model.apply(batch(0, 20));
    press(model, { input: '', name: 'pageUp' });
    expect(selectedMessage(model)).toBe('request 15 done');
    press(model, { input: '', name: 'pageUp' }, { input: '', name: 'pageDown' });
    expect(selectedMessage(model)).toBe('request 15 done');
    press(model, 'g');
    expect(visibleMessages(model)[0]).toBe('request 0 done');
    expect(selectedMessage(model)).toBe('request 0 done');
    press(model, 'G');
    expect(model.following).toBe(true);
    expect(selectedMessage(model)).toBe('request 19 done');
  });

  it('does nothing on an empty view', () => {
    const model = makeModel();
    expect(press(model, 'j', 'k', 'g', { input: '', name: 'pageUp' }, enter, 'y')).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(model.window()).toEqual({ rows: [], selected: -1, first: 0 });
  });
});

describe('search', () => {
  it('/ jumps to the newest match at or above the cursor; n goes older, N newer', () => {
    const model = makeModel({ rows: 3 });
    model.apply(batch(0, 30));
    press(model, '/');
    type(model, 'REQUEST 1');
    press(model, enter);
    expect(model.search).toBe('REQUEST 1');
    expect(selectedMessage(model)).toBe('request 19 done');
    press(model, 'n');
    expect(selectedMessage(model)).toBe('request 18 done');
    press(model, 'n', 'n', 'n', 'n', 'n', 'n', 'n', 'n');
    expect(selectedMessage(model)).toBe('request 10 done');
    press(model, 'n');
    expect(selectedMessage(model)).toBe('request 1 done');
    press(model, 'n');
    expect(selectedMessage(model)).toBe('request 1 done');
    expect(model.connection.notice?.message).toBe('no older match for "REQUEST 1"');
    press(model, 'N');
    expect(selectedMessage(model)).toBe('request 10 done');
  });

  it('searches what is shown (the formatted line), and an empty search clears it', () => {
    const model = makeModel();
    model.apply(batch(0, 12));
    press(model, '/');
    type(model, 'critical');
    press(model, enter);
    expect(selectedMessage(model)).toBe('request 11 done');
    press(model, '/', { input: '', name: 'backspace', ctrl: false });
    press(model, { input: 'u', ctrl: true }, enter);
    expect(model.search).toBeUndefined();
  });

  it('escape closes the prompt without searching', () => {
    const model = makeModel();
    model.apply(batch(0, 5));
    press(model, '/');
    type(model, 'request 2');
    press(model, esc);
    expect(model.mode.kind).toBe('list');
    expect(model.search).toBeUndefined();
    expect(model.following).toBe(true);
  });
});

describe('minimum severity', () => {
  it.each([
    ['1', 12],
    ['2', 10],
    ['3', 8],
    ['4', 6],
    ['5', 4],
    ['6', 2],
  ])('%s shows %i of 12 events', (key, shown) => {
    const model = makeModel();
    model.apply(batch(0, 12));
    press(model, key);
    expect(model.view.shownCount).toBe(shown);
  });

  it('hides events without a known severity unless everything is shown', () => {
    const model = makeModel();
    model.apply({ kind: 'batch', events: [{ event: makeEvent(0, { severity: 'loud' }) }] });
    expect(model.view.shownCount).toBe(1);
    press(model, '2');
    expect(model.view.shownCount).toBe(0);
  });
});

describe('refine', () => {
  it('filters the buffer and new events with SOQL, without touching the stream', () => {
    const model = makeModel();
    model.apply(batch(0, 12));
    press(model, 'f');
    type(model, 'source == "auth" and severity >= warn');
    press(model, enter);
    expect(model.refineText).toBe('source == "auth" and severity >= warn');
    expect([...model.view].map((entry) => entry.event.message)).toEqual([
      'request 5 done',
      'request 11 done',
    ]);
    model.apply(batch(12, 12));
    expect([...model.view].map((entry) => entry.event.message)).toEqual([
      'request 5 done',
      'request 11 done',
      'request 17 done',
      'request 23 done',
    ]);
    expect(model.received).toBe(24);
  });

  it('a parse error keeps the prompt open with a caret under the problem', () => {
    const model = makeModel();
    model.apply(batch(0, 3));
    press(model, 'f');
    type(model, 'severity >= ');
    press(model, enter);
    expect(model.mode.kind).toBe('prompt');
    const prompt = model.mode.kind === 'prompt' ? model.mode.prompt : undefined;
    expect(prompt?.error?.caret).toBe('severity >= \n            ^');
    expect(prompt?.error?.message).toMatch(/end of query|expected/i);
    expect(model.view.shownCount).toBe(3);
    type(model, 'x');
    expect(prompt?.error).toBeUndefined();
  });

  it('refuses GROUP BY, and an empty refine clears the filter', () => {
    const model = makeModel();
    model.apply(batch(0, 6));
    press(model, 'f');
    type(model, 'severity >= error GROUP BY source');
    press(model, enter);
    expect(model.mode.kind === 'prompt' && model.mode.prompt.error?.message).toMatch(/GROUP BY/);
    press(model, { input: 'u', ctrl: true });
    type(model, 'severity == debug');
    press(model, enter);
    expect(model.view.shownCount).toBe(1);
    press(model, 'f', { input: 'u', ctrl: true }, enter);
    expect(model.refineText).toBeUndefined();
    expect(model.view.shownCount).toBe(6);
  });
});

describe('detail, copy, write and quit', () => {
  it('enter opens the selected event and pauses; keys scroll it; esc closes', () => {
    const model = makeModel({ rows: 4 });
    model.apply(batch(0, 3));
    press(model, enter);
    expect(model.following).toBe(false);
    expect(model.mode.kind === 'detail' && model.mode.entry.event.message).toBe('request 2 done');
    press(model, 'j', 'j');
    expect(model.mode.kind === 'detail' && model.mode.scroll).toBe(2);
    press(model, 'G');
    const last = model.mode.kind === 'detail' ? model.mode.scroll : -1;
    press(model, 'j');
    expect(model.mode.kind === 'detail' && model.mode.scroll).toBe(last);
    model.apply(batch(3, 5));
    expect(model.mode.kind === 'detail' && model.mode.entry.event.message).toBe('request 2 done');
    press(model, esc);
    expect(model.mode.kind).toBe('list');
  });

  it('y copies the selected event as one JSON line, raw when the stream gave it', () => {
    const model = makeModel();
    model.apply({ kind: 'batch', events: [{ event: { message: 'a' }, raw: jsonBytes('{"message": "a"}') }] });
    model.apply(batch(1, 1));
    expect(press(model, 'y')).toEqual([{ kind: 'copy', line: JSON.stringify(makeEvent(1)) }]);
    expect(press(model, 'k', 'y')).toEqual([undefined, { kind: 'copy', line: '{"message": "a"}' }]);
  });

  it('w asks for a file name, then writes the events as filtered', () => {
    const model = makeModel();
    model.apply(batch(0, 12));
    press(model, '6', 'w');
    expect(model.mode.kind === 'prompt' && model.mode.prompt.text).toBe('sotail-20260517-100000.ndjson');
    press(model, { input: 'u', ctrl: true });
    expect(press(model, enter)[0]).toBeUndefined();
    type(model, 'out.ndjson');
    const [effect] = press(model, enter);
    expect(effect).toEqual({
      kind: 'write',
      path: 'out.ndjson',
      lines: [JSON.stringify(makeEvent(5)), JSON.stringify(makeEvent(11))],
    });
  });

  it('q quits; Ctrl-C quits as an interrupt from any mode', () => {
    const model = makeModel();
    expect(press(model, 'q')).toEqual([{ kind: 'quit', interrupted: false }]);
    press(model, '/');
    expect(press(model, 'q')).toEqual([undefined]);
    expect(press(model, { input: 'c', ctrl: true })).toEqual([{ kind: 'quit', interrupted: true }]);
    press(model, esc, '?');
    expect(model.mode.kind).toBe('help');
    press(model, 'x');
    expect(model.mode.kind).toBe('list');
  });
});

describe('status', () => {
  it('folds connection states and counts reconnects and gaps backfilled', () => {
    const clock = testClock();
    const model = makeModel({ clock });
    model.apply({ kind: 'live', url: 'u' });
    expect(model.connection.phase).toEqual({ kind: 'live' });
    model.apply({ kind: 'stale', silentMs: 35_000 });
    model.apply({ kind: 'reconnecting', attempt: 2, delayMs: 4000, reason: 'connection dropped' });
    expect(model.connection.reconnects).toBe(1);
    model.apply({ kind: 'live', url: 'u' });
    // History fetched on start is not a gap.
    model.apply({ kind: 'backfilling' });
    expect(model.connection.phase).toEqual({ kind: 'backfilling' });
    model.apply({ kind: 'backfilled', events: 3 });
    expect(model.connection.gapsBackfilled).toBe(0);
    expect(model.connection.phase).toEqual({ kind: 'live' });
    model.apply({ kind: 'gap', reason: 'gap', after: 'c1' });
    model.apply({ kind: 'backfilling' });
    model.apply({ kind: 'backfilled', events: 12 });
    expect(model.connection.gapsBackfilled).toBe(1);
    expect(model.connection.notice?.message).toBe('gap backfilled with 12 events');
    expect(model.connection.phase).toEqual({ kind: 'live' });
    model.apply({ kind: 'notice', level: 'warn', message: 'frame skipped' });
    expect(model.connection.notice).toMatchObject({ level: 'warn', message: 'frame skipped' });
  });

  it('measures events per second over the last seconds, by arrival', () => {
    const clock = testClock();
    const model = makeModel({ clock });
    for (let second = 0; second < 4; second++) {
      model.apply(batch(second * 30, 30));
      clock.advance(1000);
    }
    expect(model.rates.perSecond(clock.now())).toBe(30);
  });
});
