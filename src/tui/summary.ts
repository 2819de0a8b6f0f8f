/** The one line a tail leaves on stderr when it ends: what it delivered and what it survived. */

export interface TailSummaryFigures {
  events: number;
  reconnects: number;
  gapsBackfilled: number;
  elapsedMs: number;
}

/** `tail: 1,234 events, 2 reconnects, 1 gap backfilled in 3m12s` */
export function formatTailSummary(figures: TailSummaryFigures): string {
  const plural = (n: number, one: string, many: string): string =>
    `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  return (
    `tail: ${plural(figures.events, 'event', 'events')}, ` +
    `${plural(figures.reconnects, 'reconnect', 'reconnects')}, ` +
    `${plural(figures.gapsBackfilled, 'gap', 'gaps')} backfilled in ${formatElapsed(figures.elapsedMs)}`
  );
}

function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
