/**
 * B8 (docs/performance.md): 3 filtered tails on a 50k events/s log — no tail falls behind.
 *
 * The mock runs as its own process (`sotail mock --rate 50000`), as a user would run it; this
 * process holds three SSE tails with different filters, all resumed from the same cursor, for
 * WINDOW_MS. Figures per tail: events received vs events in the log matching its filter over the
 * same cursor range (`/_mock/count`), and the delivery lag (now − ingested_at of the newest event
 * received), sampled every second: it must stay flat, not grow.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';

const RATE = 50_000;
const WINDOW_MS = 10_000;
const WARMUP_MS = 1_000;
/** After the window, tails get this long to deliver what the last polls found (2 poll intervals). */
const GRACE_MS = 500;
const FILTERS = [
  'severity >= warn',
  'source IN (api, web)',
  'message ~ "timeout|declined|failed" OR payload.status >= 500',
];

const root = join(import.meta.dirname, '..', '..');
const agent = new Agent({ bodyTimeout: 0, headersTimeout: 10_000 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TailCounter {
  filter: string;
  received: number;
  lastSeq: number;
  lastIngestedMs: number;
  lagSamples: number[];
  /** Events with a seq up to `through`, counted once the window closes. */
  countThrough(through: number): number;
  close(): void;
}

async function openTail(url: string, filter: string, after: string): Promise<TailCounter> {
  const abort = new AbortController();
  const seqs: number[] = [];
  const response = await request(`${url}/query/tail`, {
    method: 'POST',
    dispatcher: agent,
    signal: abort.signal,
    headers: {
      authorization: 'Bearer so_test_sotail_dev',
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'last-event-id': after,
    },
    body: JSON.stringify({ q: filter }),
  });
  if (response.statusCode !== 200) throw new Error(`tail ${filter}: HTTP ${response.statusCode}`);
  const counter: TailCounter = {
    filter,
    received: 0,
    lastSeq: 0,
    lastIngestedMs: 0,
    lagSamples: [],
    countThrough: (through) => seqs.filter((seq) => seq <= through).length,
    close: () => abort.abort(),
  };
  // A cheap frame reader: ids and ingested_at are all it needs, so no JSON.parse per event.
  (async () => {
    const decoder = new TextDecoder();
    let pending = '';
    for await (const chunk of response.body) {
      pending += decoder.decode(chunk as Buffer, { stream: true });
      const end = pending.lastIndexOf('\n\n');
      if (end < 0) continue;
      const complete = pending.slice(0, end);
      pending = pending.slice(end + 2);
      for (const frame of complete.split('\n\n')) {
        if (!frame.startsWith('id: ')) continue;
        const seq = Number(frame.slice(4, frame.indexOf('\n')));
        const at = frame.indexOf('"ingested_at":"');
        seqs.push(seq);
        counter.received += 1;
        counter.lastSeq = seq;
        if (at >= 0) counter.lastIngestedMs = Date.parse(frame.slice(at + 15, at + 39));
      }
    }
  })().catch(() => {});
  return counter;
}

async function admin(url: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await request(`${url}/_mock/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.body.json()) as Record<string, unknown>;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** CPU seconds a process has used (Linux /proc; undefined elsewhere). */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

async function main(): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin/sotail'),
      'mock',
      '--port',
      '0',
      '--rate',
      String(RATE),
      '--replay-window',
      '1000000',
      '--retain',
      '1500000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`mock exited (${code}) before listening`)));
  });
  try {
    await sleep(WARMUP_MS);
    const start = String((await admin(url, 'state')).head);
    const startedAt = Date.now();
    const cpuAtStart = cpuSeconds(child.pid);
    const tails = await Promise.all(FILTERS.map((filter) => openTail(url, filter, start)));
    const heads: number[] = [];
    while (Date.now() - startedAt < WINDOW_MS) {
      await sleep(1_000);
      const now = Date.now();
      heads.push(Number((await admin(url, 'state')).head));
      for (const tail of tails) if (tail.lastIngestedMs > 0) tail.lagSamples.push(now - tail.lastIngestedMs);
    }
    const end = Number((await admin(url, 'state')).head);
    const elapsedS = (Date.now() - startedAt) / 1000;
    const cpuAtEnd = cpuSeconds(child.pid);
    const cpu =
      cpuAtStart === undefined || cpuAtEnd === undefined
        ? 'unknown'
        : `${Math.round((100 * (cpuAtEnd - cpuAtStart)) / elapsedS)}% of a core`;
    await sleep(GRACE_MS);
    const logRate = (end - Number(start)) / elapsedS;
    process.stderr.write(
      `log: ${end - Number(start)} events in ${elapsedS.toFixed(1)} s; heads ${heads.join(' ')}\n`,
    );
    console.log(
      JSON.stringify({
        bench: 'B8',
        what: 'mock log rate with 3 tails open (bursts of ×1.5 included)',
        figure: `${Math.round(logRate)} events/s`,
        baseline: `--rate ${RATE}`,
        ratio: logRate / RATE,
        target: '≥ 0.95',
        ok: logRate / RATE >= 0.95,
        notes: `mock process CPU (generating, storing, filtering, serving): ${cpu}`,
      }),
    );
    for (const tail of tails) {
      const expected = Number(
        (await admin(url, 'count', { q: tail.filter, after: start, through: String(end) })).count,
      );
      const received = tail.countThrough(end);
      const ratio = expected === 0 ? 0 : received / expected;
      const lags = tail.lagSamples;
      const firstHalf = mean(lags.slice(0, Math.floor(lags.length / 2)));
      const secondHalf = mean(lags.slice(Math.floor(lags.length / 2)));
      // Flat: the lag in the second half of the window is not growing past a poll interval or two.
      const flat = secondHalf <= firstHalf + 500;
      console.log(
        JSON.stringify({
          bench: 'B8',
          what: `tail '${tail.filter}'`,
          figure: `${received}/${expected} events (${Math.round(expected / elapsedS)}/s), lag p50 ${percentile(lags, 50)} ms, max ${Math.max(...lags)} ms`,
          baseline: 'matching events in the log',
          ratio,
          target: '≥ 0.99 / lag flat',
          ok: ratio >= 0.99 && flat,
          notes: `lag per second (ms): ${lags.join(' ')}`,
        }),
      );
      tail.close();
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await agent.close();
  }
}

await main();
