/** Runs `sotail query`: parse locally, connect, page through results into the chosen output. */

import { createEventSink } from '../../output/event-sink.js';
import type { OutputFormat } from '../../output/formats.js';
import { formatGroups } from '../../output/groups.js';
import { OutputWriter } from '../../output/writer.js';
import { MAX_GROUPS, runQuery } from '../../query/run-query.js';
import { parseQuery } from '../../soql/index.js';
import { withTimeout } from '../../util/abort.js';
import type { CliContext } from '../context.js';
import { toQueryUsageError } from '../query-errors.js';
import type { Runtime } from '../runtime.js';
import { withConnection } from '../with-connection.js';

export interface QueryConfig {
  q: string;
  from: string | undefined;
  to: string | undefined;
  order: 'asc' | 'desc';
  limit: number | undefined;
  format: OutputFormat;
  fields: string[] | undefined;
  timeoutMs: number | undefined;
}

export async function executeQuery(
  context: CliContext,
  runtime: Runtime,
  config: QueryConfig,
): Promise<{ matched: number }> {
  let groupBy: boolean;
  try {
    groupBy = parseQuery(config.q).groupBy !== null;
  } catch (error) {
    throw await toQueryUsageError(error, config.q);
  }
  const signal = withTimeout(context.signal, config.timeoutMs);
  return withConnection(
    context,
    runtime,
    async (connection) => {
      const writer = new OutputWriter(context.stdout);
      const sink = createEventSink(writer, {
        format: config.format,
        palette: runtime.palette,
        fields: config.fields,
        timeStyle: 'full',
      });
      try {
        const outcome = await runQuery(connection.client, { ...config, groupBy }, sink, signal);
        if (outcome.kind === 'groups') {
          // A GROUP BY is a summary for people unless asked otherwise: a table on a terminal.
          const format = config.format === 'pretty' ? 'table' : config.format;
          writer.write(formatGroups(outcome.groups, format, runtime.palette));
          await writer.end();
          if (outcome.uncounted > 0) runtime.info(groupsCutNotice(outcome.groups.length, outcome.uncounted));
          return { matched: outcome.groups.length };
        }
        if (outcome.truncated && context.stdout.isTTY) {
          runtime.info(
            runtime.stderrPalette.dim(`(first ${outcome.count} shown; --all or a larger --limit shows more)`),
          );
        }
        return { matched: outcome.count };
      } catch (error) {
        throw await toQueryUsageError(error, config.q);
      }
    },
    { signal },
  );
}

/** Said on stderr whenever GROUP BY had more groups than were shown, so a cut is never silent. */
function groupsCutNotice(shown: number, uncounted: number): string {
  const more =
    shown >= MAX_GROUPS
      ? `the service returns at most ${MAX_GROUPS.toLocaleString('en')} groups; narrow the filter to see the rest`
      : `-n ${MAX_GROUPS} shows up to ${MAX_GROUPS.toLocaleString('en')}`;
  return `(only the ${shown.toLocaleString('en')} largest groups shown: ${uncounted.toLocaleString('en')} matching events are in groups not shown; ${more})`;
}
