import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { canPromptHidden, readHiddenLine, readSecretFromStream } from '../../src/config/secret-input.js';
import { InterruptedError, UsageError } from '../../src/errors.js';

/** A fake terminal: records raw-mode switches, and what was echoed to the output. */
function fakeTerminal() {
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    rawModes: [] as boolean[],
    setRawMode(mode: boolean) {
      this.rawModes.push(mode);
      this.isRaw = mode;
      return this;
    },
  });
  const output = new PassThrough();
  let echoed = '';
  output.on('data', (chunk: Buffer) => {
    echoed += chunk.toString();
  });
  return { stdin, output, echoed: () => echoed };
}

describe('readHiddenLine', () => {
  it('reads a line without echoing it and restores the terminal', async () => {
    const terminal = fakeTerminal();
    const line = readHiddenLine(terminal.stdin, terminal.output, 'Token: ');
    terminal.stdin.write('so_test_');
    terminal.stdin.write('secret\r');
    expect(await line).toBe('so_test_secret');
    expect(terminal.echoed()).toBe('Token: \n');
    expect(terminal.stdin.rawModes).toEqual([true, false]);
  });

  it('handles backspace, Ctrl-U, arrow keys and a UTF-8 character split across chunks', async () => {
    const terminal = fakeTerminal();
    const line = readHiddenLine(terminal.stdin, terminal.output, '> ');
    terminal.stdin.write('junk\u0015ab\u007fc\u001b[Dd');
    const e = Buffer.from('é');
    terminal.stdin.write(e.subarray(0, 1));
    terminal.stdin.write(Buffer.concat([e.subarray(1), Buffer.from('\n')]));
    expect(await line).toBe('acdé');
  });

  it('rejects with InterruptedError on Ctrl-C (raw mode swallows SIGINT) and restores the terminal', async () => {
    const terminal = fakeTerminal();
    const line = readHiddenLine(terminal.stdin, terminal.output, '> ');
    terminal.stdin.write('abc\u0003');
    await expect(line).rejects.toBeInstanceOf(InterruptedError);
    expect(terminal.stdin.isRaw).toBe(false);
  });

  it('rejects on Ctrl-D with nothing typed, and when the signal aborts', async () => {
    const terminal = fakeTerminal();
    const empty = readHiddenLine(terminal.stdin, terminal.output, '> ');
    terminal.stdin.write('\u0004');
    await expect(empty).rejects.toBeInstanceOf(UsageError);

    const controller = new AbortController();
    const reason = new InterruptedError('SIGTERM');
    const aborted = readHiddenLine(terminal.stdin, terminal.output, '> ', controller.signal);
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    expect(terminal.stdin.rawModes.at(-1)).toBe(false);
  });

  it('is only offered on a terminal', async () => {
    const pipe = new PassThrough();
    expect(canPromptHidden(pipe)).toBe(false);
    await expect(readHiddenLine(pipe, new PassThrough(), '> ')).rejects.toBeInstanceOf(UsageError);
  });
});

describe('readSecretFromStream', () => {
  const from = (text: string) => {
    const stream = new PassThrough();
    stream.end(text);
    return stream;
  };

  it('returns the one token, without the trailing newline', async () => {
    expect(await readSecretFromStream(from('so_test_abc\n'))).toBe('so_test_abc');
    expect(await readSecretFromStream(from('  so_test_abc \r\n'))).toBe('so_test_abc');
  });

  it.each([
    ['', /no token on stdin/],
    ['\n\n', /no token on stdin/],
    ['a\nb\n', /several lines/],
    ['x'.repeat(20_000), /not a token/],
  ])('refuses %j', async (text, message) => {
    await expect(readSecretFromStream(from(text))).rejects.toThrow(message);
  });
});
