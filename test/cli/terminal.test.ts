import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openKeyboard } from '../../src/cli/terminal.js';

/** File descriptors this process has open. */
const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('openKeyboard', () => {
  it('takes stdin when it is a terminal', () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin });
    expect(openKeyboard(stdin)?.stream).toBe(stdin);
  });

  it.skipIf(process.platform !== 'linux')(
    'is undefined, holding nothing open, when there is no terminal to read keys from',
    () => {
      const notATerminal = join(tmpdir(), `sotail-not-a-tty-${process.pid}`);
      writeFileSync(notATerminal, '');
      const before = openFds();
      expect(openKeyboard(new PassThrough(), '/nonexistent/tty')).toBeUndefined();
      expect(openKeyboard(new PassThrough(), notATerminal)).toBeUndefined();
      expect(openFds()).toBe(before);
    },
  );
});
