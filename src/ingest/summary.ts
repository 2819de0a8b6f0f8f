/** What an ingest run tells the user at the end, and the exit status it deserves. Pure. */
import { DeadLetterWriteError, InputDataError, InterruptedError } from '../errors.js';
import { countOf, ratePerSecond, tookWithRate } from '../util/words.js';
import type { IngestProgress, IngestSummary } from './run-ingest.js';

/** Invalid lines listed one by one before the rest is only counted. */
const INVALID_LINES_SHOWN = 20;
/** Ranges of lines not handled shown before the rest is only counted. */
const RANGES_SHOWN = 20;

/** What the summary needs to know beyond the run itself. */
export interface SummaryContext {
  deadLetterPath: string;
  /** The prefix `--resend` drew: a resumed run must use it, or what it sends again is stored twice. */
  resendPrefix?: string | undefined;
}

const n = (value: number): string => value.toLocaleString('en-US');

export function formatIngestProgress(progress: IngestProgress, elapsedMs: number): string {
  const done = progress.stored + progress.replayed;
  const rate = ratePerSecond(done, elapsedMs);
  return `ingesting… ${n(done)} stored${rate ? ` · ${rate}` : ''} · ${n(progress.invalid)} invalid · ${n(progress.deadLettered)} failed`;
}

/**
 * The summary: where every line read went, in buckets that add up to the lines read, then the
 * invalid lines by number, where the dead letters are, why sending stopped, and when it stopped
 * before the end of the input, the lines that went nowhere and the first line to resume from.
 * Entries the service already had (an earlier attempt or an earlier run got through) are counted
 * apart from those stored now, so a re-ingest of a dead-letter file reads "0 stored, 51 already
 * stored", never as 102 entries.
 */
export function formatIngestSummary(summary: IngestSummary, context: SummaryContext): string[] {
  const done = summary.stored + summary.replayed;
  const parts = [`${n(summary.stored)} stored`];
  if (summary.replayed > 0) parts.push(`${n(summary.replayed)} already stored earlier (not stored twice)`);
  parts.push(`${n(summary.invalid)} invalid`, `${n(summary.deadLettered)} dead-lettered`);
  if (summary.blank > 0) parts.push(`${n(summary.blank)} blank`);
  if (summary.skipped > 0) parts.push(`${n(summary.skipped)} skipped (before --from-line)`);
  if (summary.notHandled > 0) parts.push(`${n(summary.notHandled)} not handled`);
  const lines = [
    `ingest: ${parts.join(', ')} — ${countOf(summary.read, 'line')} read ${tookWithRate(done, summary.elapsedMs)}`,
  ];
  for (const invalid of summary.invalidLines.slice(0, INVALID_LINES_SHOWN)) {
    lines.push(`  line ${invalid.line}: ${invalid.reason}`);
  }
  if (summary.invalidLines.length > INVALID_LINES_SHOWN) {
    lines.push(`  … and ${countOf(summary.invalidLines.length - INVALID_LINES_SHOWN, 'more invalid line')}`);
  }
  // After --from-line, replays are what a resume expects (lines stored after the resume point).
  if (summary.replayedDerived > 0 && summary.skipped === 0) {
    lines.push(
      `  already stored: the same input was sent within the last 24 h (or a retry got through); to store it again on purpose, add --resend`,
    );
  }
  const deadLetterPath = context.deadLetterPath;
  if (summary.deadLettered > 0) {
    lines.push(
      `  ${countOf(summary.deadLettered, 'entry', 'entries')} written to ${deadLetterPath}; retry ${summary.deadLettered === 1 ? 'it' : 'them'} with: sotail ingest --file ${deadLetterPath}`,
    );
  }
  if (summary.stoppedBy !== undefined) {
    const reason = summary.stoppedBy instanceof Error ? summary.stoppedBy.message : String(summary.stoppedBy);
    lines.push(`  stopped after input line ${n(summary.lastLine)}: ${reason}`);
  }
  if (summary.notHandledLines.length > 0) {
    lines.push(
      `  not handled (neither stored nor in the dead-letter file): ${describeLines(summary.notHandledLines)}`,
    );
  }
  if (summary.resumeFrom !== undefined) {
    lines.push(
      `  first line not yet handled: ${n(summary.resumeFrom)} (every line before it is accounted for above); to go on, ${resumeAdvice(summary.resumeFrom, context)}`,
    );
  }
  return lines;
}

/** How to go on from `line`: the same command, from there, with the same keys. */
function resumeAdvice(line: number, context: SummaryContext): string {
  const keys =
    context.resendPrefix === undefined
      ? ''
      : ` and --idempotency-key-prefix ${context.resendPrefix} in place of --resend`;
  return `run the same command with --from-line ${line}${keys} (entries already stored come back as already stored)`;
}

/** `3, 7–9, 12`: ascending line numbers as ranges, the first few of them. */
export function describeLines(sorted: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j += 1;
    ranges.push(i === j ? n(sorted[i]!) : `${n(sorted[i]!)}–${n(sorted[j]!)}`);
    i = j + 1;
  }
  const shown = ranges.slice(0, RANGES_SHOWN).join(', ');
  const word = sorted.length === 1 ? 'line' : 'lines';
  return ranges.length > RANGES_SHOWN
    ? `${word} ${shown} and ${ranges.length - RANGES_SHOWN} more ranges`
    : `${word} ${shown}`;
}

/**
 * The error that decides the exit status, or undefined when every line was stored. `listed` says
 * whether the summary (with the invalid lines) was shown; under --quiet the error names the first
 * invalid line itself, since nothing else will. A dead-letter file that failed decides first: some
 * lines went nowhere, and the error says where to resume.
 */
export function ingestOutcomeError(summary: IngestSummary, listed = true, context?: SummaryContext): unknown {
  if (summary.deadLetterFailure !== undefined) return deadLetterOutcome(summary, context);
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

function deadLetterOutcome(
  summary: IngestSummary,
  context: SummaryContext | undefined,
): DeadLetterWriteError {
  const failure = summary.deadLetterFailure!;
  const from = summary.resumeFrom ?? summary.lastLine + 1;
  const retry =
    summary.deadLettered > 0 && context
      ? `retry the dead letters with sotail ingest --file ${context.deadLetterPath}, and `
      : '';
  const resume = resumeAdvice(from, context ?? { deadLetterPath: '' });
  return new DeadLetterWriteError(
    `${failure.message}; ingest stopped reading, first line not yet handled: ${n(from)}`,
    {
      hint: `free some space (or choose another --dead-letter FILE); then ${retry}${resume}`,
      cause: failure,
    },
  );
}
