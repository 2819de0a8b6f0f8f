/**
 * A filter applied by the engine (`tail QUERY --url`): only passing events are delivered and
 * counted, and those it drops still move the resume cursor, so a reconnect never replays them.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileQuery } from '../../src/soql/index.js';
import { instantTail } from './decoder-under-test.js';
import { collect, frame, messages, ok, scriptedSource } from './scripted-source.js';

const cut = (): Error => Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
const tail = instantTail;

/** Events 1..n; the even ones match `message ~ "[02468]$"`. */
const even = compileQuery('message ~ "[02468]$"').matches;

describe('a filter in the engine', () => {
  test('delivers only passing events and counts only those; --count counts them too', async () => {
    const source = scriptedSource((_id, signal) =>
      ok([...Array.from({ length: 9 }, (_, i) => frame(i + 1))], signal),
    );
    const run = tail({ source, filter: even, maxEvents: 3 });
    const { items } = await collect(run);
    expect(messages(items)).toEqual(['m2', 'm4', 'm6']);
    expect(run.counters.events).toBe(3);
    // m1, m3 and m5 were left out; m7 and m9, past the count, were never read.
    expect(run.counters.filteredOut).toBe(3);
    expect(items.at(-1)).toEqual({ kind: 'ended', reason: 'count' });
  });

  test('events it drops still move the resume cursor: a reconnect resumes after them', async () => {
    const source = scriptedSource((_lastId, signal, attempt) => {
      if (attempt === 1) return ok([frame(1), frame(2), frame(3), cut()], signal);
      // Events 4 and 5 come after the resume; a cursor that stopped at 2 would replay 3.
      return ok([frame(4), frame(5), frame(6)], signal);
    });
    const { items } = await collect(tail({ source, filter: even, maxEvents: 3 }));
    expect(messages(items)).toEqual(['m2', 'm4', 'm6']);
    expect(source.opens).toEqual([undefined, '3']);
  });

  test('a run with nothing passing yields no empty batch, but the cursor still moves', async () => {
    const source = scriptedSource((_id, signal, attempt) =>
      attempt === 1 ? ok([frame(1), frame(3), cut()], signal) : ok([frame(4)], signal),
    );
    const { items } = await collect(tail({ source, filter: even, maxEvents: 1 }));
    expect(items.filter((item) => item.kind === 'batch' && item.events.length === 0)).toEqual([]);
    expect(source.opens).toEqual([undefined, '3']);
  });

  test('a filter that throws on a hostile event drops that event, not the tail', async () => {
    const source = scriptedSource((_id, signal) => ok([frame(1), frame(2)], signal));
    const filter = (event: Record<string, unknown>) => {
      if (event.message === 'm1') throw new Error('hostile');
      return true;
    };
    const { items, error } = await collect(tail({ source, filter, maxEvents: 1 }));
    expect(error).toBeUndefined();
    expect(messages(items)).toEqual(['m2']);
  });

  test('whatever the chunking, the passing events exactly once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(200), { maxLength: 6 }), async (cutAt) => {
        const text = Array.from({ length: 20 }, (_, i) => frame(i + 1)).join('');
        const points = [...new Set(cutAt.map((at) => at % text.length))].sort((a, b) => a - b);
        const source = scriptedSource((lastId, signal) => {
          const start = lastId === undefined ? 0 : text.indexOf(`id: ${Number(lastId) + 1}\n`);
          const rest = start < 0 ? '' : text.slice(start);
          const chunks: string[] = [];
          let from = 0;
          for (const at of points) {
            if (at <= from || at >= rest.length) continue;
            chunks.push(rest.slice(from, at));
            from = at;
          }
          chunks.push(rest.slice(from));
          return ok(chunks, signal);
        });
        const { items } = await collect(tail({ source, filter: even, maxEvents: 10 }));
        expect(messages(items)).toEqual(['m2', 'm4', 'm6', 'm8', 'm10', 'm12', 'm14', 'm16', 'm18', 'm20']);
      }),
    );
  });
});
