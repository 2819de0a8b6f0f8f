/** Property tests of the duration grammar and the one time parser: hostile text never throws. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDurationMs, MAX_DURATION_MS, parseDurationMs } from '../../src/util/duration.js';
import { parseRfc3339 } from '../../src/util/rfc3339.js';
import { readTimeSpec } from '../../src/util/time-spec.js';

const now = new Date('2026-05-17T12:00:00.000Z');

describe('time and duration parsers on any input', () => {
  it('never throw, and give a bounded, non-negative duration or nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const ms = parseDurationMs(text);
        if (ms !== undefined) expect(ms >= 0 && ms <= MAX_DURATION_MS).toBe(true);
        const spec = readTimeSpec(text, now);
        if ('iso' in spec) expect(Number.isNaN(Date.parse(spec.iso))).toBe(false);
        parseRfc3339(text);
      }),
    );
  });

  it('a compound duration is the sum of its parts', () => {
    const part = (max: number) => fc.integer({ min: 0, max });
    fc.assert(
      fc.property(part(99), part(23), part(59), part(59), (d, h, m, s) => {
        expect(parseDurationMs(`${d}d${h}h${m}m${s}s`)).toBe(((d * 24 + h) * 60 + m) * 60_000 + s * 1_000);
      }),
    );
  });

  it('reads every real instant written in RFC 3339 back to the same instant', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          expect(parseRfc3339(date.toISOString())).toBe(date.getTime());
        },
      ),
    );
  });

  it('a day past the end of its month is rejected, never rolled over', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const days = new Date(Date.UTC(2000, month, 0)).getUTCDate();
        const leapFebruary = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
        const last = month === 2 ? (leapFebruary ? 29 : 28) : days;
        const pad = (n: number, width = 2) => String(n).padStart(width, '0');
        expect(parseRfc3339(`${pad(year, 4)}-${pad(month)}-${pad(last)}`)).toBeDefined();
        expect(parseRfc3339(`${pad(year, 4)}-${pad(month)}-${pad(last + 1)}`)).toBeUndefined();
      }),
    );
  });
});

describe('formatDurationMs', () => {
  it('writes durations the grammar reads back, within the rounding of its smaller unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 400 * 86_400_000 }), (ms) => {
        const back = parseDurationMs(formatDurationMs(ms));
        expect(back).toBeDefined();
        const unit = ms < 60_000 ? 100 : ms < 3_600_000 ? 1_000 : ms < 86_400_000 ? 60_000 : 3_600_000;
        expect(Math.abs(back! - ms)).toBeLessThanOrEqual(unit / 2 + 1);
      }),
    );
  });
});
