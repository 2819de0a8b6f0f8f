import { describe, expect, it } from 'vitest';
import { EVENT_FIELDS } from '../../src/model/event.js';
import { FIELD_ALIASES, fieldValue, SOQL_FIELDS } from '../../src/soql/index.js';

describe('fields', () => {
  it('lists the api.md fields and aliases', () => {
    expect(SOQL_FIELDS).toEqual(EVENT_FIELDS);
    expect(FIELD_ALIASES).toEqual({ level: 'severity', service: 'source', msg: 'message', meta: 'payload' });
  });

  it('reads top-level fields and payload paths, absent as undefined', () => {
    const event = {
      source: 'fivem',
      payload: { user: { id: 7, tags: ['a', 'b'] }, 'a-b': 1, nothing: null },
    };
    expect(fieldValue(event, 'source')).toBe('fivem');
    expect(fieldValue(event, 'actor')).toBeUndefined();
    expect(fieldValue(event, 'payload.user.id')).toBe(7);
    expect(fieldValue(event, 'payload.user.tags.1')).toBe('b');
    expect(fieldValue(event, 'payload.a-b')).toBe(1);
    expect(fieldValue(event, 'payload.nothing')).toBeNull();
    expect(fieldValue(event, 'payload.user.id.deeper')).toBeUndefined();
    expect(fieldValue(event, 'payload.missing.x')).toBeUndefined();
    expect(fieldValue({ payload: 'text' }, 'payload.length')).toBeUndefined();
    expect(fieldValue({}, 'payload.user')).toBeUndefined();
  });

  it('never reads inherited properties', () => {
    expect(fieldValue({ payload: {} }, 'payload.constructor')).toBeUndefined();
    expect(fieldValue({ payload: {} }, 'payload.__proto__')).toBeUndefined();
    expect(fieldValue({}, 'constructor')).toBeUndefined();
    expect(fieldValue({ level: 'x' }, 'level')).toBeUndefined();
  });

  it('reaches array items by index only, so GROUP BY never sees an array length', () => {
    const event = { payload: ['x', 'y'] as unknown, nested: null };
    const tagged = { payload: { tags: ['a', 'b'], deep: { list: [{ id: 3 }] } } };
    expect(fieldValue(tagged, 'payload.tags.length')).toBeUndefined();
    expect(fieldValue(event, 'payload.length')).toBeUndefined();
    expect(fieldValue(event, 'payload.1')).toBe('y');
    expect(fieldValue(event, 'payload.01')).toBeUndefined();
    expect(fieldValue(tagged, 'payload.tags.2')).toBeUndefined();
    expect(fieldValue(tagged, 'payload.deep.list.0.id')).toBe(3);
    expect(fieldValue(tagged, 'payload.deep.list.length')).toBeUndefined();
  });
});
