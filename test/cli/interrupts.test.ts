import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProfileStore } from '../../src/cli/connect.js';
import { createInterrupts } from '../../src/cli/interrupts.js';
import { InterruptedError } from '../../src/errors.js';
import { fakeContext } from '../helpers/in-process.js';

describe('the interrupt path', () => {
  it('the first interrupt aborts with its reason; only a second one forces the exit', () => {
    const controller = new AbortController();
    let forced = 0;
    const interrupts = createInterrupts(controller, () => {
      forced += 1;
    });
    const reason = new InterruptedError('interrupted (SIGINT)');
    interrupts.interrupt(reason);
    expect(controller.signal.reason).toBe(reason);
    expect(forced).toBe(0);
    interrupts.interrupt(new InterruptedError('again'));
    expect(forced).toBe(1);
  });

  it('loading the profile store (conf) adds no SIGINT or SIGTERM handler of its own', async () => {
    // conf's when-exit re-raises the signal after its clean-ups, which the entry point would take
    // for the user's second Ctrl-C and exit before the command has written what it owes.
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const { context } = fakeContext({
      env: { SOTAIL_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'sotail-int-')) },
    });
    await openProfileStore(context);
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
  });
});

describe('modules that must not load conf', () => {
  it('login and the commands load conf only through the profile store', async () => {
    const before = process.listenerCount('SIGINT');
    await import('../../src/config/login.js');
    await import('../../src/cli/commands/index.js');
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
