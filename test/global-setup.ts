/**
 * Builds the CLI once before any test runs: the end-to-end tests spawn `bin/sotail`, which runs
 * `dist/`, and `npx vitest run` alone would otherwise test whatever build was left lying around.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  const root = resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [resolve(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}
