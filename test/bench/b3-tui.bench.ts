/**
 * B3: the live view under load. The mock runs at RATE events/s (`sotail mock --rate`); `sotail
 * tail` runs in a real terminal (a tmux pane) for SECONDS with frame statistics on
 * (`SOTAIL_TUI_STATS`, one JSON line a second: frames drawn, events received, and the lag of the
 * newest shown event behind its own timestamp). Figures: frames per second (median ≥ 25, never
 * over 30), CPU in cores (≤ 1), peak RSS (≤ 150 MB), events received per second against the
 * rate, and whether the lag grows between the first and the last third of the run.
 *
 * The run is made twice, at two cadences of the server. A tail's server looks for new events every
 * 250 ms (docs/api.md), so at that cadence events arrive in about four bursts a second and a view
 * has only that many new screens to draw, however fast it is. The figures the targets judge come
 * from the mock polling every 25 ms, faster than the 30 frames a second a view may draw, so that
 * the view's own pace is what is measured. The second run, at the service's 250 ms, says what a
 * user sees against a real server: a frame for each burst, and the lag that cadence brings.
 *
 * Knobs: B3_RATE (events/s, default 20000), B3_SECONDS (default 30, per run).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, emit, log, median, startMockProcess } from './lib.js';
import { BenchTmux, hasTmux, machineNote } from './tmux-bench.js';

const RATE = Number(process.env.B3_RATE ?? 20_000);
const SECONDS = Number(process.env.B3_SECONDS ?? 30);
/** The mock's tail poll for the measured run, and the service's own (docs/api.md). */
const FAST_POLL = '25ms';
const SERVICE_POLL = '250ms';
/** The first seconds (connection, first frames) are left out of the figures. */
const WARMUP_S = 3;
// Frame rates need at least two statistics lines (one a second) after the warm-up.
if (!(SECONDS >= WARMUP_S + 3)) {
  throw new Error(`B3_SECONDS must be at least ${WARMUP_S + 3} (a ${WARMUP_S} s warm-up, then the measure)`);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface StatsRow {
  t: number;
  frames: number;
  /** Per frame: making its rows, and writing those that changed (ms), and the bytes written. */
  layoutMs?: number;
  writeMs?: number;
  bytes?: number;
  received: number;
  eventLagMs?: number;
}

if (!hasTmux()) {
  emit({
    bench: 'B3',
    what: 'TUI under load',
    figure: 'skipped',
    baseline: '',
    target: 'tmux needed',
    ok: false,
  });
  process.exit(0);
}

interface ViewRun {
  rows: StatsRow[];
  /** CPU seconds used over the measured span, and that per wall second. */
  cpuUsed: number;
  cores: number;
  rssMb: number;
  medianFps: number;
  maxFps: number;
  span: number;
  receivedPerSecond: number;
  firstLag: number;
  lastLag: number;
}

/** One run: the mock at RATE with its tails polling every `poll`, the view in a tmux pane. */
async function runView(poll: string): Promise<ViewRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sotail-b3-'));
  const statsPath = join(dir, 'stats.ndjson');
  const pidPath = join(dir, 'pid');
  const mock = await startMockProcess(['--rate', String(RATE), '--history', '0', '--poll-interval', poll]);
  const env = [
    `SOTAIL_API_URL=${mock.url}`,
    'SOTAIL_TOKEN=so_test_sotail_dev',
    `SOTAIL_CONFIG_DIR=${dir}`,
    `SOTAIL_TUI_STATS=${statsPath}`,
    'TERM=xterm-256color',
  ].join(' ');
  const tmux = new BenchTmux();
  const view = tmux.open(
    'b3-view',
    `sh -c 'echo $$ > ${pidPath}; exec env ${env} "${process.execPath}" "${BIN}" tail'`,
  );
  try {
    const pid = await view.pid(pidPath);
    const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
    const cpuSeconds = (): number => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    };
    const peakRssMb = (): number =>
      Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

    await sleep(WARMUP_S * 1000);
    const cpuStart = cpuSeconds();
    const wallStart = Date.now();
    await sleep((SECONDS - WARMUP_S) * 1000);
    const cpuUsed = cpuSeconds() - cpuStart;
    const cores = cpuUsed / ((Date.now() - wallStart) / 1000);
    const rssMb = peakRssMb();
    view.keys('q');
    while (existsSync(`/proc/${pid}`)) await sleep(20);

    const rows = readFileSync(statsPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as StatsRow)
      .filter((row) => row.t >= wallStart);
    const fps = rows.slice(1).map((row, i) => (row.frames * 1000) / (row.t - rows[i]!.t));
    const span = (rows.at(-1)!.t - rows[0]!.t) / 1000;
    const lagged = rows.filter((row) => Number.isFinite(row.eventLagMs));
    const third = Math.max(1, Math.floor(lagged.length / 3));
    const lags = (part: StatsRow[]) => median(part.map((row) => row.eventLagMs!));
    const run: ViewRun = {
      rows,
      cpuUsed,
      cores,
      rssMb,
      medianFps: median(fps),
      maxFps: Math.max(...fps),
      span,
      receivedPerSecond: (rows.at(-1)!.received - rows[0]!.received) / span,
      firstLag: lags(lagged.slice(0, third)),
      lastLag: lags(lagged.slice(-third)),
    };
    log(
      `B3: tails polled every ${poll}: ${rows.length} stats rows over ${span.toFixed(1)} s; ` +
        `${run.medianFps.toFixed(1)} frames/s (median); lag ${run.firstLag} ms → ${run.lastLag} ms`,
    );
    return run;
  } finally {
    tmux.close();
    await mock.stop();
  }
}

log(`B3: ${machineNote()}`);
log(`B3: re-run with: npm run bench -- B3   (B3_RATE=${RATE} B3_SECONDS=${SECONDS})`);
const measured = await runView(FAST_POLL);
const service = await runView(SERVICE_POLL);

const base = `mock at ${RATE.toLocaleString('en-US')} events/s, ${SECONDS} s, tails polled every ${FAST_POLL}`;
const { cpuUsed, cores, rssMb, medianFps, maxFps, span, receivedPerSecond, firstLag, lastLag, rows } =
  measured;
emit({
  bench: 'B3',
  what: 'TUI: frames per second (median)',
  figure: medianFps.toFixed(1),
  baseline: base,
  target: '≥ 25',
  ok: medianFps >= 25,
  notes: machineNote(),
});
emit({
  bench: 'B3',
  what: 'TUI: frames per second (max)',
  figure: maxFps.toFixed(1),
  baseline: base,
  target: '≤ 30',
  ok: maxFps <= 31,
});
emit({
  bench: 'B3',
  what: 'TUI: CPU',
  figure: `${cores.toFixed(2)} cores`,
  baseline: base,
  target: '≤ 1 core',
  ok: cores <= 1,
});
emit({
  bench: 'B3',
  what: 'TUI: peak RSS',
  figure: `${rssMb.toFixed(0)} MB`,
  baseline: base,
  target: '≤ 150 MB',
  ok: rssMb <= 150,
});
// What the view costs per event and per frame, in CPU time: figures that hold on a loaded
// machine, where a process gets less than a core and the rates above fall with it.
const frameRows = rows.filter((row) => row.frames > 0 && row.layoutMs !== undefined);
const layoutMs = median(frameRows.map((row) => row.layoutMs!));
const writeMs = median(frameRows.map((row) => row.writeMs!));
const bytes = median(frameRows.map((row) => row.bytes!));
const perEventUs = (cpuUsed / (receivedPerSecond * span)) * 1e6;
const projected = (perEventUs * RATE) / 1e6;
emit({
  bench: 'B3',
  what: 'TUI: a frame (median): making its rows / writing them',
  figure: `${layoutMs.toFixed(2)} / ${writeMs.toFixed(3)} ms, ${Math.round(bytes)} bytes`,
  baseline: base,
  target: 'well under the 33 ms of a frame at 30/s',
  ok: layoutMs + writeMs < 10,
});
emit({
  bench: 'B3',
  what: 'TUI: CPU per event received (frames included), and at the full rate',
  figure: `${perEventUs.toFixed(1)} µs; ${projected.toFixed(2)} cores at ${RATE.toLocaleString('en-US')}/s`,
  baseline: base,
  target: '≤ 1 core at the full rate',
  ok: projected <= 1,
});
emit({
  bench: 'B3',
  what: 'TUI: keeps up (received/s; lag of newest shown event, first → last third)',
  figure: `${Math.round(receivedPerSecond).toLocaleString('en-US')}/s; ${Math.round(firstLag)} → ${Math.round(lastLag)} ms`,
  baseline: base,
  ratio: receivedPerSecond / RATE,
  target: '≥ 0.9× the rate, lag not growing',
  ok: receivedPerSecond >= 0.9 * RATE && lastLag <= firstLag + 1000,
});
// Against the service's cadence: events come in about four bursts a second, so frames follow
// the bursts (a few per burst while it is read), and the lag is mostly the poll's.
emit({
  bench: 'B3',
  what: `TUI at the service's ${SERVICE_POLL} poll: frames/s (median); lag first → last third`,
  figure: `${service.medianFps.toFixed(1)}; ${Math.round(service.firstLag)} → ${Math.round(service.lastLag)} ms`,
  baseline: `mock at ${RATE.toLocaleString('en-US')} events/s, ${SECONDS} s, tails polled every ${SERVICE_POLL}`,
  ratio: service.receivedPerSecond / RATE,
  target: 'keeps up, lag not growing, CPU ≤ 1 core',
  ok:
    service.receivedPerSecond >= 0.9 * RATE &&
    service.lastLag <= service.firstLag + 1000 &&
    service.cores <= 1,
});
