/**
 * Reading a token without it landing in shell history or on screen: a hidden prompt on a
 * terminal (raw mode, nothing echoed, the terminal restored however it ends) or the whole of a
 * piped stdin (`--token-stdin`). Both take the streams as parameters; neither touches `process`.
 */
import { StringDecoder } from 'node:string_decoder';
import { InterruptedError, UsageError } from '../errors.js';
import type { InputStream, OutputStream } from '../util/streams.js';

/** More than any token; a bigger stdin is a mistake (a file piped by accident), not a token. */
const MAX_SECRET_BYTES = 16 * 1024;

interface RawModeStream extends InputStream {
  isRaw?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/** True when `stdin` is a terminal that can hide what is typed. */
export function canPromptHidden(stdin: InputStream): boolean {
  return stdin.isTTY === true && typeof (stdin as RawModeStream).setRawMode === 'function';
}

/**
 * Shows `prompt` on `output` and reads one line from the terminal without echoing it.
 * Enter ends the line, Backspace and Ctrl-U edit it, Ctrl-C rejects with InterruptedError,
 * Ctrl-D on an empty line with UsageError; escape sequences (arrow keys) are ignored.
 */
export function readHiddenLine(
  stdin: InputStream,
  output: OutputStream,
  prompt: string,
  signal?: AbortSignal,
): Promise<string> {
  const tty = stdin as RawModeStream;
  if (!canPromptHidden(stdin) || !tty.setRawMode) {
    return Promise.reject(new UsageError('cannot prompt for a hidden token: stdin is not a terminal'));
  }
  if (signal?.aborted) return Promise.reject(signal.reason);
  const setRawMode = tty.setRawMode.bind(tty);
  const wasRaw = tty.isRaw === true;
  output.write(prompt);
  setRawMode(true);
  const decoder = new StringDecoder('utf8');
  const characters: string[] = [];
  let escapeState: 'none' | 'started' | 'sequence' = 'none';

  return new Promise<string>((resolve, reject) => {
    const finish = (error: unknown, value?: string): void => {
      stdin.off('data', onData);
      signal?.removeEventListener('abort', onAbort);
      setRawMode(wasRaw);
      stdin.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value ?? '');
    };
    const onAbort = (): void => finish(signal?.reason);
    const onData = (chunk: Buffer | string): void => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      for (const char of text) {
        if (escapeState === 'started') {
          escapeState = char === '[' || char === 'O' ? 'sequence' : 'none';
          continue;
        }
        if (escapeState === 'sequence') {
          if (char >= '@' && char <= '~') escapeState = 'none';
          continue;
        }
        switch (char) {
          case '\r':
          case '\n':
            finish(undefined, characters.join(''));
            return;
          case '\u0003': // raw mode delivers Ctrl-C as input, not as SIGINT
            finish(new InterruptedError('interrupted (Ctrl-C)'));
            return;
          case '\u0004':
            if (characters.length === 0) {
              finish(new UsageError('no token entered'));
              return;
            }
            break;
          case '\u007f':
          case '\b':
            characters.pop();
            break;
          case '\u0015':
            characters.length = 0;
            break;
          case '\u001b':
            escapeState = 'started';
            break;
          default:
            if (char >= ' ') characters.push(char);
        }
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    stdin.on('data', onData);
    stdin.resume();
  });
}

/**
 * Reads a piped stdin to its end and returns the one token in it (surrounding whitespace and the
 * final newline dropped). UsageError when it is empty, holds several lines, or is far too big.
 */
export async function readSecretFromStream(stdin: InputStream, signal?: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  const onAbort = (): void => {
    (stdin as InputStream & { destroy?: () => void }).destroy?.();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stdin) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      bytes += buffer.length;
      if (bytes > MAX_SECRET_BYTES) {
        throw new UsageError(`stdin holds more than ${MAX_SECRET_BYTES} bytes: that is not a token`);
      }
      chunks.push(buffer);
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (signal?.aborted) throw signal.reason;
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') {
    throw new UsageError('no token on stdin', {
      hint: 'pipe it in: `printenv SOTAIL_NEW_TOKEN | sotail login --token-stdin`',
    });
  }
  if (/[\r\n]/.test(text)) throw new UsageError('stdin holds several lines; expected the token alone');
  return text;
}
