/**
 * B1c: how far B1 and B2 can go in Node on this machine. Minimal reference programs, written only
 * to measure and knowing the firehose's exact shape (`id:` line, one `data:` line, blank line),
 * run as the same pipelines as B1 (`… | wc -l`) beside its baseline, alternating runs:
 *
 * - `read`:   undici reads the stream and writes every chunk untouched (no event looked at);
 * - `split`:  + each `data:` line moved to the front of its chunk, one line per event, unchecked;
 * - `scan`:   + each line checked by the tail's JSON byte scanner (what makes the output safe);
 * - `worker`: `scan`'s splitting and checking in a worker thread, in parallel with the reads and
 *             writes of the main thread (up to four chunks in flight);
 * - `parse`:  `split` + `JSON.parse` of each line and the shortest human line (time, level,
 *             source, message): less than any pretty line, so B2's ceiling;
 * - `wasm`:   undici's body stream into the tail's WebAssembly framer (SSE framing and the JSON
 *             check of every frame, one call per chunk), its NDJSON output written as it comes;
 * - `wasm-dispatch`: the same behind undici's dispatch API, a handler instead of the body stream
 *             (no Readable, no async iterator; the socket is paused while stdout drains);
 * - `sotail`: `sotail tail --url … -o ndjson`, as in B1; `sotail-js` the same with its
 *             JavaScript decoder (`SOTAIL_DECODER=js`).
 *
 * Each row is a ratio to the baseline and has no target of its own: it says which B1/B2 figures
 * are reachable at all (docs/performance.md). This file is also the reference program: the
 * benchmark runs itself with `--program MODE URL`, and `worker` starts it as its worker thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { type Dispatcher, getGlobalDispatcher, request } from 'undici';
import { JSON_OBJECT, JsonByteScanner } from '../../src/util/json-bytes.js';
import { sseWasmModule } from '../../src/wasm/module.js';
import { M_FLAGS, META_INTS, V_OBJECT, VERDICT_MASK, WasmSseFramer } from '../../src/wasm/sse-framer.js';
import { startFirehose } from './firehose.js';
import { BIN, emit, log, median } from './lib.js';
import { quote, type Run, timed } from './tail-throughput.js';

const EVENTS = Number(process.env.BENCH_TAIL_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_TAIL_RUNS ?? 5);
/** Only these pipelines besides the baseline (`BENCH_B1C_ONLY=wasm,sotail`), for a quicker look. */
const ONLY = process.env.BENCH_B1C_ONLY?.split(',');
const NEWLINE = 0x0a;
const IN_FLIGHT = 4;

type Mode = 'read' | 'split' | 'scan' | 'worker' | 'parse' | 'wasm' | 'wasm-dispatch';
const MODES: Record<Mode, string> = {
  read: 'undici read, chunks written untouched',
  split: '+ one line per event, unchecked',
  scan: '+ JSON byte scan of each line (1 thread)',
  worker: 'split + scan in a worker thread',
  parse: 'split + JSON.parse + time/level/source/message',
  wasm: 'undici read + WebAssembly framing and JSON check',
  'wasm-dispatch': 'the same, undici dispatch handler, no body stream',
};

/**
 * Splits the firehose's frames, keeping each `data:` line whose check passes, moved to the front
 * of `bytes` (which it overwrites); returns where the kept lines end and the unfinished tail.
 */
function compactDataLines(
  bytes: Uint8Array,
  keep: ((bytes: Uint8Array, start: number, end: number) => boolean) | undefined,
): { end: number; rest: Uint8Array } {
  let from = 0;
  let end = 0;
  for (;;) {
    const newline = bytes.indexOf(NEWLINE, from);
    if (newline === -1) break;
    // `data: ` is the only line starting with `d` that this firehose sends.
    if (bytes[from] === 0x64 && (keep === undefined || keep(bytes, from + 6, newline))) {
      bytes.copyWithin(end, from + 6, newline + 1);
      end += newline - from - 5;
    }
    from = newline + 1;
  }
  return { end, rest: bytes.slice(from) };
}

/** Joins what was left of the previous chunk with the next one, in a buffer of our own. */
function joined(rest: Uint8Array, chunk: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(rest.length + chunk.length);
  bytes.set(rest);
  bytes.set(chunk, rest.length);
  return bytes;
}

function scanKeep(): (bytes: Uint8Array, start: number, end: number) => boolean {
  const scanner = new JsonByteScanner();
  return (bytes, start, end) => scanner.scan(bytes, start, end) === JSON_OBJECT;
}

async function write(bytes: Uint8Array | string): Promise<void> {
  if (!process.stdout.write(bytes)) await new Promise((resolve) => process.stdout.once('drain', resolve));
}

/** A framer over the tail's WebAssembly module; what it returns is the NDJSON of the chunk's valid events. */
function wasmFramer(): (chunk: Uint8Array) => Uint8Array {
  const module = sseWasmModule();
  if (module === undefined) throw new Error('no dist/sse-ndjson.wasm: run the build');
  const framer = new WasmSseFramer(module, { maxFrameBytes: 8 << 20, initialId: '' });
  return (chunk) => {
    const { frames, records, out } = framer.feed(chunk);
    for (let at = 0; at < frames * META_INTS; at += META_INTS) {
      // This firehose sends valid events only: anything else would need the output filtered.
      if ((records[at + M_FLAGS]! & VERDICT_MASK) !== V_OBJECT) throw new Error('a frame failed the check');
    }
    return out;
  };
}

/** `wasm-dispatch`: undici's dispatch API, each chunk framed as it arrives, the socket paused while stdout drains. */
function runDispatch(url: string): Promise<void> {
  const frame = wasmFramer();
  const { origin, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart() {},
      onResponseStart(_controller, status) {
        if (status !== 200) reject(new Error(`HTTP ${status}`));
      },
      onResponseData(controller, chunk) {
        if (!process.stdout.write(frame(chunk))) {
          controller.pause();
          process.stdout.once('drain', () => controller.resume());
        }
      },
      onResponseEnd: () => resolve(),
      onResponseError: (_controller, error) => reject(error),
    };
    getGlobalDispatcher().dispatch({ origin, path: pathname, method: 'GET' }, handler);
  });
}

async function runProgram(mode: Mode, url: string): Promise<void> {
  if (mode === 'wasm-dispatch') return runDispatch(url);
  const { body } = await request(url);
  if (mode === 'worker') return runWithWorker(body);
  const keep = mode === 'scan' ? scanKeep() : undefined;
  let rest: Uint8Array = new Uint8Array(0);
  const frame = mode === 'wasm' ? wasmFramer() : undefined;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    if (frame !== undefined) {
      await write(frame(chunk));
      continue;
    }
    if (mode === 'read') {
      await write(chunk);
      continue;
    }
    const bytes = joined(rest, chunk);
    if (mode === 'parse') {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
      const lastNewline = text.lastIndexOf('\n');
      let out = '';
      for (const line of text.slice(0, lastNewline).split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const event = JSON.parse(line.slice(6)) as Record<string, string>;
        out += `${event.ts} ${event.severity} ${event.source} ${event.message}\n`;
      }
      rest = Buffer.from(text.slice(lastNewline + 1));
      await write(out);
      continue;
    }
    const kept = compactDataLines(bytes, keep);
    rest = kept.rest;
    await write(bytes.subarray(0, kept.end));
  }
}

/** The main thread of `worker`: reads, hands a copy of each chunk over, writes what comes back in order. */
async function runWithWorker(body: AsyncIterable<Uint8Array>): Promise<void> {
  const worker = new Worker(fileURLToPath(import.meta.url));
  const waiting = new Map<number, (lines: Uint8Array) => void>();
  worker.on('message', ({ seq, lines }: { seq: number; lines: Uint8Array }) => {
    waiting.get(seq)?.(lines);
    waiting.delete(seq);
  });
  let sent = 0;
  const check = (chunk: Uint8Array): Promise<Uint8Array> => {
    const copy = new Uint8Array(chunk);
    const seq = sent++;
    return new Promise((resolve) => {
      waiting.set(seq, resolve);
      worker.postMessage({ seq, bytes: copy }, [copy.buffer]);
    });
  };
  const chunks = body[Symbol.asyncIterator]();
  let next = chunks.next();
  const inFlight: Promise<Uint8Array>[] = [];
  let ended = false;
  for (;;) {
    if (!ended && inFlight.length < IN_FLIGHT) {
      // Read ahead while the worker checks; write once the oldest chunk is back.
      const first = await (inFlight.length === 0
        ? next.then((read) => ({ read }))
        : Promise.race([next.then((read) => ({ read })), inFlight[0]!.then(() => undefined)]));
      if (first !== undefined) {
        if (first.read.done) ended = true;
        else {
          inFlight.push(check(first.read.value));
          next = chunks.next();
        }
        continue;
      }
    }
    const oldest = inFlight.shift();
    if (oldest === undefined) break;
    await write(await oldest);
  }
  await worker.terminate();
}

function runScanWorker(): void {
  const keep = scanKeep();
  let rest: Uint8Array = new Uint8Array(0);
  parentPort!.on('message', ({ seq, bytes }: { seq: number; bytes: Uint8Array }) => {
    const all = rest.length === 0 ? bytes : joined(rest, bytes);
    const kept = compactDataLines(all, keep);
    rest = kept.rest;
    const lines = all.subarray(0, kept.end);
    parentPort!.postMessage({ seq, lines }, [lines.buffer as ArrayBuffer]);
  });
}

async function runCeiling(): Promise<void> {
  const firehose = await startFirehose(EVENTS);
  const dir = mkdtempSync(join(tmpdir(), 'sotail-b1c-'));
  const statsFile = join(dir, 'stats');
  const env = { ...process.env, SOTAIL_CONFIG_DIR: dir, SOTAIL_API_URL: 'http://127.0.0.1:9' };
  const self = fileURLToPath(import.meta.url);
  const node = quote(process.execPath);
  const pipelines: [string, string][] = [
    ['baseline', `curl -sN ${quote(firehose.url)} | sed -n 's/^data: //p' | wc -l`],
    ...(Object.keys(MODES) as Mode[]).map((mode): [string, string] => [
      mode,
      `${node} ${quote(self)} --program ${mode} ${quote(firehose.url)} | wc -l`,
    ]),
    ['sotail', `${node} ${quote(BIN)} tail --url ${quote(firehose.url)} -o ndjson --count ${EVENTS} | wc -l`],
    [
      'sotail-js',
      `SOTAIL_DECODER=js ${node} ${quote(BIN)} tail --url ${quote(firehose.url)} -o ndjson --count ${EVENTS} | wc -l`,
    ],
  ];
  if (ONLY)
    pipelines.splice(1, pipelines.length, ...pipelines.slice(1).filter(([name]) => ONLY.includes(name)));
  const load = loadavg()[0]!.toFixed(1);
  log(`B1c: ${EVENTS.toLocaleString('en-US')} events, load ${load}`);
  const runs = new Map<string, Run[]>(pipelines.map(([name]) => [name, []]));
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [name, script] of pipelines) {
        const run = await timed(script, env, statsFile);
        // `read` passes each frame's three lines (`id:`, `data:`, blank) through; the rest, one per event.
        const lines = name === 'read' ? 3 * EVENTS : EVENTS;
        if (run.lines !== lines) throw new Error(`${name} printed ${run.lines} lines, not ${lines}`);
        runs.get(name)!.push(run);
      }
      log(
        `  round ${i + 1}: ${pipelines.map(([name]) => `${name} ${runs.get(name)!.at(-1)!.ms.toFixed(0)}`).join(', ')} ms`,
      );
    }
  } finally {
    await firehose.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = (name: string): number => median(runs.get(name)!.map((run) => run.ms));
  const cpu = (name: string): number => median(runs.get(name)!.map((run) => run.cpuMs));
  const base = ms('baseline');
  for (const [name] of pipelines.slice(1)) {
    emit({
      bench: 'B1c',
      what:
        name === 'sotail'
          ? 'sotail tail -o ndjson (as B1)'
          : name === 'sotail-js'
            ? 'sotail tail -o ndjson, SOTAIL_DECODER=js'
            : `reference ${name}: ${MODES[name as Mode]}`,
      figure: `${ms(name).toFixed(0)} ms, CPU ${cpu(name).toFixed(0)} ms (CPU ratio ${(cpu('baseline') / cpu(name)).toFixed(2)}×)`,
      baseline: `curl | sed | wc: ${base.toFixed(0)} ms`,
      ratio: base / ms(name),
      target: '— (what B1/B2 can reach)',
      notes: name === 'sotail' ? `median of ${RUNS} alternating runs, load average ${load}` : undefined,
    });
  }
}

if (!isMainThread) runScanWorker();
else if (process.argv[2] === '--program') await runProgram(process.argv[3] as Mode, process.argv[4]!);
else await runCeiling();
