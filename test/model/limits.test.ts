import { describe, expect, it } from 'vitest';
import { findTooDeep, MAX_PAYLOAD_DEPTH } from '../../src/model/limits.js';

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

describe('findTooDeep', () => {
  it('accepts values up to the limit and scalars', () => {
    expect(findTooDeep(nested(MAX_PAYLOAD_DEPTH))).toBeUndefined();
    expect(findTooDeep('text')).toBeUndefined();
    expect(findTooDeep(null)).toBeUndefined();
  });

  it('names the path of the first value past the limit', () => {
    expect(findTooDeep({ ok: 1, deep: { x: [{ y: {} }] } }, 3)).toBe('deep.x.0');
  });

  it('survives nesting far deeper than the stack allows recursion', () => {
    expect(findTooDeep(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))).toBeDefined();
  });
});
