/**
 * `stats` over a time window. `GET /logs/stats` counts everything stored and takes no time
 * parameter (docs/api.md), so a window is counted with `/query` GROUP BY instead: one grouping
 * per breakdown, over `from`/`to`, shaped like `/logs/stats` so every output reads the same.
 */
import type { ApiClient } from '../api/client.js';
import type { LogStats } from '../api/types.js';
import { SEVERITIES } from '../model/event.js';

/** Most groups one `/query` GROUP BY returns (docs/api.md: `limit` 1–1000). */
export const MAX_GROUPS = 1_000;

export interface WindowStats {
  stats: LogStats;
  /** Breakdowns with more values than one request returns: their smallest entries are missing. */
  cut: ('source' | 'dataset')[];
}

export async function windowStats(
  client: ApiClient,
  window: { from: string; to?: string | undefined },
  signal: AbortSignal,
): Promise<WindowStats> {
  const count = async (field: string): Promise<Map<string, number>> => {
    const page = await client.query(
      {
        q: `GROUP BY ${field}`,
        from: window.from,
        ...(window.to ? { to: window.to } : {}),
        limit: MAX_GROUPS,
      },
      signal,
    );
    const counts = new Map<string, number>();
    if (!('groups' in page)) throw new Error('the service answered a GROUP BY query without groups');
    for (const group of page.groups) {
      const key = group.key[field];
      // Events without the field are left out, as `/logs/stats` leaves them out.
      if (typeof key === 'string') counts.set(key, group.count);
    }
    return counts;
  };
  const [bySeverity, bySource, byDataset] = await Promise.all([
    count('severity'),
    count('source'),
    count('dataset'),
  ]);
  const total = [...bySeverity.values()].reduce((sum, n) => sum + n, 0);
  const cut: WindowStats['cut'] = [];
  if (bySource.size >= MAX_GROUPS) cut.push('source');
  if (byDataset.size >= MAX_GROUPS) cut.push('dataset');
  return {
    stats: {
      total,
      // Every severity listed, zeros included, as `/logs/stats` does.
      bySeverity: Object.fromEntries(SEVERITIES.map((severity) => [severity, bySeverity.get(severity) ?? 0])),
      bySource: Object.fromEntries(bySource),
      byDataset: Object.fromEntries(byDataset),
    },
    cut,
  };
}
