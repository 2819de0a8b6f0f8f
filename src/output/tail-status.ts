/**
 * What the tail says on stderr, pure: a connection state as one dim line (or nothing), and the
 * closing summary. The command decides where they go (docs/design.md "State as data").
 */
import type { TailCounters, TailLink, TailStateItem } from '../tail/items.js';
import { formatDurationMs } from '../util/duration.js';
import { countOf } from '../util/words.js';
import type { Palette } from './palette.js';
import { type StyledLine, styled } from './styled-line.js';

/** States said even with `-q`: why the tail ended, what may be missing. */
const SAID_WHEN_QUIET: ReadonlySet<TailStateItem['kind']> = new Set(['ended', 'missing']);

function isWarning(item: TailStateItem): boolean {
  return item.kind === 'notice' && item.level === 'warn';
}

/**
 * A connection state as a line for stderr, or undefined when it is not worth one at this
 * verbosity. Normal resumes (idle close, the 30-minute cap) and the first connection show only
 * with --verbose; trouble (a stale connection, a reconnect after an error, a gap) shows unless -q.
 * The line quotes the server (reasons, codes, cursors): its styles are pieces apart from its
 * text, which the writer escapes (styled-line.ts).
 */
export function formatTailState(
  item: TailStateItem,
  options: {
    palette: Palette;
    verbose: boolean;
    /** The stream of a merged tail the state is of: the line names it. */
    stream?: string | undefined;
    /** `-q`: notices go; warnings (events may be missing) and why the tail ended stay. */
    quiet?: boolean | undefined;
  },
): StyledLine | undefined {
  const { palette, verbose } = options;
  if (options.quiet && !verbose && !SAID_WHEN_QUIET.has(item.kind) && !isWarning(item)) return undefined;
  const who = options.stream === undefined ? 'sotail: ' : `sotail: ${options.stream}: `;
  const dim = (text: string): StyledLine => styled(palette.dim, `${who}${text}`);
  switch (item.kind) {
    case 'connecting':
      return verbose
        ? dim(`connecting to ${item.url}${item.resumeFrom ? ` (resuming after ${item.resumeFrom})` : ''}`)
        : undefined;
    case 'live':
      return verbose ? dim(`live: ${item.url}`) : undefined;
    case 'stale':
      return dim(`no data (not even a heartbeat) for ${formatDurationMs(item.silentMs)}: reconnecting`);
    case 'reconnecting': {
      if (item.silent && !verbose) return undefined;
      const wait = item.delayMs > 0 ? ` in ${formatDurationMs(item.delayMs)}` : '';
      const limit = item.limit ? ` (${item.limit})` : '';
      return dim(`${item.reason}${limit}; reconnecting${wait} (attempt ${item.attempt})`);
    }
    case 'gap':
      return item.reason === 'reset'
        ? dim('the server was reset: starting afresh and fetching what came since the last event')
        : dim(`the server could not replay from cursor ${item.after ?? '?'}: fetching the hole from history`);
    case 'backfilling':
      return verbose ? dim(`fetching history${item.from ? ` from ${item.from}` : ''}`) : undefined;
    case 'backfilled':
      return verbose ? dim(`history: ${countOf(item.events, 'event')}`) : undefined;
    case 'missing': {
      const range = item.from || item.to ? ` (${item.from ?? '…'} to ${item.to ?? 'now'})` : '';
      return styled(palette.warn, `${who}warning: events may be missing${range}: ${item.detail}`);
    }
    case 'notice':
      return item.level === 'warn'
        ? styled(palette.warn, `${who}warning: ${item.message}`)
        : dim(item.message);
    case 'ended':
      if (item.reason === 'scope-destroyed')
        return `${who}the server ended the tail: ${item.detail ?? 'scope destroyed'}`;
      if (item.reason === 'failed')
        return styled(
          palette.warn,
          `${who}warning: this stream stopped (the others go on): ${item.detail ?? 'failed'}`,
        );
      if (item.reason === 'server-stop') return dim(item.detail ?? 'the server ended the tail');
      return undefined;
    default:
      return undefined;
  }
}

/**
 * `sotail: 1,234 events, 2 reconnects, 1 gap backfilled in 5m12s; connected`. The time runs from
 * `sinceMs` when given (the command's start, from which --timeout counts too, so that "timed out
 * after 3s" follows "in 3s"), else from the tail's own start; `link` adds whether the service was
 * there.
 */
export function formatTailSummary(
  counters: Readonly<TailCounters>,
  nowMs: number,
  { sinceMs, link }: { sinceMs?: number | undefined; link?: Readonly<TailLink> | undefined } = {},
): string {
  const summary = `sotail: ${countsOf(counters)} in ${formatDurationMs(nowMs - (sinceMs ?? counters.startedAt))}`;
  return link === undefined ? summary : `${summary}; ${describeLink(link, counters.events, nowMs)}`;
}

/** `1,234 events, 2 reconnects, 1 gap backfilled` (and skipped frames, when there were any). */
function countsOf(counters: Readonly<TailCounters>): string {
  const plural = countOf;
  const parts = [plural(counters.events, 'event'), plural(counters.reconnects, 'reconnect')];
  parts.push(`${plural(counters.gapsBackfilled, 'gap')} backfilled`);
  if (counters.skipped > 0) parts.push(`${plural(counters.skipped, 'frame')} skipped (not JSON)`);
  if (counters.tooLarge > 0) parts.push(`${plural(counters.tooLarge, 'frame')} skipped (too large)`);
  if (counters.filteredOut > 0) parts.push(`${plural(counters.filteredOut, 'event')} filtered out`);
  return parts.join(', ');
}

/** One stream of a merged tail, for its line of the summary. */
export interface StreamSummary {
  readonly label: string;
  readonly counters: Readonly<TailCounters>;
  readonly link: Readonly<TailLink>;
  readonly ended?: string | undefined;
}

/**
 * A merged tail's summary, as lines: the totals, then each stream with its own counts and
 * whether it was there (`  proxy-logs: 2 events, 4 reconnects, 0 gaps backfilled; connected`).
 */
export function formatMergedTailSummary(
  total: Readonly<TailCounters>,
  streams: readonly StreamSummary[],
  nowMs: number,
  sinceMs?: number | undefined,
): string[] {
  const lines = [`${formatTailSummary(total, nowMs, { sinceMs })}, from ${streams.length} streams:`];
  for (const stream of streams) {
    const state =
      stream.ended === 'failed'
        ? 'stopped (failed)'
        : describeLink(stream.link, stream.counters.events, nowMs);
    lines.push(`  ${stream.label}: ${countsOf(stream.counters)}; ${state}`);
  }
  return lines;
}

/** Whether the service was there: `never connected (last: …)`, `connected, no matching event`, … */
export function describeLink(link: Readonly<TailLink>, events: number, nowMs: number): string {
  const last = link.lastFailure === undefined ? '' : ` (last: ${link.lastFailure})`;
  switch (link.state) {
    case 'never-connected':
      return `never connected${last}`;
    case 'live':
      return events === 0 ? 'connected, no matching event' : 'connected';
    case 'lost':
      return `connected, then lost ${formatDurationMs(nowMs - (link.since ?? nowMs))} ago${last}`;
  }
}
