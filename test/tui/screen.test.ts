import { describe, expect, it } from 'vitest';
import { type Row, Screen } from '../../src/tui/screen.js';

const rows = (...texts: string[]): Row[] => texts.map((text) => ({ text, width: text.length }));

function recording() {
  const writes: string[] = [];
  return { writes, out: { write: (text: string) => writes.push(text) } };
}

describe('Screen', () => {
  it('draws every row first, then only the rows that changed, each at its place', () => {
    const { writes, out } = recording();
    const screen = new Screen(out);
    screen.enter();
    expect(writes[0]).toContain('\x1b[?1049h');
    screen.draw(rows('one', 'two', 'three'));
    expect(writes[1]).toContain('\x1b[1;1H\x1b[2Kone\x1b[0m');
    expect(writes[1]).toContain('\x1b[3;1H\x1b[2Kthree');
    expect(screen.draw(rows('one', 'TWO', 'three'))).toBeGreaterThan(0);
    expect(writes[2]).toBe('\x1b[?2026h\x1b[2;1H\x1b[2KTWO\x1b[0m\x1b[?2026l');
    expect(screen.draw(rows('one', 'TWO', 'three'))).toBe(0);
    expect(writes).toHaveLength(3);
  });

  it('after invalidate (a resize), clears and draws everything again', () => {
    const { writes, out } = recording();
    const screen = new Screen(out);
    screen.enter();
    screen.draw(rows('a', 'b'));
    screen.invalidate();
    screen.draw(rows('a', 'b'));
    expect(writes[2]).toContain('\x1b[H\x1b[2J');
    expect(writes[2]).toContain('\x1b[2;1H\x1b[2Kb');
  });

  it('gives the screen back once, and draws nothing after', () => {
    const { writes, out } = recording();
    const screen = new Screen(out);
    screen.enter();
    screen.leave();
    screen.leave();
    screen.draw(rows('late'));
    expect(writes).toEqual(['\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J', '\x1b[0m\x1b[?25h\x1b[?1049l']);
  });
});
