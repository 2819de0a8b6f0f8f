// Runs the benchmarks under test/bench/ and prints one table of ratios (docs/performance.md).
// Each `test/bench/*.bench.ts` is bundled and run in its own process; it prints one JSON row per
// figure on stdout ({bench, what, figure, baseline, ratio, target, ok, notes?}) and chatter on stderr.
// Usage: npm run bench [-- B7 B8]   (no names: all of them)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const wanted = process.argv.slice(2).map((name) => name.toUpperCase());
const files = readdirSync(join(root, 'test/bench'))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((id) => file.toUpperCase().startsWith(id)))
  .sort();

const rows = [];
for (const file of files) {
  const outfile = join(root, 'dist/bench', file.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [join(root, 'test/bench', file)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.18',
    packages: 'external',
    logLevel: 'warning',
  });
  process.stderr.write(`\n== ${file}\n`);
  const result = spawnSync(process.execPath, ['--expose-gc', outfile], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of result.stdout.split('\n')) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line));
    } catch {
      process.stderr.write(`${line}\n`);
    }
  }
  if (result.status !== 0)
    rows.push({ bench: file, what: 'benchmark failed', ok: false, notes: `exit ${result.status}` });
}

const header = ['bench', 'what', 'figure', 'baseline', 'ratio', 'target', 'ok'];
const table = rows.map((row) => [
  row.bench ?? '',
  row.what ?? '',
  row.figure ?? '',
  row.baseline ?? '',
  typeof row.ratio === 'number' ? `${row.ratio.toFixed(2)}×` : '',
  row.target ?? '',
  row.ok === undefined ? '' : row.ok ? 'yes' : 'NO',
]);
const widths = header.map((title, i) =>
  Math.max(title.length, ...table.map((cells) => String(cells[i]).length)),
);
const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const cells of table) console.log(line(cells));
for (const row of rows) if (row.notes) console.log(`${row.bench}: ${row.notes}`);
