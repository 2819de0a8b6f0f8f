import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPalette } from '../../src/output/palette.js';
import { formatPrettyEvent } from '../../src/output/pretty.js';
import { App } from '../../src/tui/components/App.js';
import { type Effect, stripAnsi, TuiModel } from '../../src/tui/view-model.js';
import { batch, makeEvent, testClock } from './fixtures.js';

const palette = createPalette(1);

function mount(options: { capacity?: number } = {}) {
  const clock = testClock();
  const model = new TuiModel({
    capacity: options.capacity ?? 1000,
    now: clock.now,
    formatLine: (event) => formatPrettyEvent(event, { palette, timeStyle: 'time' }),
  });
  const listeners = new Set<() => void>();
  const effects: Effect[] = [];
  const frame = () => {
    for (const listener of listeners) listener();
  };
  const app = render(
    <App
      model={model}
      subscribe={(listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      }}
      requestFrame={frame}
      onEffect={(effect) => effects.push(effect)}
      keys
      now={clock.now}
      query="severity >= debug"
      profile="default"
      palette={palette}
    />,
  );
  const screen = () => stripAnsi(app.lastFrame() ?? '');
  const until = (pattern: RegExp) => vi.waitFor(() => expect(screen()).toMatch(pattern));
  return { app, model, clock, effects, frame, screen, until };
}

/** Mounts the TUI holding events 0‥count-1 and waits until the newest is drawn. */
async function mountShowing(count: number) {
  const ui = mount();
  unmount = ui.app.unmount;
  ui.model.apply(batch(0, count));
  ui.frame();
  await ui.until(new RegExp(`request ${count - 1} done`));
  return ui;
}

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
});

describe('the TUI', () => {
  it('draws the newest events coloured by severity above a status line', async () => {
    const ui = mount();
    unmount = ui.app.unmount;
    ui.model.apply({ kind: 'live', url: 'http://x' });
    ui.model.apply(batch(0, 40));
    ui.frame();
    await ui.until(/request 39 done/);
    const lines = ui.screen().split('\n');
    // 24 rows: one kept free, three for the status (the last one empty), twenty for the list.
    expect(lines).toHaveLength(22);
    expect(lines[0]).toMatch(/request 20 done/);
    expect(lines[20]).toMatch(/^● live · following · .* shown 40 · dropped 0 · reconnects 0/);
    expect(lines[21]).toMatch(/query severity >= debug · profile default · \? keys/);
    // Colour by severity: errors red (SGR 31), warnings yellow (33).
    const raw = ui.app.lastFrame() ?? '';
    expect(raw).toMatch(/\x1b\[31mERROR/);
    expect(raw).toMatch(/\x1b\[33mWARN/);
  });

  it('cuts long lines to the width and escapes control characters', async () => {
    const ui = mount();
    unmount = ui.app.unmount;
    ui.model.apply({
      kind: 'batch',
      events: [{ event: makeEvent(1, { message: `evil \x1b]0;title\x07 ${'x'.repeat(5000)}` }) }],
    });
    ui.frame();
    await ui.until(/evil/);
    const [first] = ui.screen().split('\n');
    expect(first).toContain('evil \\x1b]0;title\\x07 xxx');
    expect(first).toHaveLength(100);
    expect(ui.app.lastFrame()).not.toContain('\x1b]0;');
  });

  it('space pauses with a +N new counter, and follows again', async () => {
    const ui = await mountShowing(30);
    ui.app.stdin.write(' ');
    ui.model.apply(batch(30, 7));
    ui.frame();
    await ui.until(/PAUSED \+7 new/);
    expect(ui.screen()).not.toContain('request 36 done');
    expect(ui.screen()).toMatch(/▶.*request 29 done/);
    ui.app.stdin.write(' ');
    await ui.until(/following/);
    expect(ui.screen()).toContain('request 36 done');
  });

  it('/ searches and highlights, f refines with a caret on errors', async () => {
    const ui = await mountShowing(30);
    ui.app.stdin.write('/');
    await ui.until(/search: █/);
    ui.app.stdin.write('request 1');
    ui.app.stdin.write('\r');
    await ui.until(/search "request 1"/);
    expect(ui.app.lastFrame()).toContain('\x1b[7mrequest 1\x1b[27m');
    ui.app.stdin.write('f');
    ui.app.stdin.write('source == ');
    ui.app.stdin.write('\r');
    await ui.until(/\^/);
    const lines = ui.screen().split('\n');
    const promptLine = lines.findIndex((line) => line.startsWith('refine (SOQL filter, empty clears): '));
    expect(lines[promptLine]).toBe('refine (SOQL filter, empty clears): source == █');
    expect(lines[promptLine + 2]!.indexOf('^')).toBe('refine (SOQL filter, empty clears): source == '.length);
    ui.app.stdin.write('"auth"\r');
    await ui.until(/refine source == "auth"/);
    expect(ui.screen()).not.toMatch(/ api /);
  });

  it('1–6 set the minimum severity', async () => {
    const ui = await mountShowing(12);
    ui.app.stdin.write('5');
    await ui.until(/min error/);
    const rows = ui
      .screen()
      .split('\n')
      .filter((line) => /request \d+ done/.test(line));
    expect(rows.map((row) => /(ERROR|CRIT)/.exec(row)?.[1])).toEqual(['ERROR', 'CRIT', 'ERROR', 'CRIT']);
  });

  it('enter shows the event as pretty JSON; ? lists the keys', async () => {
    const ui = await mountShowing(3);
    ui.app.stdin.write('\r');
    await ui.until(/"event_id": "e2"/);
    expect(ui.screen()).toContain('"payload": {\n    "n": 2\n  }');
    ui.app.stdin.write('\x1b');
    await ui.until(/^ 10:00:00/m);
    ui.app.stdin.write('?');
    await ui.until(/Keys \(any key closes this help\)/);
    expect(ui.screen()).toMatch(/^f\s+refine: a SOQL filter/m);
  });

  it('shows notices in the status area, and Ctrl-C and q come back as quit effects', async () => {
    const ui = mount();
    unmount = ui.app.unmount;
    ui.model.apply({ kind: 'reconnecting', attempt: 3, delayMs: 4000, reason: 'connection reset' });
    ui.model.apply({ kind: 'notice', level: 'warn', message: 'skipped a frame that was not JSON' });
    ui.frame();
    await ui.until(/reconnecting in 4s, attempt 3 \(connection reset\)/);
    expect(ui.screen()).toMatch(/⚠ skipped a frame that was not JSON/);
    expect(ui.model.connection.reconnects).toBe(1);
    ui.app.stdin.write('\x03');
    await vi.waitFor(() => expect(ui.effects).toEqual([{ kind: 'quit', interrupted: true }]));
    ui.app.stdin.write('q');
    await vi.waitFor(() => expect(ui.effects).toContainEqual({ kind: 'quit', interrupted: false }));
  });
});
