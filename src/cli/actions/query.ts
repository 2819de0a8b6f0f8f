/** Runs `sotail query`: parse locally, connect, page through results into the chosen output. */

import { ResultError, UsageError } from '../../errors.js';
import {
  createEventOutput,
  loadFormatter,
  type OutputChoice,
  reversedOutput,
} from '../../output/event-output.js';
import { formatGroups, GROUP_FORMATS, isGroupFormat } from '../../output/groups.js';
import type { Highlighter } from '../../output/highlight.js';
import type { TimeZoneMode } from '../../output/time-format.js';
import { OutputWriter } from '../../output/writer.js';
import { MAX_GROUPS, runQuery } from '../../query/run-query.js';
import { parseQuery } from '../../soql/index.js';
import { countOf } from '../../util/words.js';
import type { CliContext } from '../context.js';
import { toQueryUsageError } from '../query-errors.js';
import type { Runtime } from '../runtime.js';
import { openKeyboard, terminalWidth } from '../terminal.js';
import { withConnection } from '../with-connection.js';

export interface QueryConfig {
  q: string;
  from: string | undefined;
  to: string | undefined;
  order: 'asc' | 'desc';
  limit: number | undefined;
  /** The limit is the default one, which the user did not choose: its cut is always told. */
  defaultLimit: boolean;
  /** The output mode, and its text when it takes one (`-o template=…`). */
  output: OutputChoice;
  /** `--highlight`: matches marked in lines for people. */
  highlight?: Highlighter | undefined;
  fields: string[] | undefined;
  timeZone: TimeZoneMode;
  /** Tables with their header line. */
  headers: boolean;
  /** The time window in the user's words (`in the last 1h`; empty for none), for "nothing matched". */
  window: string;
  /** Nothing matched is a failure (exit 1) rather than a notice. */
  failOnEmpty: boolean;
  /** On a terminal: the result in the full-screen view, paged as the user scrolls. */
  tui?: boolean | undefined;
  /** `--tail N`: the result (newest first, `limit` N) is printed oldest first. */
  reversed?: boolean | undefined;
}

export async function executeQuery(
  context: CliContext,
  runtime: Runtime,
  config: QueryConfig,
): Promise<{ matched: number }> {
  let groupBy: string[] | null;
  try {
    groupBy = parseQuery(config.q).groupBy;
  } catch (error) {
    throw await toQueryUsageError(error, config.q);
  }
  const signal = runtime.signal;
  const isTTY = context.stdout.isTTY === true;
  const maxWidth = terminalWidth(context.stdout);
  // `-q` drops these in runtime.info.
  const notice = (text: string): void => runtime.info(text, 'dim');
  // Made before connecting: a mode that cannot take its options fails before any request.
  const { format } = config.output;
  // GROUP BY shows groups, as a table for people unless asked otherwise.
  const groupFormat = format === 'pretty' ? 'table' : isGroupFormat(format) ? format : undefined;
  if (groupBy !== null && config.reversed) {
    throw new UsageError('--tail picks the newest events; GROUP BY counts them: give one', {
      hint: 'with GROUP BY, --limit says how many groups',
    });
  }
  if (groupBy !== null && groupFormat === undefined) {
    throw new UsageError(`GROUP BY prints groups, which -o ${format} cannot show`, {
      hint: `choose one of -o ${GROUP_FORMATS.join(', ')}`,
    });
  }
  const formatter = await loadFormatter(format, {
    palette: runtime.palette,
    fields: config.fields,
    timeStyle: 'full',
    timeZone: config.timeZone,
    headers: config.headers,
    maxWidth,
    terminal: isTTY,
    argument: config.output.argument,
    highlight: config.highlight,
  });
  const result = await withConnection(
    context,
    runtime,
    async (connection) => {
      // The view needs keys to be quit: with no terminal to read them from, lines instead.
      const keyboard = config.tui && groupBy === null ? openKeyboard(context.stdin) : undefined;
      if (keyboard) {
        const { showQueryInTui } = await import('./query-tui.js');
        try {
          return await showQueryInTui(context, runtime, connection, config, keyboard);
        } catch (error) {
          throw await toQueryUsageError(error, config.q);
        }
      }
      const writer = new OutputWriter(context.stdout);
      try {
        const outcome = await runQuery(
          connection.client,
          { ...config, groupBy: groupBy !== null },
          config.reversed
            ? reversedOutput(createEventOutput(writer, formatter))
            : createEventOutput(writer, formatter),
          signal,
        );
        if (outcome.kind === 'groups') {
          // A GROUP BY is a summary for people unless asked otherwise: a table on a terminal.
          writer.write(
            formatGroups(outcome.groups, groupFormat ?? 'table', {
              palette: runtime.palette,
              keys: groupBy ?? [],
              headers: config.headers,
              maxWidth,
            }),
          );
          await writer.end();
          if (outcome.uncounted > 0) notice(groupsCutNotice(outcome.groups.length, outcome.uncounted));
          return { matched: outcome.groups.length };
        }
        // `--tail N` asked for the newest N: that more are older is no news.
        if (outcome.truncated && !config.reversed && (config.defaultLimit || isTTY)) {
          // A cap nobody asked for is told also to a pipe: `| wc -l` must not silently count it.
          // An explicit --limit is the script's own choice, told only on a terminal.
          notice(
            `(only the first ${countOf(outcome.count, 'event')}; --all or a larger --limit shows more, --quiet hides this)`,
          );
        }
        return { matched: outcome.count };
      } catch (error) {
        throw await toQueryUsageError(error, config.q);
      }
    },
    { signal },
  );
  if (result.matched === 0) {
    if (config.failOnEmpty) {
      throw new ResultError(nothingMatched(config), {
        hint: 'widen the filter or the time window (--since, --from); --fail-on-empty makes an empty result exit 1',
      });
    }
    if (isTTY) notice(nothingMatched(config));
  }
  return result;
}

/** `no events matched 'severity >= error' in the last 1h`, `no events stored`, … */
function nothingMatched(config: QueryConfig): string {
  const q = config.q.trim();
  if (q === '') return config.window === '' ? 'no events stored' : `no events ${config.window}`;
  return config.window === '' ? `no events matched '${q}'` : `no events matched '${q}' ${config.window}`;
}

/** Said on stderr whenever GROUP BY had more groups than were shown, so a cut is never silent. */
function groupsCutNotice(shown: number, uncounted: number): string {
  const more =
    shown >= MAX_GROUPS
      ? `the service returns at most ${MAX_GROUPS.toLocaleString('en')} groups; narrow the filter to see the rest`
      : `-n ${MAX_GROUPS} shows up to ${MAX_GROUPS.toLocaleString('en')}`;
  const largest =
    shown === 1 ? 'the largest group shown' : `the ${shown.toLocaleString('en')} largest groups shown`;
  const rest = uncounted === 1 ? '1 matching event is' : `${countOf(uncounted, 'matching event')} are`;
  return `(only ${largest}: ${rest} in groups not shown; ${more})`;
}
