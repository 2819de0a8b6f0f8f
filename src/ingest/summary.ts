/** What an ingest run tells the user at the end, and the exit status it deserves. Pure. */
import { InputDataError, InterruptedError } from '../errors.js';
import type { IngestProgress, IngestSummary } from './run-ingest.js';

/** Invalid lines listed one by one before the rest is only counted. */
const INVALID_LINES_SHOWN = 20;

export function formatIngestProgress(progress: IngestProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? Math.round((progress.stored / elapsedMs) * 1000) : 0;
  return `ingesting… ${progress.stored.toLocaleString('en-US')} stored · ${rate.toLocaleString('en-US')}/s · ${progress.invalid} invalid · ${progress.deadLettered} failed`;
}

export function formatIngestSummary(summary: IngestSummary, deadLetterPath: string): string[] {
  const n = (value: number): string => value.toLocaleString('en-US');
  const seconds = summary.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(summary.stored / seconds) : summary.stored;
  const parts = [`${n(summary.stored)} stored`];
  if (summary.replayed > 0) parts.push(`${n(summary.replayed)} already stored (replayed)`);
  parts.push(`${n(summary.invalid)} invalid`, `${n(summary.deadLettered)} dead-lettered`);
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

/** The error that decides the exit status, or undefined when every line was stored. */
export function ingestOutcomeError(summary: IngestSummary): unknown {
  if (summary.stoppedBy instanceof InterruptedError) return summary.stoppedBy;
  if (summary.stoppedBy !== undefined) return summary.stoppedBy;
  if (summary.deadLettered > 0) return summary.lastFailure;
  if (summary.invalid > 0) {
    return new InputDataError(
      `${summary.invalid} input line${summary.invalid === 1 ? ' was' : 's were'} invalid and not sent`,
      {
        hint: 'fix the lines listed above and ingest them again',
      },
    );
  }
  return undefined;
}
