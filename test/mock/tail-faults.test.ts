/** The tail faults clients test against (docs/reliability.md "The live tail"). */
import { describe, expect, test } from 'vitest';
import { withMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

describe('tail faults', () => {
  const mock = withMock();
  const appendMany = (count: number) =>
    mock().append(...Array.from({ length: count }, (_, i) => ({ message: `m${i}`, meta: { i } })));

  test('drop:after=N breaks the connection after N events; a resume gets the rest', async () => {
    mock().injectFault('drop:after=3');
    const tail = await SseReader.open(mock(), { q: '' });
    const appended = appendMany(10);
    const ended = await tail.finished();
    expect(ended).toBeInstanceOf(Error);
    expect(tail.events).toHaveLength(3);
    const resumed = await SseReader.open(mock(), { q: '' }, { lastEventId: tail.frames.at(-1)!.id! });
    await resumed.until((t) => t.events.length === 7);
    expect([...tail.frames, ...resumed.frames].map((frame) => frame.id)).toEqual(
      appended.map((a) => a.cursor),
    );
    resumed.close();
  });

  test('cut:at=BYTES cuts mid-frame: the partial frame is never a complete event', async () => {
    const tail = await SseReader.open(mock(), { q: '' });
    tail.close();
    // `retry: 100\n\n` is 12 bytes; the first frame starts there and is longer than 30 bytes.
    mock().injectFault({ kind: 'cut', atByte: 42 });
    const cut = await SseReader.open(mock(), { q: '' });
    appendMany(5);
    expect(await cut.finished()).toBeInstanceOf(Error);
    expect(Buffer.byteLength(cut.raw)).toBe(42);
    expect(cut.frames).toEqual([]);
  });

  test('cut:at=random cuts inside the first batch of events', async () => {
    mock().injectFault('cut:at=random');
    const cut = await SseReader.open(mock(), { q: '' });
    appendMany(50);
    expect(await cut.finished()).toBeInstanceOf(Error);
    expect(cut.events.length).toBeLessThan(50);
    expect(cut.raw.length).toBeGreaterThan('retry: 100\n\n'.length);
  });

  test('silence:after=N,for=D sends nothing at all for a while, then carries on without loss', async () => {
    mock().injectFault('silence:after=2,for=1s');
    const tail = await SseReader.open(mock(), { q: '' });
    const appended = appendMany(5);
    await tail.until((t) => t.events.length === 2);
    const rawAtSilence = tail.raw;
    // The mock's own clock, not ours: a second tail (the fault takes one connection) counts the
    // heartbeats sent meanwhile. The silence outlasts three of them by far (1 s against 150 ms).
    const control = await SseReader.open(mock(), { q: 'message == "never"' });
    await control.until((c) => c.comments.length >= 3);
    control.close();
    // Three heartbeat intervals passed: not one byte, not even a heartbeat.
    expect(tail.raw).toBe(rawAtSilence);
    await tail.until((t) => t.events.length === 5);
    expect(tail.frames.filter((f) => f.event === undefined).map((f) => f.id)).toEqual(
      appended.map((a) => a.cursor),
    );
    tail.close();
  });

  test('reset:after=N sends event: reset after N events and ends', async () => {
    mock().injectFault('reset:after=2');
    const tail = await SseReader.open(mock(), { q: '' });
    appendMany(5);
    expect(await tail.finished()).toBe('end');
    expect(tail.frames.map((frame) => frame.event ?? 'event')).toEqual(['event', 'event', 'reset']);
    expect(tail.raw).toContain('event: reset\nid:\n');
  });

  test('connections=all hits every new tail; clearing the faults stops it', async () => {
    mock().injectFault('drop:after=0,connections=all');
    for (let i = 0; i < 3; i++) {
      const tail = await SseReader.open(mock(), { q: '' });
      expect(await tail.finished()).toBeInstanceOf(Error);
    }
    mock().clearFaults();
    const healthy = await SseReader.open(mock(), { q: '' });
    await healthy.until((t) => t.comments.length > 0);
    healthy.close();
  });

  test('503 on the tail family for a while, with Retry-After', async () => {
    mock().injectFault('503@tail:for=10m,retry-after=3');
    const refused = await call(mock(), 'POST', '/query/tail', { body: { q: '' } });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('3');
    expect((await call(mock(), 'POST', '/query', { body: {} })).status).toBe(200);
  });
});
