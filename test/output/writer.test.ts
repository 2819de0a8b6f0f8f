import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputClosedError } from '../../src/errors.js';
import { OutputWriter, writeAll } from '../../src/output/writer.js';

describe('OutputWriter', () => {
  it('waits for drain when the reader is slow, and loses nothing', async () => {
    const received: string[] = [];
    let release: (() => void) | undefined;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk.toString());
        release = callback;
      },
    });
    const writer = new OutputWriter(slow);
    const line = `${'x'.repeat(99)}\n`;
    let waited: Promise<void> | undefined;
    for (let i = 0; i < 2000 && !waited; i++) waited = writer.write(line);
    expect(waited).toBeInstanceOf(Promise);
    let drained = false;
    void waited!.then(() => {
      drained = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    release!();
    await waited;
    expect(drained).toBe(true);
  });

  it('end() flushes everything queued', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const writer = new OutputWriter(stream);
    writer.write('a\n');
    writer.write('b\n');
    await writer.end();
    expect(text).toBe('a\nb\n');
  });

  it('turns a closed pipe (EPIPE) into OutputClosedError', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const writer = new OutputWriter(broken);
    writer.write('x');
    await expect(writer.end()).rejects.toBeInstanceOf(OutputClosedError);
    expect(() => writer.write('more')).toThrow(OutputClosedError);
  });

  it('leaves no listener on the stream once ended, however many pieces a run writes', async () => {
    const stream = new PassThrough();
    stream.resume();
    const before = stream.listenerCount('error');
    for (let i = 0; i < 20; i++) await writeAll(stream, `piece ${i}\n`);
    expect(stream.listenerCount('error')).toBe(before);
  });
});
