import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeoutReachedError } from '../../src/errors.js';
import { linkSignals, withTimeout } from '../../src/util/abort.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('linkSignals', () => {
  it('aborts with the reason of whichever parent aborts first', () => {
    const run = new AbortController();
    const request = new AbortController();
    const link = linkSignals(run.signal, request.signal);
    const reason = new Error('interrupted');
    run.abort(reason);
    expect(link.signal?.aborted).toBe(true);
    expect(link.signal?.reason).toBe(reason);
  });

  it('leaves no listener on a parent once released, however many links were made', () => {
    const run = new AbortController();
    for (let i = 0; i < 1_000; i += 1) linkSignals(run.signal, new AbortController().signal).release();
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });

  it('is aborted at once when a parent already is, and undefined without parents', () => {
    expect(linkSignals(AbortSignal.abort('gone')).signal?.reason).toBe('gone');
    expect(linkSignals(undefined, undefined).signal).toBeUndefined();
  });
});

describe('withTimeout', () => {
  it('aborts with TimeoutReachedError when the time runs out, and follows the run signal', () => {
    vi.useFakeTimers();
    const run = new AbortController();
    const timed = withTimeout(run.signal, 5_000);
    vi.advanceTimersByTime(5_000);
    expect(timed.reason).toBeInstanceOf(TimeoutReachedError);
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);

    const other = new AbortController();
    const followed = withTimeout(other.signal, 5_000);
    other.abort('stop');
    expect(followed.reason).toBe('stop');
  });
});
