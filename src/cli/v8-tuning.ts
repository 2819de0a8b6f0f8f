/**
 * How V8 trades memory for speed, per kind of work (docs/performance.md). Set with
 * `setFlagsFromString` while the program runs: these flags are read when they apply (when
 * undici compiles its parser, when the heap grows), not only at start-up.
 */
import { setFlagsFromString } from 'node:v8';

/** Every command starts like this: memory flat over a long run (B6). */
export function preferSmallHeap(): void {
  // undici parses HTTP with llhttp compiled to WebAssembly; optimising that module with TurboFan
  // costs ~35 MB of peak RSS on the first request for no measurable gain in our workloads. It
  // must be set before undici compiles it, so: at start-up, first.
  setFlagsFromString('--liftoff-only');
  // Left alone, V8 doubles the young generation up to 2 × 16 MB while a long run allocates
  // steadily (paging a query, a busy tail), which was a third of `query --all`'s peak RSS
  // although its live data is ~11 MB. Keeping it at its initial size costs more, cheaper
  // scavenges and keeps memory flat.
  setFlagsFromString('--semi-space-growth-factor=1');
  // V8's heuristics for memory over speed (heap growth, code kept): another ~20 MB off a long
  // run's peak for a few percent of CPU.
  setFlagsFromString('--optimize-for-size');
}

/**
 * For a tail that formats every event (pretty lines, `--fields`): each batch makes a burst of
 * short-lived objects and strings, and with a young generation kept at 1 MB a scavenge ran every
 * millisecond and GC took a quarter of the time (B2). Letting it grow costs ~25 MB of RSS.
 */
export function preferThroughput(): void {
  setFlagsFromString('--no-optimize-for-size');
  setFlagsFromString('--semi-space-growth-factor=2');
}
