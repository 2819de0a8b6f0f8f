/** stats over a window, from GROUP BY answers: the shape of /logs/stats, and a cut said aloud. */
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/client.js';
import type { QueryRequest } from '../../src/api/types.js';
import { MAX_GROUPS, windowStats } from '../../src/query/window-stats.js';

function clientAnswering(groupsFor: (field: string) => { key: Record<string, unknown>; count: number }[]) {
  const requests: QueryRequest[] = [];
  const client = {
    async query(request: QueryRequest) {
      requests.push(request);
      const field = request.q.replace('GROUP BY ', '');
      return { groups: groupsFor(field), stats: { scanned: 0, matched: 0, elapsed_ms: 0 } };
    },
  } as unknown as ApiClient;
  return { client, requests };
}

describe('windowStats', () => {
  it('lists every severity, leaves out events without a source, and asks for the window', async () => {
    const { client, requests } = clientAnswering((field) =>
      field === 'severity'
        ? [
            { key: { severity: 'error' }, count: 3 },
            { key: { severity: 'info' }, count: 5 },
          ]
        : [
            { key: { [field]: 'api' }, count: 6 },
            { key: { [field]: null }, count: 2 },
          ],
    );
    const result = await windowStats(
      client,
      { from: '2026-05-17T10:00:00.000Z' },
      new AbortController().signal,
    );
    expect(result).toEqual({
      stats: {
        total: 8,
        bySeverity: { debug: 0, info: 5, notice: 0, warn: 0, error: 3, critical: 0 },
        bySource: { api: 6 },
        byDataset: { api: 6 },
      },
      cut: [],
    });
    expect(requests.map((r) => [r.q, r.from, r.limit])).toEqual([
      ['GROUP BY severity', '2026-05-17T10:00:00.000Z', MAX_GROUPS],
      ['GROUP BY source', '2026-05-17T10:00:00.000Z', MAX_GROUPS],
      ['GROUP BY dataset', '2026-05-17T10:00:00.000Z', MAX_GROUPS],
    ]);
  });

  it('says which breakdowns the group limit cut', async () => {
    const many = (field: string) =>
      Array.from({ length: MAX_GROUPS }, (_, i) => ({ key: { [field]: `s${i}` }, count: 1 }));
    const { client } = clientAnswering((field) => (field === 'source' ? many(field) : []));
    const result = await windowStats(
      client,
      { from: '2026-05-17T10:00:00.000Z' },
      new AbortController().signal,
    );
    expect(result.cut).toEqual(['source']);
  });
});
