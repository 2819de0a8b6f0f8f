import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ENTRY_BYTES, parseIngestLine } from '../../src/ingest/parse-entry.js';
import { readLines } from '../../src/ingest/read-lines.js';

async function* chunks(...parts: (string | Buffer)[]): AsyncIterable<Buffer> {
  for (const part of parts) yield Buffer.isBuffer(part) ? part : Buffer.from(part);
}

async function all(source: AsyncIterable<Buffer>, maxLineBytes = 64): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readLines(source, { signal: new AbortController().signal, maxLineBytes })) {
    lines.push(line.toString('latin1'));
  }
  return lines;
}

describe('readLines', () => {
  it('splits at newlines across chunk boundaries, with or without a final newline', async () => {
    expect(await all(chunks('a\nb', 'c\n\nd'))).toEqual(['a', 'bc', '', 'd']);
    expect(await all(chunks('a\n'))).toEqual(['a']);
  });

  it('drops a UTF-8 byte order mark at the start only, even when it arrives split', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(
      await all(chunks(Buffer.concat([bom, Buffer.from('{"message":"x"}\n')]), bom, Buffer.from('\n'))),
    ).toEqual(['{"message":"x"}', bom.toString('latin1')]);
    expect(await all(chunks(bom.subarray(0, 1), bom.subarray(1), 'hi'))).toEqual(['hi']);
  });

  it('keeps only the first maxLineBytes + 1 bytes of an overlong line, and goes on after it', async () => {
    const lines = await all(chunks('x'.repeat(50), 'y'.repeat(50), '\nnext\n'), 64);
    expect(lines).toEqual([`${'x'.repeat(50)}${'y'.repeat(15)}`, 'next']);
  });

  it('ends the lines when the signal aborts while the source waits for input', async () => {
    const source = new PassThrough();
    const controller = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const line of readLines(source, { signal: controller.signal, maxLineBytes: 64 })) {
        seen.push(line.toString());
        controller.abort();
      }
    })();
    source.write('first\n');
    await done;
    expect(seen).toEqual(['first']);
  });

  it('fuzz: any bytes in any chunking give the same lines as splitting the whole input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(300), { maxLength: 6 }),
        async (bytes, cuts) => {
          const input = Buffer.from(bytes);
          const points = [...new Set(cuts.map((cut) => Math.min(cut, input.length)))].sort((a, b) => a - b);
          const pieces: Buffer[] = [];
          let from = 0;
          for (const point of [...points, input.length]) {
            pieces.push(input.subarray(from, point));
            from = point;
          }
          let text = input.toString('latin1');
          if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
          const expected = text.split('\n');
          if (expected.at(-1) === '') expected.pop();
          expect(await all(chunks(...pieces), 1_000)).toEqual(expected);
        },
      ),
    );
  });

  it('fuzz: no line of random bytes makes the parser throw; invalid UTF-8 is never sent', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const parsed = parseIngestLine(bytes, { format: 'auto', defaultLevel: 'info' });
        if (!Buffer.from(bytes).equals(Buffer.from(Buffer.from(bytes).toString('utf8')))) {
          expect(parsed.kind).toBe('invalid');
        }
        const sentFffd = Buffer.from(bytes).includes(Buffer.from([0xef, 0xbf, 0xbd]));
        if (parsed.kind === 'entry' && !sentFffd) expect(parsed.entry.message).not.toContain('\uFFFD');
      }),
    );
    expect(
      parseIngestLine(Buffer.alloc(MAX_ENTRY_BYTES + 1, 0x61), { format: 'auto', defaultLevel: 'info' }),
    ).toEqual({
      kind: 'invalid',
      reason: 'longer than the 1 MiB entry limit',
    });
  });
});
