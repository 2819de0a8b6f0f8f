/** What an ingest run tells the user at the end, and the exit status it deserves. Pure. */
import { InputDataError, InterruptedError } from '../errors.js';
import type { IngestProgress, IngestSummary } from './run-ingest.js';

/** Invalid lines listed one by one before the rest is only counted. */
const INVALID_LINES_SHOWN = 20;

const n = (value: number): string => value.toLocaleString('en-US');

export function formatIngestProgress(progress: IngestProgress, elapsedMs: number): string {
  const done = progress.stored + progress.replayed;
  const rate = elapsedMs > 0 ? Math.round((done / elapsedMs) * 1000) : 0;
  return `ingesting… ${n(done)} stored · ${n(rate)}/s · ${n(progress.invalid)} invalid · ${n(progress.deadLettered)} failed`;
}

/**
 * The summary: where every line read went, in buckets that add up to the lines read, then the
 * invalid lines by number, where the dead letters are and why sending stopped. Entries the service
 * already had (an earlier attempt got through) are counted apart from those stored now, so a
 * re-ingest of a dead-letter file reads "0 stored, 51 already stored", never as 102 entries.
 */
export function formatIngestSummary(summary: IngestSummary, deadLetterPath: string): string[] {
  const seconds = summary.elapsedMs / 1000;
  const done = summary.stored + summary.replayed;
  const rate = seconds > 0 ? Math.round(done / seconds) : done;
  const parts = [`${n(summary.stored)} stored`];
  if (summary.replayed > 0) parts.push(`${n(summary.replayed)} already stored earlier (not stored twice)`);
  parts.push(`${n(summary.invalid)} invalid`, `${n(summary.deadLettered)} dead-lettered`);
  if (summary.blank > 0) parts.push(`${n(summary.blank)} blank`);
  const lines = [
    `ingest: ${parts.join(', ')} — ${n(summary.read)} lines read in ${seconds.toFixed(1)}s (${n(rate)}/s)`,
  ];
  for (const invalid of summary.invalidLines.slice(0, INVALID_LINES_SHOWN)) {
    lines.push(`  line ${invalid.line}: ${invalid.reason}`);
  }
  if (summary.invalidLines.length > INVALID_LINES_SHOWN) {
    lines.push(`  … and ${summary.invalidLines.length - INVALID_LINES_SHOWN} more invalid lines`);
  }
  if (summary.deadLettered > 0) {
    lines.push(
      `  ${n(summary.deadLettered)} entries written to ${deadLetterPath}; retry them with: sotail ingest --file ${deadLetterPath}`,
    );
  }
  if (summary.stoppedBy !== undefined) {
    const reason = summary.stoppedBy instanceof Error ? summary.stoppedBy.message : String(summary.stoppedBy);
    lines.push(`  stopped after input line ${summary.lastLine}: ${reason}`);
  }
  return lines;
}

/**
 * The error that decides the exit status, or undefined when every line was stored. `listed` says
 * whether the summary (with the invalid lines) was shown; under --quiet the error names the first
 * invalid line itself, since nothing else will.
 */
export function ingestOutcomeError(summary: IngestSummary, listed = true): unknown {
  if (summary.stoppedBy instanceof InterruptedError) return summary.stoppedBy;
  if (summary.stoppedBy !== undefined) return summary.stoppedBy;
  if (summary.deadLettered > 0) return summary.lastFailure;
  if (summary.invalid > 0) {
    const counted = `${n(summary.invalid)} input line${summary.invalid === 1 ? ' was' : 's were'} invalid and not sent`;
    const first = summary.invalidLines[0];
    if (listed || first === undefined) {
      return new InputDataError(counted, { hint: 'fix the lines listed above and ingest them again' });
    }
    return new InputDataError(`${counted} (first: line ${first.line}: ${first.reason})`, {
      hint: 'run again without --quiet to list them',
    });
  }
  return undefined;
}
