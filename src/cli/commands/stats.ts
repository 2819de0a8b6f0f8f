/** `sotail stats`: totals by severity, source and dataset, over everything or a recent window. */
import { Command } from 'commander';
import { RECORD_FORMATS, type RecordFormat } from '../../output/formats.js';
import type { CliContext } from '../context.js';
import { quietOption, readSince, recordOutputOption, SINCE_HELP, timeoutOption } from '../options.js';
import { createRuntime } from '../runtime.js';

interface StatsFlags {
  output?: RecordFormat;
  since?: string;
  headers: boolean;
}

export function statsCommand(context: CliContext): Command {
  return new Command('stats')
    .description('show how many events are stored, by severity, source and dataset')
    .addOption(recordOutputOption(RECORD_FORMATS))
    .option('--since <time>', `count only events ${SINCE_HELP}`)
    .option('--no-headers', 'print tables without their header lines')
    .addOption(quietOption())
    .addOption(timeoutOption())
    .addHelpText(
      'after',
      `
Without --since the totals cover every stored event (GET /logs/stats). With --since they are
counted by the query endpoint (GROUP BY over the window), whose answers hold at most 1000
sources or datasets: beyond that the smallest are left out, and stderr says so.

Examples:
  $ sotail stats
  $ sotail stats --since 1h
  $ sotail stats | jq '.bySeverity.error'
  $ sotail stats -o json --timeout 10s`,
    )
    .action(async (flags: StatsFlags, command: Command) => {
      const runtime = createRuntime(context, command);
      const { showStats } = await import('../actions/stats.js');
      await showStats(context, runtime, {
        format: flags.output,
        since: flags.since === undefined ? undefined : readSince(flags.since, new Date()),
        headers: flags.headers,
      });
    });
}
