import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { displayWidth } from '../../src/output/text-width.js';
import { fitRow, highlightMatches } from '../../src/tui/ansi-text.js';
import { osc52, supportsOsc52 } from '../../src/tui/clipboard.js';
import { FrameClock } from '../../src/tui/frame-clock.js';
import { parseKeys } from '../../src/tui/keys.js';
import { RateMeter } from '../../src/tui/rate-meter.js';
import { RingBuffer } from '../../src/tui/ring-buffer.js';

const stripSgr = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

describe('RingBuffer', () => {
  it('behaves as the last `capacity` items of everything pushed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer()), (capacity, items) => {
        const ring = new RingBuffer<number>(capacity);
        for (const item of items) ring.push(item);
        expect([...ring]).toEqual(items.slice(-capacity));
        expect(ring.first()).toBe(items.slice(-capacity)[0]);
        expect(ring.last()).toBe(items.at(-1));
      }),
    );
  });

  it('returns what it evicts, shifts from the front and clears', () => {
    const ring = new RingBuffer<string>(2);
    expect(ring.push('a')).toBeUndefined();
    ring.push('b');
    expect(ring.push('c')).toBe('a');
    expect(ring.shift()).toBe('b');
    expect([...ring]).toEqual(['c']);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.at(0)).toBeUndefined();
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

describe('RateMeter', () => {
  const start = Date.parse('2026-05-17T10:00:00.000Z');

  it('draws the last minute, coloured by the worst severity of each span', () => {
    const meter = new RateMeter();
    meter.record(1, 10, start);
    meter.record(4, 1, start + 30_000);
    meter.record(1, 40, start + 59_000);
    const cells = meter.sparkline(start + 59_500, 20);
    expect(cells).toHaveLength(20);
    expect(cells.map((cell) => cell.glyph).join('')).toBe('▃         ▁        █');
    expect(cells[10]?.worstRank).toBe(4);
    expect(cells[1]?.worstRank).toBe(-1);
  });

  it('forgets what is older than a minute', () => {
    const meter = new RateMeter();
    meter.record(5, 100, start);
    expect(meter.sparkline(start + 61_000, 60).every((cell) => cell.glyph === ' ')).toBe(true);
    expect(meter.perSecond(start + 61_000)).toBe(0);
  });
});

describe('ANSI-aware text', () => {
  const coloured = '\x1b[90m10:00:00\x1b[39m \x1b[31mERROR\x1b[39m payment failed';

  it('marks every match in reverse video and keeps the colours', () => {
    const marked = highlightMatches(coloured, 'error payment');
    expect(stripSgr(marked)).toBe(stripSgr(coloured));
    expect(marked).toContain('\x1b[31m\x1b[7mERROR\x1b[39m payment\x1b[27m');
    expect(highlightMatches(coloured, 'absent')).toBe(coloured);
  });

  it('fits lines to a width in columns, never cutting inside a colour sequence or a character', () => {
    fc.assert(
      fc.property(
        // What log lines hold: ASCII, CJK (two columns), emoji, letters with combining accents.
        fc.string({ unit: fc.constantFrom('a', ' ', '日', '😀', '👍🏽', 'e\u0301', '\u0430') }),
        fc.integer({ min: 1, max: 40 }),
        (text, columns) => {
          const line = `\x1b[31m${text}\x1b[39m${text}`;
          const plain = stripSgr(line);
          const row = fitRow(line, columns);
          const fitted = stripSgr(row.text);
          expect(row.width).toBe(displayWidth(fitted));
          expect(row.width).toBeLessThanOrEqual(columns);
          expect(plain.startsWith(fitted)).toBe(true);
          if (displayWidth(plain) <= columns) expect(fitted).toBe(plain);
          // A character that takes two columns may leave one unused, never more.
          else expect(row.width).toBeGreaterThanOrEqual(columns - 1);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ab xyz') }),
        fc.integer({ min: 1, max: 40 }),
        (text, columns) => {
          const plain = `${text}${text}`;
          expect(stripSgr(fitRow(`\x1b[31m${text}\x1b[39m${text}`, columns).text)).toBe(
            plain.slice(0, columns),
          );
        },
      ),
    );
    expect(fitRow(coloured, 14)).toEqual({
      text: '\x1b[90m10:00:00\x1b[39m \x1b[31mERROR\x1b[39m\x1b[0m',
      width: 14,
    });
    expect(fitRow('日本語', 5)).toEqual({ text: '日本\x1b[0m', width: 4 });
    expect(fitRow('plain text', 5)).toEqual({ text: 'plain', width: 5 });
  });
});

describe('keys', () => {
  it('reads keys typed together one by one, and names special keys', () => {
    expect(parseKeys('fab')).toEqual([{ input: 'f' }, { input: 'a' }, { input: 'b' }]);
    expect(parseKeys('x\r\x7f\x03')).toEqual([
      { input: 'x' },
      { input: '', name: 'return' },
      { input: '', name: 'backspace' },
      { input: 'c', ctrl: true },
    ]);
  });

  it('reads the sequences terminals send for special keys', () => {
    const named = (data: string) => parseKeys(data).map((key) => key.name ?? key.input);
    expect(named('\x1b[A\x1b[B\x1b[C\x1b[D')).toEqual(['up', 'down', 'right', 'left']);
    expect(named('\x1bOA\x1bOB')).toEqual(['up', 'down']);
    expect(named('\x1b[5~\x1b[6~')).toEqual(['pageUp', 'pageDown']);
    expect(named('\x1b[H\x1b[F\x1b[1~\x1b[4~\x1b[7~\x1b[8~\x1bOH\x1bOF')).toEqual([
      'home',
      'end',
      'home',
      'end',
      'home',
      'end',
      'home',
      'end',
    ]);
    // With modifiers (Ctrl-Up), the key is still the key.
    expect(named('\x1b[1;5A')).toEqual(['up']);
    expect(named('\x1b')).toEqual(['escape']);
    expect(named('\x1b\x1b[A')).toEqual(['escape', 'up']);
    expect(parseKeys('\x1bx')).toEqual([{ input: 'x', meta: true }]);
    // Function keys and unknown sequences are no text typed into a prompt.
    expect(named('\x1b[15~\x1b[200~x')).toEqual(['x']);
    expect(named('é😀')).toEqual(['é', '😀']);
  });

  it('never throws and never types a control character, whatever arrives', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (data) => {
        for (const key of parseKeys(data)) expect(key.input).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      }),
    );
  });
});

describe('clipboard', () => {
  it('uses OSC 52 only where the terminal passes it on', () => {
    expect(supportsOsc52({ TERM: 'xterm-kitty' })).toBe(true);
    expect(supportsOsc52({ TERM_PROGRAM: 'iTerm.app' })).toBe(true);
    expect(supportsOsc52({ TERM: 'xterm-kitty', TMUX: '/tmp/tmux-0/default,1,0' })).toBe(false);
    expect(supportsOsc52({ TERM: 'xterm-256color' })).toBe(false);
    expect(supportsOsc52({ TERM: 'xterm-256color', SOTAIL_CLIPBOARD: 'osc52' })).toBe(true);
    expect(osc52('{"a":1}')).toBe(`\x1b]52;c;${Buffer.from('{"a":1}').toString('base64')}\x07`);
  });
});

describe('FrameClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers at most one frame per interval however many are requested', () => {
    vi.useFakeTimers();
    const clock = new FrameClock(30, () => Date.now());
    let frames = 0;
    clock.subscribe(() => {
      frames += 1;
    });
    for (let i = 0; i < 1000; i++) {
      clock.request();
      vi.advanceTimersByTime(1);
    }
    // 1 s of requests every millisecond: 30 frames, give or take the first.
    expect(frames).toBeGreaterThanOrEqual(30);
    expect(frames).toBeLessThanOrEqual(31);
    clock.stop();
    clock.request();
    vi.advanceTimersByTime(100);
    expect(frames).toBeLessThanOrEqual(31);
  });

  it('spaces frames out when drawing costs more than its share of a core', () => {
    vi.useFakeTimers();
    const clock = new FrameClock(30, () => Date.now());
    let frames = 0;
    clock.subscribe(() => {
      frames += 1;
    });
    // 80 ms a frame: at most 40 % of a core means one frame every 200 ms.
    for (let i = 0; i < 50; i++) clock.reportDrawCost(80);
    for (let i = 0; i < 1000; i++) {
      clock.request();
      vi.advanceTimersByTime(1);
    }
    expect(frames).toBeGreaterThanOrEqual(5);
    expect(frames).toBeLessThanOrEqual(6);
  });

  it('draws at once when asked to (a key), whatever the interval', () => {
    vi.useFakeTimers();
    const clock = new FrameClock(30, () => Date.now());
    let frames = 0;
    clock.subscribe(() => {
      frames += 1;
    });
    clock.request();
    vi.advanceTimersByTime(0);
    expect(frames).toBe(1);
    clock.request();
    clock.drawNow();
    expect(frames).toBe(2);
    // The frame that was due is the one just drawn, not another one.
    vi.advanceTimersByTime(100);
    expect(frames).toBe(2);
  });

  it('draws nothing when nothing asked for a frame', () => {
    vi.useFakeTimers();
    const clock = new FrameClock(30);
    const listener = vi.fn();
    clock.subscribe(listener);
    vi.advanceTimersByTime(1000);
    expect(listener).not.toHaveBeenCalled();
  });
});
