import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type LabelledTailItem, STREAM_FIELD } from '../../src/tail/items.js';
import { runTui, type TuiOptions } from '../../src/tui/run-tui.js';
import { batch, makeEvent } from './fixtures.js';

class FakeTerminalOut extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 20;
  written = '';
  write(chunk: string): boolean {
    this.written += chunk;
    return true;
  }
}

class FakeTerminalIn extends EventEmitter {
  raw = false;
  reading = false;
  setRawMode(raw: boolean) {
    this.raw = raw;
  }
  setEncoding() {}
  resume() {
    this.reading = true;
  }
  pause() {
    this.reading = false;
  }
  type(data: string) {
    this.emit('data', data);
  }
}

/** Items that a test pushes, ending when the TUI stops them. */
function pushedItems() {
  const queue: LabelledTailItem[] = [];
  let wake: (() => void) | undefined;
  let stopped = false;
  let failure: Error | undefined;
  const items: AsyncIterable<LabelledTailItem> = {
    async *[Symbol.asyncIterator]() {
      while (!stopped) {
        if (failure) throw failure;
        const item = queue.shift();
        if (item) yield item;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
  const poke = () => wake?.();
  return {
    items,
    push: (item: LabelledTailItem) => {
      queue.push(item);
      poke();
    },
    fail: (error: Error) => {
      failure = error;
      poke();
    },
    stop: () => {
      stopped = true;
      poke();
    },
    get stopped() {
      return stopped;
    },
  };
}

function start(overrides: Partial<TuiOptions> = {}) {
  const stdout = new FakeTerminalOut();
  const stdin = new FakeTerminalIn();
  const source = pushedItems();
  const controller = new AbortController();
  const running = runTui({
    items: source.items,
    stopItems: source.stop,
    signal: controller.signal,
    keys: stdin,
    stdout,
    env: {},
    capacity: 100,
    colorLevel: 0,
    query: 'severity >= warn',
    copyPath: '/dev/null',
    ...overrides,
  });
  const tui = { stdout, stdin, source, controller, running };
  started.push(tui);
  return tui;
}

const LEAVE = '\x1b[?25h\x1b[?1049l';

const started: Array<{ controller: AbortController; running: Promise<unknown> }> = [];
afterEach(async () => {
  for (const tui of started.splice(0)) {
    tui.controller.abort();
    await tui.running.catch(() => undefined);
  }
});

describe('runTui', () => {
  it('opens the alternate screen, draws what arrives, and on q stops the tail and gives the screen back', async () => {
    const tui = start();
    expect(tui.stdout.written.startsWith('\x1b[?1049h')).toBe(true);
    tui.source.push({ kind: 'live', url: 'u' });
    tui.source.push(batch(0, 3));
    await vi.waitFor(() => expect(tui.stdout.written).toContain('request 2 done'), { timeout: 5000 });
    expect(tui.stdin.raw).toBe(true);
    tui.stdin.type('q');
    await expect(tui.running).resolves.toBe('quit');
    expect(tui.source.stopped).toBe(true);
    expect(tui.stdout.written.endsWith(LEAVE)).toBe(true);
    expect(tui.stdout.written.split(LEAVE)).toHaveLength(2);
    expect(tui.stdin).toMatchObject({ raw: false, reading: false });
    expect(tui.stdin.listenerCount('data')).toBe(0);
    expect(tui.stdout.listenerCount('resize')).toBe(0);
  });

  it('answers a key with a frame at once, and redraws everything after a resize', async () => {
    const tui = start();
    tui.source.push(batch(0, 3));
    await vi.waitFor(() => expect(tui.stdout.written).toContain('request 2 done'), { timeout: 5000 });
    tui.stdout.written = '';
    tui.stdin.type(' ');
    // Synchronously: no frame interval between the key and its answer.
    expect(tui.stdout.written).toContain('PAUSED');
    tui.stdout.written = '';
    tui.stdout.columns = 60;
    tui.stdout.emit('resize');
    expect(tui.stdout.written).toContain('\x1b[2J');
    expect(tui.stdout.written).toContain('request 2 done');
  });

  it('gives the terminal back through the guard when the process ends under it', async () => {
    let restore: (() => void) | undefined;
    const unguard = vi.fn();
    const tui = start({
      guardTerminal: (giveBack) => {
        restore = giveBack;
        return unguard;
      },
    });
    // As the process's exit handler would, before the view closed.
    restore?.();
    expect(tui.stdout.written.endsWith(LEAVE)).toBe(true);
    expect(tui.stdin.raw).toBe(false);
    tui.stdin.type('q');
    await tui.running;
    expect(unguard).toHaveBeenCalledOnce();
    expect(tui.stdout.written.split(LEAVE)).toHaveLength(2);
  });

  it('Ctrl-C goes to the interrupt path when there is one, and ends when it aborts the signal', async () => {
    const interrupts = new AbortController();
    const onInterrupt = vi.fn(() => interrupts.abort(new Error('interrupted')));
    const withPath = start({ onInterrupt, signal: interrupts.signal });
    withPath.stdin.type('\x03');
    await expect(withPath.running).resolves.toBe('aborted');
    expect(onInterrupt).toHaveBeenCalledOnce();
    const tui = start();
    tui.stdin.type('\x03');
    await expect(tui.running).resolves.toBe('interrupted');
    expect(tui.stdout.written.endsWith(LEAVE)).toBe(true);
  });

  it('a failing tail closes the view, restores the terminal and rethrows', async () => {
    const tui = start();
    tui.source.push(batch(0, 1));
    tui.source.fail(new Error('401 token revoked'));
    await expect(tui.running).rejects.toThrow('401 token revoked');
    expect(tui.stdout.written.endsWith(LEAVE)).toBe(true);
  });

  it.each([
    ['count', undefined],
    ['scope-destroyed', 'token revoked'],
    ['server-stop', 'the server asked not to reconnect (204)'],
  ] as const)('a tail that ends on its own (%s) closes the view', async (reason, detail) => {
    const tui = start();
    tui.source.push(batch(0, 2));
    tui.source.push({ kind: 'ended', reason, detail });
    await expect(tui.running).resolves.toBe('ended');
    expect(tui.source.stopped).toBe(true);
    expect(tui.stdout.written.endsWith(LEAVE)).toBe(true);
  });

  it("a merged tail: a label column, each stream's state, and one stream ending does not close the view", async () => {
    const tui = start({ streams: ['api', 'proxy-logs', 'dead'] });
    tui.stdout.columns = 160;
    tui.stdout.emit('resize');
    const labelled = (stream: string, n: number): LabelledTailItem => ({
      kind: 'batch',
      stream,
      events: [{ event: makeEvent(n, { [STREAM_FIELD]: stream }), stream }],
    });
    tui.source.push({ kind: 'live', url: 'a', stream: 'api' });
    tui.source.push({ kind: 'live', url: 'p', stream: 'proxy-logs' });
    tui.source.push(labelled('api', 1));
    tui.source.push(labelled('proxy-logs', 2));
    tui.source.push({
      kind: 'reconnecting',
      attempt: 2,
      delayMs: 3000,
      reason: 'connection refused',
      stream: 'dead',
    });
    tui.source.push({ kind: 'ended', reason: 'failed', detail: 'cannot connect', stream: 'dead' });
    tui.source.push(labelled('api', 3));
    const screen = () => tui.stdout.written.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '\n');
    await vi.waitFor(() => expect(screen()).toContain('request 3 done'), { timeout: 5000 });
    // The name in a column as wide as the longest, and not again among the fields.
    expect(screen()).toMatch(/^ api {8}\S+ INFO {2}payments +request 1 done n=1$/m);
    expect(screen()).toMatch(/^ proxy-logs \S+ NOTE {2}auth +request 2 done n=2$/m);
    expect(screen()).not.toMatch(/_stream/);
    expect(screen()).toMatch(/^● 2 of 3 streams live · following/m);
    expect(screen()).toMatch(
      /^● api live 2 · ● proxy-logs live 1 · ■ dead ended \(failed: cannot connect\) 0$/m,
    );
    expect(screen()).toMatch(/reconnects 1/);
    // Narrow: the count of live streams said briefly, before the rate.
    tui.stdout.columns = 24;
    tui.stdout.emit('resize');
    await vi.waitFor(() => expect(screen()).toMatch(/^● 2\/3 live · following/m), { timeout: 5000 });
    tui.stdin.type('q');
    await expect(tui.running).resolves.toBe('quit');
  });

  it('shows diverted notices in the status line and stops diverting when it ends', async () => {
    let sink: ((line: string) => void) | undefined;
    const restore = vi.fn();
    const tui = start({
      divertChatter: (to) => {
        sink = to;
        return restore;
      },
    });
    sink?.('sotail: warning: \x1b[33mslow down\x1b[39m');
    await vi.waitFor(() => expect(tui.stdout.written).toContain('⚠ sotail: warning: slow down'));
    tui.stdin.type('q');
    await tui.running;
    expect(restore).toHaveBeenCalledOnce();
  });
});

describe('runTui: a burst already read', () => {
  it('a key typed while a long burst is being applied is answered inside it, not after it', async () => {
    // Items that are all there at once, as a burst in the socket's buffer is: the generator never
    // waits for I/O, so without the view letting the event loop in, the key would wait for all.
    const total = 200_000;
    let consumed = 0;
    let stopped = false;
    const items: AsyncIterable<LabelledTailItem> = {
      async *[Symbol.asyncIterator]() {
        while (!stopped && consumed < total) {
          consumed += 1;
          yield batch(consumed, 1);
        }
      },
    };
    const tui = start({ items, stopItems: () => (stopped = true) });
    setImmediate(() => tui.stdin.type('q'));
    await expect(tui.running).resolves.toBe('quit');
    expect(consumed).toBeLessThan(total / 2);
  });
});
