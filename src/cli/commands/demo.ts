/** `sotail demo` (what `npm start` runs): a local mock with traffic, and a tour of what sotail shows. */
import { Command } from 'commander';
import type { DemoFlags } from '../actions/demo.js';
import type { CliContext } from '../context.js';
import { parsePositiveInt } from '../options.js';
import { createRuntime } from '../runtime.js';

export function demoCommand(context: CliContext): Command {
  return new Command('demo')
    .description('start a local mock service with synthetic traffic and show it (no account needed)')
    .option('--rate <n>', 'synthetic events per second', parsePositiveInt('--rate', 100_000), 20)
    .option('--history <n>', 'past events to pre-fill', parsePositiveInt('--history', 1_000_000), 5_000)
    .option('--once', 'show the tour and stop, instead of keeping the service up until Ctrl-C')
    .addHelpText(
      'after',
      `
Examples:
  $ npm start                 # the same as: sotail demo
  $ sotail demo --rate 200 --history 20000`,
    )
    .action(async (flags: DemoFlags, command: Command) => {
      const runtime = createRuntime(context, command);
      const { runDemo } = await import('../actions/demo.js');
      await runDemo(context, runtime, flags);
    });
}
