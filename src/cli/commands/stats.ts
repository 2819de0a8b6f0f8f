/** `sotail stats`: totals by severity, source and dataset (`GET /logs/stats`). */
import { Command } from 'commander';
import { RECORD_FORMATS, type RecordFormat } from '../../output/records.js';
import type { CliContext } from '../context.js';
import { recordOutputOption, timeoutOption } from '../options.js';
import { createRuntime } from '../runtime.js';

export function statsCommand(context: CliContext): Command {
  return new Command('stats')
    .description('show how many events are stored, by severity, source and dataset')
    .addOption(recordOutputOption(RECORD_FORMATS))
    .addOption(timeoutOption())
    .addHelpText(
      'after',
      `
Examples:
  $ sotail stats
  $ sotail stats | jq '.bySeverity.error'
  $ sotail stats -o json --timeout 10s`,
    )
    .action(async (flags: { output?: RecordFormat }, command: Command) => {
      const runtime = createRuntime(context, command);
      const { showStats } = await import('../actions/stats.js');
      await showStats(context, runtime, flags.output);
    });
}
