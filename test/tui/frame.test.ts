import { describe, expect, it } from 'vitest';
import { Token } from '../../src/model/token.js';
import { createPalette } from '../../src/output/palette.js';
import { formatPrettyEvent } from '../../src/output/pretty.js';
import { displayWidth } from '../../src/output/text-width.js';
import { drawFrame, type ScreenSize } from '../../src/tui/frame.js';
import type { Key } from '../../src/tui/keys.js';
import { stripAnsi, TuiModel } from '../../src/tui/view-model.js';
import { batch, makeEvent, testClock } from './fixtures.js';

const palette = createPalette(1);
const context = { query: 'severity >= debug', profile: 'default', palette };
const clock = testClock();

function model(capacity = 1000): TuiModel {
  return new TuiModel({
    capacity,
    now: clock.now,
    formatLine: (event) => formatPrettyEvent(event, { palette, timeStyle: 'time', timeZone: 'utc' }),
  });
}

/** A query view over its first page of `count` events, the newest first; `more` beyond it. */
function queryModel(count: number, more: boolean): TuiModel {
  const view = new TuiModel({
    capacity: 1000,
    now: clock.now,
    formatLine: (event) => formatPrettyEvent(event, { palette, timeStyle: 'time', timeZone: 'utc' }),
    live: false,
  });
  const start = view.startQuery(false);
  if (start?.kind !== 'load') throw new Error('the query view starts with a load');
  const events = Array.from({ length: count }, (_, n) =>
    makeEvent(count - 1 - n, { event_id: `q${1000 - n}` }),
  );
  view.applyHistory(start.load, { events, more });
  return view;
}

/** The frame's rows as text; `raw` keeps the colours; `window`, the query view's time window. */
function frame(
  view: TuiModel,
  size: ScreenSize = { columns: 140, rows: 24 },
  raw = false,
  window?: string,
): string[] {
  const rows = drawFrame(view, size, clock.now(), { ...context, window });
  for (const row of rows) {
    expect(row.width).toBeLessThanOrEqual(size.columns);
    expect(displayWidth(stripAnsi(row.text))).toBe(row.width);
  }
  return rows.map((row) => (raw ? row.text : stripAnsi(row.text)));
}

const press = (view: TuiModel, ...keys: Array<string | Key>): void => {
  for (const key of keys) view.handleKey(typeof key === 'string' ? { input: key } : key);
};
const typeText = (view: TuiModel, text: string): void => press(view, ...Array.from(text));
const enter: Key = { input: '', name: 'return' };
const esc: Key = { input: '', name: 'escape' };

describe('a frame of the view', () => {
  it('is the newest events coloured by severity above the status area, as tall as the screen', () => {
    const view = model();
    view.apply({ kind: 'live', url: 'http://x' });
    view.apply(batch(0, 40));
    const lines = frame(view);
    expect(lines).toHaveLength(24);
    // 21 rows of list, then the status line, the query line and the notice line.
    expect(lines[0]).toMatch(/request 19 done/);
    expect(lines[20]).toMatch(/request 39 done/);
    expect(lines[21]).toMatch(
      /^● live · following · .* received 40 · in buffer 40 · shown 40 · reconnects 0 · gaps backfilled 0$/,
    );
    expect(lines[22]).toMatch(/query severity >= debug · profile default · \? keys/);
    const raw = frame(view, undefined, true).join('\n');
    expect(raw).toMatch(/\x1b\[31mERROR/);
    expect(raw).toMatch(/\x1b\[33mWARN/);
  });

  it('cuts long lines to the width in columns and escapes control characters', () => {
    const view = model();
    view.apply({
      kind: 'batch',
      events: [
        { event: makeEvent(1, { message: `evil \x1b]0;title\x07 ${'x'.repeat(5000)}` }) },
        { event: makeEvent(2, { message: `wide ${'日本語'.repeat(100)}` }) },
      ],
    });
    const size = { columns: 100, rows: 24 };
    const [first, second] = frame(view, size);
    expect(first).toContain('evil \\x1b]0;title\\x07 xxx');
    expect(first).toHaveLength(100);
    expect(frame(view, size, true).join('')).not.toContain('\x1b]0;');
    // Two columns a character: 100 columns hold the line up to a whole character.
    const rows = drawFrame(view, { columns: 100, rows: 24 }, clock.now(), context);
    expect(rows[1]!.width).toBeLessThanOrEqual(100);
    expect(rows[1]!.width).toBeGreaterThanOrEqual(99);
    expect(second).toMatch(/wide 日本語日本語/);
  });

  it('space pauses with a +N new counter and a cursor, and follows again', () => {
    const view = model();
    view.apply(batch(0, 30));
    press(view, ' ');
    view.apply(batch(30, 7));
    let lines = frame(view);
    expect(lines.join('\n')).toMatch(/PAUSED \+7 new/);
    expect(lines.join('\n')).not.toContain('request 36 done');
    expect(lines.join('\n')).toMatch(/▶.*request 29 done/);
    press(view, ' ');
    lines = frame(view);
    expect(lines.join('\n')).toMatch(/following/);
    expect(lines.join('\n')).toContain('request 36 done');
  });

  it('/ searches and highlights; f refines, with a caret under a mistake', () => {
    const view = model();
    view.apply(batch(0, 30));
    press(view, '/');
    expect(frame(view).join('\n')).toMatch(/search: █/);
    typeText(view, 'request 1');
    press(view, enter);
    expect(frame(view).join('\n')).toMatch(/search "request 1"/);
    expect(frame(view, undefined, true).join('\n')).toContain('\x1b[7mrequest 1\x1b[27m');
    press(view, 'f');
    typeText(view, 'source == ');
    press(view, enter);
    const lines = frame(view);
    const prompt = lines.findIndex((line) => line.startsWith('refine (SOQL filter, empty clears): '));
    expect(lines[prompt]).toBe('refine (SOQL filter, empty clears): source == █');
    expect(lines[prompt + 2]!.indexOf('^')).toBe('refine (SOQL filter, empty clears): source == '.length);
    typeText(view, '"auth"');
    press(view, enter);
    expect(frame(view).join('\n')).toMatch(/refine source == "auth"/);
    expect(frame(view).join('\n')).not.toMatch(/ api /);
  });

  it('with no history to load (a --url stream), the top row says how many events left the buffer', () => {
    const view = model(10);
    view.apply({ kind: 'live', url: 'u' });
    view.apply(batch(0, 10));
    press(view, 'g');
    // Nothing has left yet: the list starts at its oldest event.
    expect(frame(view)[0]).toMatch(/^▶\S+ DEBUG .*request 0 done/);
    press(view, 'G');
    view.apply(batch(10, 15));
    press(view, 'g');
    const lines = frame(view);
    expect(lines[0]).toBe(
      '▶— 15 earlier events left the buffer of 10; this stream has no history to load them from (--buffer keeps more) —',
    );
    expect(lines[1]).toMatch(/request 15 done/);
    expect(lines[21]).toMatch(/received 25 · in buffer 10 · shown 10/);
    // Cleared events have left it too.
    press(view, 'c');
    view.apply(batch(25, 1));
    press(view, 'g');
    expect(frame(view)[0]).toMatch(/^▶— 25 earlier events left the buffer of 10;/);
  });

  it('1–6 set the minimum severity', () => {
    const view = model();
    view.apply(batch(0, 12));
    press(view, '5');
    const rows = frame(view).filter((line) => /request \d+ done/.test(line));
    expect(rows.map((row) => /(ERROR|CRIT)/.exec(row)?.[1])).toEqual(['ERROR', 'CRIT', 'ERROR', 'CRIT']);
  });

  it('enter shows the event as pretty JSON, scrolled by j/k', () => {
    const view = model();
    view.apply(batch(0, 3));
    press(view, enter);
    const lines = frame(view, { columns: 100, rows: 8 });
    expect(lines[0]).toMatch(/^ event 1–4 of \d+ lines/);
    expect(lines.join('\n')).toContain('"event_id": "e2"');
    press(view, 'j');
    expect(frame(view, { columns: 100, rows: 8 })[0]).toMatch(/^ event 2–5 of/);
    press(view, esc);
    expect(frame(view)[0]).toMatch(/^ 10:00:00/);
  });

  it('notices show in the status area', () => {
    const view = model();
    view.apply({ kind: 'reconnecting', attempt: 3, delayMs: 4000, reason: 'connection reset' });
    view.apply({ kind: 'notice', level: 'warn', message: 'skipped a frame that was not JSON' });
    const lines = frame(view).join('\n');
    expect(lines).toMatch(/reconnecting in 4s, attempt 3 \(connection reset\)/);
    expect(lines).toMatch(/⚠ skipped a frame that was not JSON/);
  });

  it("shows a server's reason escaped, with the token it echoes redacted", () => {
    Token.from('so_live_statusbar0123456789');
    const view = model();
    const hostile = '\u001b]0;PWNED\u0007\u001b[2J Bearer so_live_statusbar0123456789';
    view.apply({ kind: 'reconnecting', attempt: 2, delayMs: 4000, reason: `503 ${hostile}` });
    view.apply({ kind: 'notice', level: 'warn', message: hostile });
    const raw = frame(view, { columns: 200, rows: 24 }, true).join('\n');
    expect(raw).not.toContain('\u001b]0;');
    expect(raw).not.toContain('\u001b[2J');
    expect(raw).not.toContain('statusbar0123456789');
    const shown = stripAnsi(raw);
    expect(shown).toContain(
      'reconnecting in 4s, attempt 2 (503 \\x1b]0;PWNED\\x07\\x1b[2J Bearer so_live_…6789)',
    );
    expect(shown).toContain('⚠ \\x1b]0;PWNED\\x07\\x1b[2J Bearer so_live_…6789');
  });
});

describe('small screens', () => {
  it('? lists every key on a 12-row screen: the help scrolls to its last line', () => {
    const view = model();
    view.apply(batch(0, 5));
    press(view, '?');
    const size = { columns: 80, rows: 12 };
    let lines = frame(view, size);
    expect(lines[0]).toMatch(/^Keys \(1–8 of 1\d; j\/k scroll\)/);
    expect(lines.join('\n')).not.toMatch(/Ctrl-C/);
    press(view, 'G');
    lines = frame(view, size);
    expect(lines.join('\n')).toMatch(/^q {2}Ctrl-C {2}quit$/m);
    press(view, 'k');
    expect(frame(view, size)[0]).toMatch(/^Keys \((\d+)–(\d+) of 1\d/);
    press(view, 'x');
    expect(view.mode.kind).toBe('list');
  });

  it('at 40 columns the help wraps what a key does instead of cutting it; every word is reached', () => {
    const view = model();
    view.apply(batch(0, 5));
    press(view, '?');
    const size = { columns: 40, rows: 12 };
    const seen: string[] = [];
    for (let step = 0; step < 40; step++) {
      const lines = frame(view, size);
      const match = /^Keys \((\d+)–(\d+) of (\d+)/.exec(lines[0]!);
      expect(match).not.toBeNull();
      const [, first, last, total] = match!.map(Number);
      lines.slice(1, 1 + last! - first! + 1).forEach((line, index) => {
        seen[first! - 1 + index] = line;
      });
      if (last === total) break;
      press(view, 'j');
    }
    const text = seen.join(' ').replace(/\s+/g, ' ');
    expect(text).toContain('minimum severity: 1 all, 2 info, 3 notice, 4 warn, 5 error, 6 critical');
    expect(text).toContain('copy the selected event as one JSON line (clipboard via OSC 52, or a file)');
    expect(text).toMatch(/q Ctrl-C quit$/);
    for (const line of seen) expect(displayWidth(line)).toBeLessThanOrEqual(40);
  });

  it("the query view's help says its own keys: space pages, nothing pauses", () => {
    const view = queryModel(50, false);
    press(view, '?');
    const help = frame(view, { columns: 140, rows: 30 }).join('\n');
    expect(help).toMatch(/^space {6}a page down$/m);
    expect(help).toMatch(/^c {10}load the result again from its newest events$/m);
    expect(help).not.toMatch(/pause|follow/);
    const live = model();
    press(live, '?');
    expect(frame(live, { columns: 140, rows: 30 }).join('\n')).toMatch(/^space {6}pause \/ follow/m);
  });

  it("the query view's status keeps the count loaded whole on a narrow screen; its words give way", () => {
    const view = queryModel(200, true);
    const wide = frame(view, { columns: 140, rows: 12 }, false, 'in the last 1h')[9]!;
    expect(wide).toBe('◆ query result in the last 1h · loaded 200 · older on ↑');
    expect(frame(view, { columns: 40, rows: 12 }, false, 'in the last 1h')[9]).toBe(
      '◆ query result · loaded 200 · older on ↑',
    );
    expect(frame(view, { columns: 25, rows: 12 }, false, 'in the last 1h')[9]).toBe(
      '◆ loaded 200 · older on ↑',
    );
    expect(frame(view, { columns: 16, rows: 12 }, false, 'in the last 1h')[9]).toBe('◆ loaded 200 · ↑');
  });

  it('at 40 columns the state, the position and the rate stay in sight; counters give way', () => {
    const view = model();
    view.apply({ kind: 'live', url: 'u' });
    view.apply(batch(0, 30));
    press(view, ' ');
    view.apply(batch(30, 3));
    const status = frame(view, { columns: 40, rows: 12 })[9]!;
    expect(status).toMatch(/^● live · PAUSED \+3 new · [\d.]+\/s/);
    view.apply({ kind: 'reconnecting', attempt: 2, delayMs: 3000, reason: 'connection reset by the server' });
    const waiting = frame(view, { columns: 40, rows: 12 })[9]!;
    expect(waiting).toMatch(/^● reconnecting in 3s · PAUSED \+3 · [\d.]+\/s$/);
  });

  it('keeps the status line and a row of list however small the screen', () => {
    const view = model();
    view.apply({ kind: 'live', url: 'u' });
    view.apply(batch(0, 30));
    expect(frame(view, { columns: 20, rows: 3 })).toEqual([
      expect.stringMatching(/^ 10:00:00\.028Z/),
      expect.stringMatching(/^ 10:00:00\.029Z/),
      expect.stringMatching(/^● live · following/),
    ]);
    expect(frame(view, { columns: 20, rows: 1 })).toEqual([expect.stringMatching(/^● live/)]);
    press(view, '/');
    expect(frame(view, { columns: 20, rows: 2 })).toEqual([
      expect.stringMatching(/^ 10:00:00\.029Z/),
      'search: █',
    ]);
  });
});
