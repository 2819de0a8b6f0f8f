/**
 * B3: the live view under load. The mock runs at RATE events/s (`sotail mock --rate`); `sotail
 * tail` runs in a real terminal (a tmux pane) for SECONDS with frame statistics on
 * (`SOTAIL_TUI_STATS`, one JSON line a second: frames drawn, events received, and the lag of the
 * newest shown event behind its own timestamp). Figures: frames per second (median ≥ 25, never
 * over 30), CPU in cores (≤ 1), peak RSS (≤ 150 MB), events received per second against the
 * rate, and whether the lag grows between the first and the last third of the run.
 *
 * Knobs: B3_RATE (events/s, default 20000), B3_SECONDS (default 30).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, emit, log, median, startMockProcess } from './lib.js';
import { BenchTmux, hasTmux, machineNote } from './tmux-bench.js';

const RATE = Number(process.env.B3_RATE ?? 20_000);
const SECONDS = Number(process.env.B3_SECONDS ?? 30);
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

const dir = mkdtempSync(join(tmpdir(), 'sotail-b3-'));
const statsPath = join(dir, 'stats.ndjson');
const pidPath = join(dir, 'pid');
const mock = await startMockProcess(['--rate', String(RATE), '--history', '0']);
const env = [
  `SOTAIL_API_URL=${mock.url}`,
  'SOTAIL_TOKEN=so_test_sotail_dev',
  `SOTAIL_CONFIG_DIR=${dir}`,
  `SOTAIL_TUI_STATS=${statsPath}`,
  'TERM=xterm-256color',
].join(' ');
log(`B3: ${machineNote()}`);
log(`B3: re-run with: npm run bench -- B3   (B3_RATE=${RATE} B3_SECONDS=${SECONDS})`);
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
  const rss = peakRssMb();
  view.keys('q');
  while (existsSync(`/proc/${pid}`)) await sleep(20);

  const rows = readFileSync(statsPath, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as StatsRow)
    .filter((row) => row.t >= wallStart);
  const fps = rows.slice(1).map((row, i) => (row.frames * 1000) / (row.t - rows[i]!.t));
  const maxFps = Math.max(...fps);
  const medianFps = median(fps);
  const span = (rows.at(-1)!.t - rows[0]!.t) / 1000;
  const receivedPerSecond = (rows.at(-1)!.received - rows[0]!.received) / span;
  const lagged = rows.filter((row) => Number.isFinite(row.eventLagMs));
  const third = Math.max(1, Math.floor(lagged.length / 3));
  const lags = (part: StatsRow[]) => median(part.map((row) => row.eventLagMs!));
  const firstLag = lags(lagged.slice(0, third));
  const lastLag = lags(lagged.slice(-third));
  log(`B3: ${rows.length} stats rows over ${span.toFixed(1)} s; lag ${firstLag} ms → ${lastLag} ms`);

  const base = `mock at ${RATE.toLocaleString('en-US')} events/s, ${SECONDS} s`;
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
    figure: `${rss.toFixed(0)} MB`,
    baseline: base,
    target: '≤ 150 MB',
    ok: rss <= 150,
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
  const keepsUp = receivedPerSecond >= 0.9 * RATE && lastLag <= firstLag + 1000;
  emit({
    bench: 'B3',
    what: 'TUI: keeps up (received/s; lag of newest shown event, first → last third)',
    figure: `${Math.round(receivedPerSecond).toLocaleString('en-US')}/s; ${Math.round(firstLag)} → ${Math.round(lastLag)} ms`,
    baseline: base,
    ratio: receivedPerSecond / RATE,
    target: '≥ 0.9× the rate, lag not growing',
    ok: keepsUp,
  });
} finally {
  tmux.close();
  await mock.stop();
}
