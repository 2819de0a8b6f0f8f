/** JSON.stringify that a value nested thousands deep cannot crash. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedJson, TOO_DEEP } from '../../src/output/bounded-json.js';
import { createPalette } from '../../src/output/palette.js';
import { formatPrettyEvent } from '../../src/output/pretty.js';

const deepArray = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('boundedJson', () => {
  it('is JSON.stringify for any value that fits the stack', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(boundedJson(value)).toBe(JSON.stringify(value));
      }),
    );
  });

  it('writes a value nested 100,000 deep as valid JSON, its deep parts as the marker', () => {
    const value = { message: 'deep', payload: { a: deepArray(100_000) }, after: [1, { b: null }] };
    const text = boundedJson(value)!;
    const back = JSON.parse(text) as { message: string; payload: { a: unknown }; after: unknown };
    expect(back.message).toBe('deep');
    expect(back.after).toEqual([1, { b: null }]);
    let depth = 0;
    let part: unknown = back.payload.a;
    while (Array.isArray(part)) {
      part = part[0];
      depth += 1;
    }
    expect(part).toBe(TOO_DEEP);
    expect(depth).toBe(254);
  });

  it('lays out such a value with an indent too', () => {
    const text = boundedJson({ a: deepArray(50_000) }, 2)!;
    expect(text.startsWith('{\n  "a": [\n    [\n')).toBe(true);
    expect(text).toContain(`"${TOO_DEEP}"`);
    expect(boundedJson({ a: [1] }, 2)).toBe(JSON.stringify({ a: [1] }, null, 2));
  });

  it('keeps a pretty line alive for such an event', () => {
    const line = formatPrettyEvent(
      {
        ts: '2026-05-17T10:00:00.000Z',
        severity: 'info',
        message: 'deep',
        payload: { a: deepArray(50_000) },
      },
      { palette: createPalette(0), timeStyle: 'time', timeZone: 'utc' },
    );
    expect(line).toMatch(/^10:00:00\.000Z INFO {2}- {12}deep a=\[\[\[.*…$/);
  });
});
