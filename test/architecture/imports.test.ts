/**
 * The module graph of src/ keeps its shape: layers import only downwards (docs/design.md, "Code
 * layout") and no import cycle forms anywhere. Type-only and dynamic imports count too: a type
 * that lives in the wrong layer drags the layers above it into every change of the one below.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

/**
 * What each layer may import besides itself. A layer is a top-level directory of src/ (or a file
 * directly in it); anything not named here is a mistake the test reports.
 */
const ALLOWED: Record<string, readonly string[]> = {
  'errors.ts': [],
  'version.ts': [],
  util: ['errors.ts'],
  model: ['errors.ts', 'util'],
  soql: ['errors.ts', 'util', 'model'],
  api: ['errors.ts', 'version.ts', 'util', 'model'],
  config: ['errors.ts', 'util', 'model', 'api'],
  // The tail engine yields events of the model; output renders them (tail lines included), so
  // output sits above the tail and the tail never imports output.
  tail: ['errors.ts', 'util', 'model', 'soql', 'api'],
  output: ['errors.ts', 'util', 'model', 'soql', 'api', 'tail'],
  ingest: ['errors.ts', 'util', 'model', 'api', 'output'],
  query: ['errors.ts', 'util', 'model', 'soql', 'api', 'output'],
  mock: ['errors.ts', 'util', 'model', 'soql', 'api'],
  tui: ['errors.ts', 'util', 'model', 'soql', 'output', 'tail'],
  wasm: ['errors.ts', 'util', 'model', 'output', 'tail'],
  cli: [
    'errors.ts',
    'version.ts',
    'util',
    'model',
    'soql',
    'api',
    'config',
    'output',
    'ingest',
    'query',
    'tail',
    'mock',
    'tui',
    'wasm',
  ],
  'main.ts': ['errors.ts', 'version.ts', 'output', 'cli'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every relative import of every file (static, type-only, re-export and dynamic), resolved to a file. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((ref) => ref.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => path.resolve(path.dirname(file), name).replace(/\.js$/, '.ts'))
      .map((target) => (target.endsWith('.ts') ? target : `${target}.ts`))
      // `./App.js` names App.tsx as well as App.ts.
      .map((target) => (existsSync(target) ? target : target.replace(/\.ts$/, '.tsx')));
    graph.set(file, targets);
  }
  return graph;
}

function layerOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0] ?? '';
}

const rel = (file: string): string => path.relative(SRC, file);

/** Strongly connected components with more than one file (or a file importing itself): Tarjan. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.map(rel).sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the module graph of src/', () => {
  const graph = importGraph();

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('imports only downwards, from a layer to the layers below it', () => {
    const violations: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file);
      const allowed = ALLOWED[from];
      for (const target of targets) {
        const to = layerOf(target);
        if (to === from) continue;
        if (!allowed?.includes(to)) violations.push(`${rel(file)} -> ${rel(target)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('resolves every relative import to a file it checked (the test sees the whole graph)', () => {
    const missing = [...graph.values()].flat().filter((target) => !graph.has(target));
    expect(missing).toEqual([]);
  });
});
