/**
 * Text measurement (string-width and its Unicode tables) is loaded by the table paths only:
 * `sotail --help` and every command's start must not pay for it (README "Development", B4).
 * Reads the built bundle's static import graph from dist/main.js.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

const STATIC_IMPORT = /(?:from\s*|import\s*)"(\.[^"]+)"/g;

function staticGraph(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const match of text.matchAll(STATIC_IMPORT)) visit(resolve(dirname(file), match[1]!));
  };
  visit(entry);
  return seen;
}

it('start-up does not load the text-width code that tables use', () => {
  const graph = staticGraph(join(REPO_ROOT, 'dist', 'main.js'));
  expect(graph.size).toBeGreaterThan(1);
  for (const [file, text] of graph) {
    // Markers of string-width and get-east-asian-width, which no other start-up code contains.
    expect(/RGI_Emoji|eastAsianWidth/.test(text), file).toBe(false);
  }
});
