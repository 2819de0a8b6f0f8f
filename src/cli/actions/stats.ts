/** Runs `sotail stats`: the service's totals, or a window counted through the query endpoint. */
import type { LogStats } from '../../api/types.js';
import type { RecordFormat } from '../../output/formats.js';
import { defaultRecordFormat, formatRecord } from '../../output/records.js';
import { formatStats } from '../../output/stats.js';
import { writeAll } from '../../output/writer.js';
import { MAX_GROUPS } from '../../query/run-query.js';
import { windowStats } from '../../query/window-stats.js';
import type { CliContext } from '../context.js';
import type { Since } from '../options.js';
import type { Runtime } from '../runtime.js';
import { terminalWidth } from '../terminal.js';
import { withConnection } from '../with-connection.js';

export interface StatsConfig {
  format: RecordFormat | undefined;
  /** Count only events since then (`--since`); undefined: everything stored. */
  since: Since | undefined;
  headers: boolean;
}

export async function showStats(context: CliContext, runtime: Runtime, config: StatsConfig): Promise<void> {
  const { signal } = runtime;
  await withConnection(
    context,
    runtime,
    async (connection) => {
      let stats: LogStats;
      let window: string | undefined;
      if (config.since === undefined) {
        stats = await connection.client.stats(signal);
      } else {
        const counted = await windowStats(connection.client, { from: config.since.from }, signal);
        stats = counted.stats;
        window = config.since.window;
        if (counted.cut.length > 0) {
          runtime.info(
            `(only the ${MAX_GROUPS} largest of each: ${counted.cut.join(', ')}; the query endpoint returns no more)`,
            'dim',
          );
        }
      }
      const isTTY = context.stdout.isTTY === true;
      const format = defaultRecordFormat(config.format, isTTY);
      await writeAll(
        context.stdout,
        format === 'table'
          ? formatStats(stats, runtime.palette, {
              window,
              headers: config.headers,
              maxWidth: terminalWidth(context.stdout),
            })
          : formatRecord(stats, format, runtime.palette),
      );
    },
    { signal },
  );
}
