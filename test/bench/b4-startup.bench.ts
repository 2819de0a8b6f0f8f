/**
 * B4: start-up of commands that need no network (`query --help`, `--version`) against `node -e 0`.
 * Runs are interleaved so machine noise hits both sides alike; the median of each is compared.
 */
import { BIN, emit, log, median, timeSync } from './lib.js';

const RUNS = 25;
const cases = [
  ['sotail query --help', [BIN, 'query', '--help']],
  ['sotail --version', [BIN, '--version']],
] as const;

const baseline: number[] = [];
const ours = new Map<string, number[]>(cases.map(([name]) => [name, []]));
timeSync(process.execPath, ['-e', '0']); // warm the file cache
for (let i = 0; i < RUNS; i++) {
  baseline.push(timeSync(process.execPath, ['-e', '0']));
  for (const [name, args] of cases) ours.get(name)!.push(timeSync(process.execPath, [...args]));
}
const base = median(baseline);
for (const [name] of cases) {
  const time = median(ours.get(name)!);
  const ratio = time / base;
  log(`${name}: ${time.toFixed(0)} ms (node -e 0: ${base.toFixed(0)} ms)`);
  emit({
    bench: 'B4',
    what: `start-up: ${name}`,
    figure: `${time.toFixed(0)} ms`,
    baseline: `node -e 0: ${base.toFixed(0)} ms`,
    ratio,
    target: '≤ 2× (time)',
    ok: ratio <= 2,
  });
}
