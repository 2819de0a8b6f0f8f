/**
 * `sotail tail --url` reads a hostile stream the same with its WebAssembly decoder (the default)
 * as with the JavaScript one (`SOTAIL_DECODER=js`): the same bytes on stdout, every line one JSON
 * object in valid UTF-8, the same warnings, the same exit.
 */
import { isUtf8 } from 'node:buffer';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const DEEP = 5_000;
/** Seven events among frames that are not: read by their shapes, with no dedupe (no history). */
const STREAM = Buffer.concat([
  Buffer.from('\uFEFF: hello\r\nretry: 10\r'),
  Buffer.from('id: 1\ndata: {"event_id":"e1","message":"plain"}\n\n'),
  Buffer.from('id: 2\ndata: {"event_id":"e2",\ndata: "message":"over two lines"}\n\n'),
  Buffer.from('id: 3\ndata: {"event_id":"e3","message":"a bad byte '),
  Buffer.from([0xff, 0xc0, 0x80]),
  Buffer.from('"}\n\nid: 4\ndata: not json\n\nid: 5\ndata: [1,2]\n\n'),
  Buffer.from(`id: 6\ndata: {"event_id":"e6","deep":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}\r\n\r\n`),
  Buffer.from('id: 7\ndata: {"event_id":"e1","message":"the same id again"}\n\n'),
  Buffer.from('id: 8\ndata:{"event_id":"e8","n":-0.0e+5}\r\r'),
  Buffer.from('id: 9\ndata: {"n":01}\n\n: comment\nevent: nothing-we-know\ndata: {"a":1}\n\n'),
  Buffer.from('id: 10\ndata: {"event_id":"e10","s":"\u00e9\ud83d\ude00 \\u00e9 \\ud83d\\ude00"}\n\n'),
]);
const EVENTS = 7;

/** Serves STREAM to every GET, in pieces cut at awkward places (inside the BOM, between CR and LF). */
async function hostileStream(): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const [from, to] of [
      [0, 1],
      [1, 2],
      [2, 17],
      [17, 90],
      [90, 200],
      [200, STREAM.length],
    ] as const)
      res.write(STREAM.subarray(from, to));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
}

test('the WebAssembly and the JavaScript decoders write the same NDJSON of a hostile stream', async () => {
  // What the bundle loads (src/wasm/module.ts): without it both runs would be JavaScript.
  expect(existsSync(join(REPO_ROOT, 'dist', 'sse-ndjson.wasm'))).toBe(true);
  const url = await hostileStream();
  const run = (decoder: string | undefined) =>
    runCli(['tail', '--url', url, '-o', 'ndjson', '--count', String(EVENTS)], {
      env: { SOTAIL_API_URL: '', SOTAIL_TOKEN: '', SOTAIL_DECODER: decoder },
    });
  const [wasm, js] = [await run(undefined), await run('js')];
  expect(js.code, js.stderr).toBe(0);
  expect(wasm.code, wasm.stderr).toBe(0);
  expect(wasm.stdout).toBe(js.stdout);
  expect(wasm.stderr).toBe(js.stderr);
  const lines = js.stdout.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines.map((line) => (JSON.parse(line) as { event_id: string }).event_id)).toEqual([
    'e1',
    'e2',
    'e3',
    'e6',
    'e1',
    'e8',
    'e10',
  ]);
  expect(isUtf8(Buffer.from(js.stdout))).toBe(true);
  expect(js.stderr).toContain('skipped a frame');
});
