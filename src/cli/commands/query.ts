/** `sotail query`: search stored events, page by page, or aggregate them with GROUP BY. */
import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import type { OutputChoice } from '../../output/event-output.js';
import { peopleTimeFormat } from '../../output/time-format.js';
import { readTimeSpec } from '../../util/time-spec.js';
import type { CliContext } from '../context.js';
import { LIVE_DEFAULTS, tailConfig } from '../live-options.js';
import {
  checkFieldsFit,
  parseFieldList,
  parsePositiveInt,
  quietOption,
  readHighlighter,
  readOutputChoice,
  readSince,
  SINCE_HELP,
  timeoutOption,
  withEventOutputOptions,
} from '../options.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { canDrawLiveView } from '../terminal.js';

interface QueryFlags {
  since?: string;
  from?: string;
  to?: string;
  limit?: number;
  all?: boolean;
  /** `--tail N`: the newest N, oldest first. */
  tail?: number;
  order: 'asc' | 'desc';
  output?: OutputChoice;
  fields?: string[];
  highlight?: string[];
  failOnEmpty?: boolean;
  utc?: boolean;
  headers: boolean;
  follow?: boolean;
  /** False with --no-tui. */
  tui: boolean;
  /** From timeoutOption(); the runtime's signal honours it, `--follow` hands it to the tail. */
  timeout?: number;
}

/** Events printed when neither --limit nor --all is given. */
const DEFAULT_LIMIT = 100;

export const QUERY_EXAMPLES = `
Examples:
  $ sotail query 'severity >= error' --since 1h
  $ sotail query 'source == api AND message ~ "time(d)? ?out"' --since 1h30m --limit 500
  $ sotail query 'payload.user EXISTS' --from 2026-05-17T00:00:00Z --to 2026-05-18T00:00:00Z -o table
  $ sotail query 'severity >= warn GROUP BY source' --since 24h
  $ sotail query --since 7d --all | jq -r 'select(.severity == "critical") | .message'
  $ sotail query 'source == api' --since 10m -o raw | grep -c timeout   # messages only
  $ sotail query 'severity >= error' --since 24h --tail 20   # the newest 20, oldest first (like tail -n)
  $ sotail query 'source == api' --since 1h -o 'template={{payload.request_id}}\\t{{message}}'
  $ sotail query 'event == "deploy_done"' --since 10m --limit 1 --fail-on-empty   # in CI: exit 1 if none
  $ sotail query 'source == api' --since 1h -f      # the last hour, oldest first, then live (like tail)

Filter language: severity >= warn, source == fivem, message ~ "regex", payload.x == 1,
  source IN (api, web), actor EXISTS, NOT (...), AND / OR, "full text", ... GROUP BY source
Durations: 90s, 15m, 1h30m, 7d; a bare number is seconds. Times: RFC 3339, seconds optional,
  UTC unless an offset is given (2026-05-17T10:00Z, 2026-05-17T12:00+02:00, 2026-05-17).
Output: on a terminal the result opens in the full-screen view, loaded page by page as you
  scroll (the keys of tail's view; ? lists them); --no-tui, -o, --limit, --tail, --all or
  --fail-on-empty print lines instead. NDJSON to a pipe (-o json for one array, -o raw for the
  messages alone, -o template='{{ts}} {{message}} {{payload.x | json}}' for your own lines:
  fields, payload paths, | json, upper, lower, pad N, trunc N; \\n \\t; \\{{ for a literal {{).
  Times: local on a terminal, UTC (marked Z) in a pipe or with --utc.`;

export function queryCommand(context: CliContext): Command {
  const command = new Command('query')
    .description('search stored events (newest first), or count them with GROUP BY')
    .argument('[query]', 'SOQL filter; empty matches everything', '')
    .addOption(new Option('--since <time>', `only events ${SINCE_HELP}`).conflicts('from'))
    .option('--from <time>', 'start time, inclusive (RFC 3339, or a duration back like 2h)')
    .option('--to <time>', 'end time, exclusive (RFC 3339, or a duration back like 2h)')
    .addOption(
      new Option('-n, --limit <n>', `most events to print (default ${DEFAULT_LIMIT})`)
        .argParser(parsePositiveInt('--limit'))
        .conflicts('all'),
    )
    .option('--all', 'follow every page to the end (streams in constant memory)')
    .addOption(
      new Option('--tail <n>', 'the newest N matching events, printed oldest first (like tail -n)')
        .argParser(parsePositiveInt('--tail'))
        .conflicts(['limit', 'all']),
    )
    .addOption(
      new Option('--order <order>', 'newest or oldest first').choices(['desc', 'asc']).default('desc'),
    );
  return withEventOutputOptions(command)
    .option(
      '--fields <list>',
      'only these fields, comma-separated (SOQL names and aliases; payload.x for payload paths)',
      parseFieldList,
    )
    .option('--utc', 'show times in UTC (default: local time on a terminal)')
    .option('--no-headers', 'print tables without their header line')
    .addOption(quietOption())
    .option('--fail-on-empty', 'exit 1 when nothing matches (for scripts)')
    .option(
      '-f, --follow',
      `after the matches (oldest first, since --since/--from, default ${FOLLOW_DEFAULT_SINCE}), follow live`,
    )
    .option('--no-tui', 'print lines on a terminal instead of the full-screen view')
    .addOption(timeoutOption())
    .addHelpText('after', QUERY_EXAMPLES)
    .action(async (query: string, flags: QueryFlags, command: Command) => {
      const runtime = createRuntime(context, command);
      const now = new Date();
      const since = flags.since === undefined ? undefined : readSince(flags.since, now);
      const from = since !== undefined ? since.from : flags.from && timeFlag('--from', flags.from, now);
      const to = flags.to ? timeFlag('--to', flags.to, now) : undefined;
      if (flags.follow) {
        await follow(context, runtime, command, query, flags, from ?? FOLLOW_DEFAULT_SINCE);
        return;
      }
      if (from && to && from >= to) throw new UsageError(`--from (${from}) must be before --to (${to})`);
      if (flags.tail !== undefined && command.getOptionValueSource('order') === 'cli') {
        throw new UsageError('--tail prints the newest events oldest first: it does not take --order');
      }
      const isTTY = context.stdout.isTTY === true;
      const chosen = await readOutputChoice(flags);
      const output = chosen ?? { format: isTTY ? 'pretty' : 'ndjson' };
      checkFieldsFit(output.format, flags.fields);
      const { executeQuery } = await import('../actions/query.js');
      await executeQuery(context, runtime, {
        q: query,
        from,
        to,
        // --tail N: the newest N (newest first from the service), printed oldest first.
        order: flags.tail !== undefined ? 'desc' : flags.order,
        limit: flags.all ? undefined : (flags.tail ?? flags.limit ?? DEFAULT_LIMIT),
        defaultLimit: !flags.all && flags.limit === undefined && flags.tail === undefined,
        reversed: flags.tail !== undefined,
        output,
        highlight: readHighlighter(flags.highlight),
        fields: flags.fields,
        timeZone: peopleTimeFormat({ terminal: isTTY, utc: flags.utc === true, live: false }).zone,
        headers: flags.headers,
        window: since?.window ?? describeWindow(flags),
        failOnEmpty: flags.failOnEmpty === true,
        // The view pages through the result as the user scrolls; a number of lines asked for
        // (--limit, --tail, --all) or a script's check (--fail-on-empty) gets lines.
        tui:
          flags.tui &&
          chosen === undefined &&
          flags.limit === undefined &&
          flags.tail === undefined &&
          !flags.all &&
          !flags.failOnEmpty &&
          canDrawLiveView(context.stdout, context.env),
      });
    });
}

/** How far back `--follow` starts without --since/--from, as `aws logs tail` does. */
const FOLLOW_DEFAULT_SINCE = '10m';

/** `query -f`: the matching history oldest first, then the live tail, with no gap and no overlap. */
async function follow(
  context: CliContext,
  runtime: Runtime,
  command: Command,
  query: string,
  flags: QueryFlags,
  since: string,
): Promise<void> {
  const clash = [
    flags.to !== undefined && '--to',
    flags.all && '--all',
    flags.limit !== undefined && '--limit',
    flags.tail !== undefined && '--tail',
    flags.failOnEmpty && '--fail-on-empty',
    command.getOptionValueSource('order') === 'cli' && '--order',
  ].filter((flag): flag is string => typeof flag === 'string');
  if (clash.length > 0) {
    throw new UsageError(`--follow never ends and goes oldest first: it does not take ${clash.join(', ')}`);
  }
  // On a terminal the live view (the window's matches first), unless --no-tui or -o.
  // The output flags (-o, --template, --fields, --utc) are the live options' own.
  const live = { ...LIVE_DEFAULTS, ...flags };
  const config = await tailConfig(context, live, { kind: 'query', q: query }, since);
  const { executeTail } = await import('../actions/tail.js');
  await executeTail(context, runtime, config);
}

function timeFlag(flag: string, value: string, now: Date): string {
  const result = readTimeSpec(value, now);
  if ('problem' in result) throw new UsageError(`${flag}: ${result.problem}`);
  return result.iso;
}

/** The time window as the user wrote it, for "no events matched … in the last 1h". */
function describeWindow(flags: QueryFlags): string {
  if (flags.from && flags.to) return `between ${flags.from} and ${flags.to}`;
  if (flags.from) return `since ${flags.from}`;
  if (flags.to) return `before ${flags.to}`;
  return '';
}
