/** Runs `sotail stats`. */
import { defaultRecordFormat, formatRecord, type RecordFormat } from '../../output/records.js';
import { formatStats } from '../../output/stats.js';
import { writeAll } from '../../output/writer.js';
import type { CliContext } from '../context.js';
import type { Runtime } from '../runtime.js';
import { withConnection } from '../with-connection.js';

export async function showStats(
  context: CliContext,
  runtime: Runtime,
  requested: RecordFormat | undefined,
): Promise<void> {
  await withConnection(context, runtime, async (connection) => {
    const stats = await connection.client.stats(runtime.signal);
    const format = defaultRecordFormat(requested, context.stdout.isTTY === true);
    await writeAll(
      context.stdout,
      format === 'table' ? formatStats(stats, runtime.palette) : formatRecord(stats, format, runtime.palette),
    );
  });
}
