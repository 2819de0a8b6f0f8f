/**
 * `sotail tail` on a terminal: the full-screen view over the same engine as the line outputs. The
 * view is imported only here, so no other command pays for loading it. It ends as the lines do:
 * `--count` reached exits 0 and leaves the counted events on the screen as lines; the server
 * ending the tail says why and exits 0; `q` prints the summary and exits 0, Ctrl-C 130,
 * `--timeout` 124; an error closes the view and is reported as for lines.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InterruptedError } from '../../errors.js';
import { createEventOutput, loadFormatter } from '../../output/event-output.js';
import type { Highlighter } from '../../output/highlight.js';
import { renderLine, type StyledLine } from '../../output/styled-line.js';
import { formatMergedTailSummary, formatTailState, formatTailSummary } from '../../output/tail-status.js';
import { OutputWriter } from '../../output/writer.js';
import type { TailStream } from '../../tail/engine.js';
import type { LabelledTailItem, TailEvent, TailStateItem } from '../../tail/items.js';
import type { MergedTailStream } from '../../tail/merge.js';
import type { FetchHistory } from '../../tui/history.js';
import type { CliContext } from '../context.js';
import type { Runtime } from '../runtime.js';
import { guardTerminal, type Keyboard } from '../terminal.js';

export interface TailTuiConfig {
  query: string;
  profile?: string | undefined;
  /** Most events the view holds (`--buffer`). */
  buffer: number;
  utc: boolean;
  fields?: string[] | undefined;
  /** `--highlight`: matches marked in the view's lines. */
  highlight?: Highlighter | undefined;
  /** A first notice in the status line (the demo says what it shows). */
  greeting?: string | undefined;
  /** Where keys are read (openKeyboard): stdin, or the controlling terminal. */
  keyboard: Keyboard;
  /** Loads older matching events when the user scrolls past the buffer. */
  history?: FetchHistory | undefined;
  /** Called with a batch's resume cursor once the view has taken the batch in (session checkpoints). */
  onShown?: ((cursor: string) => void) | undefined;
  /** A merged tail's stream names: a label column, and each stream's state. */
  streams?: readonly string[] | undefined;
}

/** The tail the view runs: one engine or a merge of several, opened with the view's own signal. */
export interface TailRun {
  /** Ctrl-C, SIGTERM, `--timeout`: the view closes. */
  signal: AbortSignal;
  /** `--count`. */
  maxEvents?: number | undefined;
  open(signal: AbortSignal): TailStream | MergedTailStream;
}

/**
 * Runs the engine under the TUI until the user quits, the tail ends or `tail.signal` aborts. The
 * engine gets a signal of its own that quitting also aborts.
 */
export async function showTailInTui(
  context: CliContext,
  runtime: Runtime,
  tail: TailRun,
  config: TailTuiConfig,
): Promise<void> {
  const { runTui } = await import('../../tui/run-tui.js');
  const quit = new AbortController();
  const stream = tail.open(AbortSignal.any([tail.signal, quit.signal]));
  // With --count the events are the command's result, as they are for lines: they are printed
  // once the view has closed, so that they stay on the screen. The engine delivers at most that
  // many, so keeping them is bounded by the count.
  const counted: TailEvent[] | undefined = tail.maxEvents === undefined ? undefined : [];
  let ended: Extract<TailStateItem, { kind: 'ended' }> | undefined;
  // Warnings the view showed in its status line are said again once it has closed, as the line
  // output says them: a hole in the stream must not go unseen because the view was quit.
  const warnings = new WarningLog();
  const items = observe(stream as AsyncIterable<LabelledTailItem>, (item) => {
    if (item.kind === 'batch') counted?.push(...item.events);
    // One stream of a merge ending is that stream's news (a warning below when it failed).
    else if (item.kind === 'ended' && item.stream === undefined) ended = item;
    else if (
      item.kind === 'missing' ||
      (item.kind === 'notice' && item.level === 'warn') ||
      (item.kind === 'ended' && item.reason === 'failed')
    ) {
      warnings.add(
        formatTailState(item, { palette: runtime.stderrPalette, verbose: false, stream: item.stream }),
      );
    }
  });
  const printCounted = async (): Promise<void> => {
    if (!counted?.length) return;
    const formatter = await loadFormatter('pretty', {
      palette: runtime.palette,
      fields: config.fields,
      timeStyle: 'time',
      timeZone: config.utc ? 'utc' : 'local',
      terminal: true,
      highlight: config.highlight,
      streams: config.streams,
    });
    const output = createEventOutput(new OutputWriter(context.stdout), formatter);
    await output.write(counted);
    await output.end();
  };
  let end: Awaited<ReturnType<typeof runTui>>;
  try {
    end = await runTui({
      items: config.onShown ? confirmAfterShown(items, config.onShown) : items,
      stopItems: () => quit.abort(),
      onInterrupt: () => context.interrupt(new InterruptedError('interrupted (Ctrl-C)')),
      signal: tail.signal,
      divertChatter: (sink) =>
        context.chatter.divert((line) => {
          if (WARNING_LINE.test(line)) warnings.add(line);
          sink(line);
        }),
      guardTerminal,
      history: config.history,
      keys: config.keyboard.stream,
      // The TUI is only chosen when stdout is a terminal.
      stdout: context.stdout as NodeJS.WriteStream,
      env: context.env,
      capacity: config.buffer,
      colorLevel: runtime.stdoutColor,
      utc: config.utc,
      fields: config.fields,
      highlight: config.highlight,
      query: config.query,
      profile: config.profile,
      copyPath: join(tmpdir(), 'sotail-clipboard.json'),
      statsPath: context.env.SOTAIL_TUI_STATS || undefined,
      greeting: config.greeting,
      streams: config.streams,
    });
  } catch (error) {
    // What the lines would have printed before the error.
    await printCounted().catch(() => undefined);
    warnings.sayTo(context.chatter);
    throw error;
  } finally {
    config.keyboard.close();
  }
  await printCounted();
  warnings.sayTo(context.chatter);
  if (end === 'ended' && ended) {
    // As for lines: the reason on stderr (nothing more for --count), exit 0.
    const line = formatTailState(ended, { palette: runtime.stderrPalette, verbose: false });
    if (line !== undefined) context.chatter.say(line);
    return;
  }
  const now = Date.now();
  const summary =
    'streams' in stream
      ? formatMergedTailSummary(stream.counters, stream.streams, now, runtime.startedAtMs)
      : [formatTailSummary(stream.counters, now, { sinceMs: runtime.startedAtMs })];
  // Ctrl-C says the summary as the interruption itself (exit 130), as lines do: no `interrupted`.
  const reason: unknown = end === 'aborted' ? tail.signal.reason : undefined;
  if (reason instanceof InterruptedError) {
    const [total = '', ...streams] = summary;
    throw new InterruptedError(total.replace(/^sotail: /, ''), { cause: reason, details: streams });
  }
  for (const line of summary) context.chatter.say(line);
  if (end === 'aborted') throw reason;
}

/** A chatter line that is a warning (`runtime.warn`), coloured or not; not retries or --debug. */
const WARNING_LINE = /^(?:\x1b\[[0-9;]*m)*sotail: warning:/;

/** Most warnings said again after the view: the first ones, then how many more there were. */
const MAX_WARNINGS = 20;

/** The warnings of a view's run, each once, in the order they came. */
class WarningLog {
  readonly #lines: StyledLine[] = [];
  /** Lines as shown (rendered): the same warning twice is said once. */
  readonly #seen = new Set<string>();
  #more = 0;

  add(line: StyledLine | undefined): void {
    if (line === undefined) return;
    const shown = renderLine(line);
    if (this.#seen.has(shown)) return;
    this.#seen.add(shown);
    if (this.#lines.length < MAX_WARNINGS) this.#lines.push(line);
    else this.#more += 1;
  }

  sayTo(chatter: { say(line: StyledLine): void }): void {
    for (const line of this.#lines) chatter.say(line);
    if (this.#more > 0) chatter.say(`sotail: ${this.#more} more warnings while the view was open`);
  }
}

/** The items as they are, calling `see` with each before it is handed on. */
async function* observe(
  items: AsyncIterable<LabelledTailItem>,
  see: (item: LabelledTailItem) => void,
): AsyncGenerator<LabelledTailItem> {
  for await (const item of items) {
    see(item);
    yield item;
  }
}

/** The items, calling `onShown` with a batch's cursor once the view has asked for the next item. */
async function* confirmAfterShown(
  items: AsyncIterable<LabelledTailItem>,
  onShown: (cursor: string) => void,
): AsyncGenerator<LabelledTailItem> {
  for await (const item of items) {
    yield item;
    if (item.kind === 'batch' && item.cursor !== undefined) onShown(item.cursor);
  }
}
