/**
 * The repository stands alone: code, tests, scripts and docs cite only documents that are in it
 * (docs/), never notes kept elsewhere. Design decisions live in docs/design.md,
 * docs/reliability.md and docs/performance.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCANNED = ['src', 'test', 'scripts', 'docs', 'README.md'];
// Built from parts so that this file does not match itself.
const OUTSIDE = new RegExp(
  [
    String.raw`(?<![\w/])(?:performance|reliability|pitfalls|style)\.md`,
    String.raw`design/api\.md`,
    String.raw`\.\./shared`,
    String.raw`/work/${'shared'}`,
  ].join('|'),
);

function files(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!entry.includes('.')) {
    return readdirSync(full, { withFileTypes: true, recursive: true })
      .filter((dirent) => dirent.isFile() && !dirent.parentPath.includes('__snapshots__'))
      .map((dirent) => path.join(dirent.parentPath, dirent.name));
  }
  return [full];
}

describe('the repository stands alone', () => {
  it('cites no document outside it', () => {
    const citing = SCANNED.flatMap(files)
      .filter((file) => OUTSIDE.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(ROOT, file));
    expect(citing).toEqual([]);
  });
});
