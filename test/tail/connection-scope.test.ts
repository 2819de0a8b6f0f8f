import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionScope, StaleConnectionError } from '../../src/tail/connection-scope.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('ConnectionScope', () => {
  it('leaves no listener on the run signal, however many connections a long tail makes', () => {
    const run = new AbortController();
    for (let i = 0; i < 100; i++) {
      const scope = new ConnectionScope(run.signal, 1_000);
      scope.arm();
      scope.dispose();
    }
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });

  it('the watchdog ends the connection as stale; the run signal is untouched', () => {
    vi.useFakeTimers();
    const run = new AbortController();
    const scope = new ConnectionScope(run.signal, 35_000);
    scope.arm();
    vi.advanceTimersByTime(34_999);
    expect(scope.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(scope.stale).toBeInstanceOf(StaleConnectionError);
    expect(run.signal.aborted).toBe(false);
    scope.dispose();
  });

  it('a user abort ends the connection with its own reason, not as stale', () => {
    const run = new AbortController();
    const scope = new ConnectionScope(run.signal, 35_000);
    const reason = new Error('interrupted');
    run.abort(reason);
    expect(scope.signal.reason).toBe(reason);
    expect(scope.stale).toBeUndefined();
    scope.dispose();
  });
});
