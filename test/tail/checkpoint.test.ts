/** The session checkpointer under fake timers: throttling, one PATCH at a time, failures, flush. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/errors.js';
import {
  type CheckpointFailure,
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  SessionCheckpointer,
} from '../../src/tail/checkpoint.js';

const INTERVAL = 1_000;

interface Call {
  id: string;
  cursor: string;
  signal: AbortSignal | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A client whose PATCHes stay open until the test settles them (or `auto` settles them at once). */
class FakeClient {
  readonly calls: Call[] = [];
  open = 0;
  maxOpen = 0;
  auto: 'resolve' | ((call: Call) => unknown) | undefined = 'resolve';

  updateSessionCursor(id: string, cursor: string, signal?: AbortSignal): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.open += 1;
      this.maxOpen = Math.max(this.maxOpen, this.open);
      const done = (settle: () => void) => () => {
        this.open -= 1;
        settle();
      };
      const call: Call = {
        id,
        cursor,
        signal,
        resolve: done(() => resolve({ id, lastCursor: cursor })),
        reject: (error) => done(() => reject(error))(),
      };
      this.calls.push(call);
      signal?.addEventListener('abort', () => call.reject(new Error('aborted')));
      if (this.auto === 'resolve') call.resolve();
      else if (this.auto) {
        const outcome = this.auto(call);
        if (outcome instanceof Error) call.reject(outcome);
        else call.resolve();
      }
    });
  }

  get cursors(): string[] {
    return this.calls.map((call) => call.cursor);
  }
}

function apiError(status: number): ApiError {
  return new ApiError({
    status,
    code: `http_${status}`,
    message: `status ${status}`,
    url: 'http://x',
    extra: {},
  });
}

describe('SessionCheckpointer', () => {
  let client: FakeClient;
  let failures: CheckpointFailure[];
  let saved: string[];
  const make = (intervalMs = INTERVAL): SessionCheckpointer =>
    new SessionCheckpointer({
      client,
      sessionId: 'ses_1',
      intervalMs,
      onFailure: (failure) => failures.push(failure),
      onSaved: (cursor) => saved.push(cursor),
    });

  beforeEach(() => {
    vi.useFakeTimers();
    client = new FakeClient();
    failures = [];
    saved = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('documents a default interval of a few seconds', () => {
    expect(DEFAULT_CHECKPOINT_INTERVAL_MS).toBeGreaterThanOrEqual(2_000);
    expect(DEFAULT_CHECKPOINT_INTERVAL_MS).toBeLessThanOrEqual(10_000);
  });

  it('saves the first cursor at once, then at most once per interval with the newest', async () => {
    const checkpoints = make();
    checkpoints.confirm('1');
    await vi.advanceTimersByTimeAsync(0);
    expect(client.cursors).toEqual(['1']);
    for (const cursor of ['2', '3', '4']) {
      checkpoints.confirm(cursor);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(client.cursors).toEqual(['1']);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(client.cursors).toEqual(['1', '4']);
    expect(client.calls.every((call) => call.id === 'ses_1')).toBe(true);
    expect(saved).toEqual(['1', '4']);
    expect(checkpoints.saved).toBe('4');
    // Nothing new confirmed: nothing sent, however long it runs.
    await vi.advanceTimersByTimeAsync(10 * INTERVAL);
    expect(client.cursors).toEqual(['1', '4']);
  });

  it('never sends two PATCHes at once: a slow save holds the next one back', async () => {
    client.auto = undefined;
    const checkpoints = make();
    checkpoints.confirm('1');
    await vi.advanceTimersByTimeAsync(0);
    checkpoints.confirm('2');
    checkpoints.confirm('3');
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(client.cursors).toEqual(['1']);
    client.calls[0]!.resolve();
    // The interval has long passed: the newest goes at once.
    await vi.advanceTimersByTimeAsync(0);
    expect(client.cursors).toEqual(['1', '3']);
    client.calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.maxOpen).toBe(1);
    expect(checkpoints.saved).toBe('3');
  });

  it('reports a failed save and retries it at the next tick, never throwing', async () => {
    let failing = true;
    client.auto = () => (failing ? new Error('ECONNRESET') : undefined);
    const checkpoints = make();
    expect(() => checkpoints.confirm('1')).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    expect(failures).toMatchObject([{ cursor: '1', next: 'retry' }]);
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(client.cursors).toEqual(['1']);
    failing = false;
    await vi.advanceTimersByTimeAsync(1);
    expect(client.cursors).toEqual(['1', '1']);
    expect(checkpoints.saved).toBe('1');
  });

  it('survives a client that throws synchronously and a listener that throws', async () => {
    const throwing = {
      updateSessionCursor: (): Promise<unknown> => {
        throw new TypeError('bug');
      },
    };
    const checkpoints = new SessionCheckpointer({
      client: throwing,
      sessionId: 'ses_1',
      intervalMs: INTERVAL,
      onFailure: () => {
        throw new Error('listener bug');
      },
    });
    checkpoints.confirm('1');
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);
    await expect(checkpoints.flush(100)).resolves.toBe(false);
  });

  it('stops saving when the session is gone (404), and reports it once', async () => {
    client.auto = () => apiError(404);
    const checkpoints = make();
    checkpoints.confirm('1');
    await vi.advanceTimersByTimeAsync(0);
    checkpoints.confirm('2');
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(client.cursors).toEqual(['1']);
    expect(failures).toMatchObject([{ cursor: '1', next: 'stopped' }]);
    await expect(checkpoints.flush()).resolves.toBe(false);
    expect(client.cursors).toEqual(['1']);
  });

  it('does not resend a cursor the server refused (400), but sends the next one', async () => {
    client.auto = (call) => (call.cursor === 'bad' ? apiError(400) : undefined);
    const checkpoints = make();
    checkpoints.confirm('bad');
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(client.cursors).toEqual(['bad']);
    expect(failures).toMatchObject([{ cursor: 'bad', next: 'next-cursor' }]);
    checkpoints.confirm('good');
    await vi.advanceTimersByTimeAsync(0);
    expect(client.cursors).toEqual(['bad', 'good']);
  });

  it('flush saves the newest cursor at once, after the save in flight, and then stops', async () => {
    client.auto = undefined;
    const checkpoints = make();
    checkpoints.confirm('1');
    await vi.advanceTimersByTimeAsync(0);
    checkpoints.confirm('2');
    const flushed = checkpoints.flush();
    await vi.advanceTimersByTimeAsync(10);
    expect(client.cursors).toEqual(['1']);
    client.calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.cursors).toEqual(['1', '2']);
    client.calls[1]!.resolve();
    await expect(flushed).resolves.toBe(true);
    checkpoints.confirm('3');
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(client.cursors).toEqual(['1', '2']);
  });

  it('flush is bounded: a save that hangs is aborted when its time is up', async () => {
    client.auto = undefined;
    const checkpoints = make();
    checkpoints.confirm('1');
    await vi.advanceTimersByTimeAsync(0);
    const flushed = checkpoints.flush(500);
    await vi.advanceTimersByTimeAsync(500);
    await expect(flushed).resolves.toBe(false);
    expect(client.calls[0]!.signal?.aborted).toBe(true);
    expect(client.open).toBe(0);
  });

  it('flush with nothing confirmed sends nothing and succeeds', async () => {
    const checkpoints = make();
    await expect(checkpoints.flush()).resolves.toBe(true);
    expect(client.calls).toEqual([]);
  });

  it('gives each PATCH its own signal, not one tied to a long-lived signal', async () => {
    const checkpoints = make();
    checkpoints.confirm('1');
    await vi.advanceTimersByTimeAsync(0);
    checkpoints.confirm('2');
    await vi.advanceTimersByTimeAsync(INTERVAL);
    const [first, second] = client.calls;
    expect(first!.signal).toBeInstanceOf(AbortSignal);
    expect(first!.signal).not.toBe(second!.signal);
    expect([first!.signal?.aborted, second!.signal?.aborted]).toEqual([false, false]);
  });

  it('stop abandons the save in flight and sends nothing more', async () => {
    client.auto = undefined;
    const checkpoints = make();
    checkpoints.confirm('1');
    await vi.advanceTimersByTimeAsync(0);
    checkpoints.confirm('2');
    checkpoints.stop();
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(client.calls[0]!.signal?.aborted).toBe(true);
    expect(client.cursors).toEqual(['1']);
  });
});
