/**
 * B9: how fast the live view answers a key under load. The mock runs at each RATE events/s;
 * `sotail tail` runs in a real terminal (a tmux pane), and a tmux control-mode client sends
 * `space` and times until the pane's output shows the new state (`PAUSED`, then `following`
 * again): what the user sees, at ~1 ms resolution. Baseline: `cat` in another pane of the same
 * tmux, sent a letter and timed until its echo shows, the same way and interleaved with the
 * view's presses, so that both see the same machine load.
 *
 * Knobs: B9_RATES (comma-separated events/s, default 3000,20000), B9_PRESSES (per direction and
 * rate, default 16).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, emit, log, startMockProcess } from './lib.js';
import { BenchTmux, hasTmux, machineNote, percentile } from './tmux-bench.js';

const RATES = (process.env.B9_RATES ?? '3000,20000').split(',').map(Number);
const PRESSES = Number(process.env.B9_PRESSES ?? 16);
/** Time for the view to settle into its steady state before the first press. */
const WARMUP_MS = 3000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A pause between presses that is not in step with the frame clock. */
const jitter = () => sleep(150 + Math.random() * 200);

if (!hasTmux()) {
  emit({ bench: 'B9', what: 'key → screen', figure: 'skipped', baseline: '', target: 'tmux needed' });
  process.exit(0);
}

log(`B9: ${machineNote()}`);
log(`B9: re-run with: npm run bench -- B9   (B9_RATES=${RATES.join(',')} B9_PRESSES=${PRESSES})`);
const format = (values: number[]) =>
  `p50 ${percentile(values, 0.5).toFixed(0)} / p90 ${percentile(values, 0.9).toFixed(0)} ms`;

for (const rate of RATES) {
  const dir = mkdtempSync(join(tmpdir(), 'sotail-b9-'));
  const mock = await startMockProcess(['--rate', String(rate), '--history', '0']);
  const tmux = new BenchTmux();
  try {
    const env = [
      `SOTAIL_API_URL=${mock.url}`,
      'SOTAIL_TOKEN=so_test_sotail_dev',
      `SOTAIL_CONFIG_DIR=${dir}`,
      'TERM=xterm-256color',
    ].join(' ');
    const view = tmux.open('b9-view', `env ${env} "${process.execPath}" "${BIN}" tail`);
    const cat = tmux.open('b9-cat', 'cat');
    await view.waitForScreen(/ · following · .* shown [1-9]/m, 90_000);
    const viewClient = await tmux.control(view.session);
    const catClient = await tmux.control(cat.session);
    await sleep(WARMUP_MS);

    const keys: number[] = [];
    const echoes: number[] = [];
    for (let i = 0; i < PRESSES; i++) {
      keys.push(await viewClient.press(view.session, 'Space', /PAUSED/));
      await jitter();
      echoes.push(await catClient.press(cat.session, 'x', /x/));
      await jitter();
      keys.push(await viewClient.press(view.session, 'Space', /following/));
      await jitter();
      echoes.push(await catClient.press(cat.session, 'y', /y/));
      await jitter();
    }
    const p90 = percentile(keys, 0.9);
    const catP90 = percentile(echoes, 0.9);
    log(`B9 at ${rate}/s: view ${keys.map((ms) => ms.toFixed(0)).join(' ')}`);
    log(`B9 at ${rate}/s: cat  ${echoes.map((ms) => ms.toFixed(0)).join(' ')}`);
    emit({
      bench: 'B9',
      what: `key → screen (space → status line), mock at ${rate.toLocaleString('en-US')}/s, ${keys.length} presses`,
      figure: format(keys),
      baseline: `cat echo: ${format(echoes)}`,
      target: 'p90 ≤ baseline p90 + 50 ms',
      ok: p90 <= catP90 + 50,
      notes: `at ${rate}/s: ${machineNote()}`,
    });
  } finally {
    tmux.close();
    await mock.stop();
  }
}
