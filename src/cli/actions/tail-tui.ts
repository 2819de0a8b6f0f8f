/**
 * `sotail tail` on a terminal: the full-screen view over the same engine as the line outputs. The
 * view (ink, react) is imported only here, so no other command pays for loading it. Ending is the
 * same as for lines: a summary on stderr, exit 0 on `q`, 130 on Ctrl-C, 124 on --timeout.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InterruptedError } from '../../errors.js';
import { openTail, type TailOptions } from '../../tail/engine.js';
import type { TailItem } from '../../tail/items.js';
import type { CliContext } from '../context.js';
import type { Runtime } from '../runtime.js';
import { formatTailSummary } from '../tail-lines.js';

export interface TailTuiConfig {
  query: string;
  profile?: string | undefined;
  /** Most events the view holds (`--buffer`). */
  buffer: number;
  utc: boolean;
  fields?: string[] | undefined;
  /** A first notice in the status line (the demo says what it shows). */
  greeting?: string | undefined;
  /** Called with a batch's resume cursor once the view has taken the batch in (session checkpoints). */
  onShown?: ((cursor: string) => void) | undefined;
}

/**
 * Runs the engine under the TUI until the user quits or `tail.signal` aborts. The engine gets a
 * signal of its own that quitting also aborts.
 */
export async function showTailInTui(
  context: CliContext,
  runtime: Runtime,
  tail: TailOptions,
  config: TailTuiConfig,
): Promise<void> {
  const { runTui } = await import('../../tui/run-tui.js');
  const quit = new AbortController();
  const stream = openTail({ ...tail, signal: AbortSignal.any([tail.signal, quit.signal]) });
  const end = await runTui({
    items: config.onShown ? confirmAfterShown(stream, config.onShown) : stream,
    stopItems: () => quit.abort(),
    onInterrupt: () => context.interrupt(new InterruptedError('interrupted (Ctrl-C)')),
    signal: tail.signal,
    divertChatter: (sink) => context.chatter.divert(sink),
    // Ink needs Node's terminal streams; the TUI is only chosen when stdout is a terminal.
    stdin: context.stdin as NodeJS.ReadStream,
    stdout: context.stdout as NodeJS.WriteStream,
    stderr: context.stderr as NodeJS.WriteStream,
    env: context.env,
    capacity: config.buffer,
    colorLevel: runtime.stdoutColor,
    utc: config.utc,
    fields: config.fields,
    query: config.query,
    profile: config.profile,
    copyPath: join(tmpdir(), 'sotail-clipboard.json'),
    statsPath: context.env.SOTAIL_TUI_STATS || undefined,
    greeting: config.greeting,
  });
  context.stderr.write(`${formatTailSummary(stream.counters, Date.now())}\n`);
  if (end === 'aborted') throw tail.signal.reason;
}

/** The items, calling `onShown` with a batch's cursor once the view has asked for the next item. */
async function* confirmAfterShown(
  items: AsyncIterable<TailItem>,
  onShown: (cursor: string) => void,
): AsyncGenerator<TailItem> {
  for await (const item of items) {
    yield item;
    if (item.kind === 'batch' && item.cursor !== undefined) onShown(item.cursor);
  }
}
