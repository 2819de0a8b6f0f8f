/**
 * The options of every command that tails (`tail`, `sessions resume`, `query --follow`, the demo's
 * live view) and the one builder of a tail's configuration from them, so that a flag means the
 * same thing wherever it is given.
 */
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import type { OutputChoice } from '../output/event-output.js';
import { DEFAULT_CHECKPOINT_INTERVAL_MS } from '../tail/checkpoint.js';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS } from '../tail/engine.js';
import { DEFAULT_TUI_BUFFER } from '../tui/defaults.js';
import type { TailConfig, TailTargetConfig } from './actions/tail.js';
import type { CliContext } from './context.js';
import {
  checkFieldsFit,
  parseDurationOption,
  parseFieldList,
  parsePositiveInt,
  parseWholeNumber,
  quietOption,
  readHighlighter,
  readOutputChoice,
  readSince,
  withEventOutputOptions,
} from './options.js';
import { canDrawLiveView } from './terminal.js';

/** The options every live tail takes, as commander parses them. */
export interface LiveFlags {
  count?: number | undefined;
  /** `-o`; modes that take text may be chosen with `--NAME TEXT` instead (readOutputChoice). */
  output?: OutputChoice | undefined;
  /** `--highlight`, repeatable. */
  highlight?: string[] | undefined;
  fields?: string[] | undefined;
  utc?: boolean | undefined;
  heartbeatTimeout: number;
  maxRetries?: number | undefined;
  checkpointInterval: number;
  /** `--no-tui` sets it false: lines instead of the full-screen view on a terminal. */
  tui: boolean;
  buffer: number;
}

/** The live options' defaults, for a tail started without its own flags (`query -f`, the demo). */
export const LIVE_DEFAULTS: LiveFlags = {
  heartbeatTimeout: DEFAULT_HEARTBEAT_TIMEOUT_MS,
  checkpointInterval: DEFAULT_CHECKPOINT_INTERVAL_MS,
  tui: true,
  buffer: DEFAULT_TUI_BUFFER,
};

/** Adds the live options shared by every command that tails. */
export function withLiveOptions(command: Command): Command {
  command
    .option('-n, --count <n>', 'exit 0 after this many events', parsePositiveInt('--count'))
    .option(
      '--timeout <duration>',
      'exit 124 after this long (5 if the service was out of reach)',
      parseDurationOption('--timeout'),
    );
  return withEventOutputOptions(command)
    .option(
      '--fields <list>',
      'only these fields, comma-separated (payload.x for payload paths)',
      parseFieldList,
    )
    .option('--utc', 'show times in UTC (default: local time on a terminal)')
    .addOption(quietOption())
    .addOption(
      new Option('--heartbeat-timeout <duration>', 'reconnect when not even a heartbeat came for this long')
        .argParser(parseDurationOption('--heartbeat-timeout'))
        .default(LIVE_DEFAULTS.heartbeatTimeout, '35s'),
    )
    .addOption(
      new Option(
        '--max-retries <n>',
        'give up after this many failed reconnects in a row (default: never)',
      ).argParser(parseWholeNumber('--max-retries', 0)),
    )
    .addOption(
      new Option(
        '--checkpoint-interval <duration>',
        'with a session: how often its position is saved (and on exit)',
      )
        .argParser(parseDurationOption('--checkpoint-interval'))
        .default(LIVE_DEFAULTS.checkpointInterval, '5s'),
    )
    .option('--no-tui', 'print lines on a terminal instead of the full-screen view')
    .option(
      '--buffer <n>',
      'events the full-screen view keeps (older ones are dropped)',
      parsePositiveInt('--buffer', 1_000_000),
      LIVE_DEFAULTS.buffer,
    );
}

/**
 * The one builder of a tail's configuration: what to follow, `--since` read by the one rule
 * (options.ts), and how to show it (the full-screen view on a terminal unless `-o` or `--no-tui`).
 */
export async function tailConfig(
  context: CliContext,
  flags: LiveFlags,
  target: TailTargetConfig,
  since?: string | undefined,
  last?: number | undefined,
): Promise<TailConfig> {
  // In a merge, --since and --tail are the API's own tail's (a --url stream has no history).
  const withHistory = target.kind === 'query' || (target.kind === 'merge' && target.api);
  if (since !== undefined && !withHistory) {
    throw new UsageError('--since works with a filter, not with --session or --url');
  }
  if (last !== undefined && last > 0 && !withHistory) {
    throw new UsageError(
      target.kind === 'session'
        ? '--tail works with a filter, not with --session: a session goes on from where it stopped'
        : '--tail needs the history of the API: a --url stream has none to show the last events from',
    );
  }
  const chosen = await readOutputChoice(flags);
  const output = chosen ?? { format: context.stdout.isTTY ? 'pretty' : 'ndjson' };
  checkFieldsFit(output.format, flags.fields);
  return {
    target,
    since: since === undefined ? undefined : readSince(since, new Date()).from,
    last: last || undefined,
    count: flags.count,
    heartbeatTimeoutMs: flags.heartbeatTimeout,
    maxRetries: flags.maxRetries,
    checkpointIntervalMs: flags.checkpointInterval,
    output,
    highlight: readHighlighter(flags.highlight),
    fields: flags.fields,
    utc: flags.utc === true,
    // With --count the view prints the counted events when it closes, so it must hold them all:
    // a count beyond its buffer gets lines.
    tui:
      flags.tui &&
      chosen === undefined &&
      (flags.count === undefined || flags.count <= flags.buffer) &&
      canDrawLiveView(context.stdout, context.env)
        ? { buffer: flags.buffer }
        : undefined,
  };
}
