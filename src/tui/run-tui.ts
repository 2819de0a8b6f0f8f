/**
 * Runs the live view over a tail: takes the terminal (alternate screen, raw keys), pumps the
 * engine's items into the view model, draws at most 30 frames a second and a frame at once for
 * each key, performs the effects keys ask for, and always gives the terminal back (screen,
 * cursor, raw mode) however it ends.
 *
 * The view draws itself: a frame is the rows of text the model shows (frame.ts), and only rows
 * that changed are written (screen.ts). A general UI library laid out and diffed the same frame
 * cell by cell at 60–90 ms a frame under load; this costs well under a millisecond
 * (docs/performance.md, B3 and B9).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EventRecord } from '../model/event-record.js';
import type { ColorLevel } from '../output/color.js';
import { type Highlighter, highlightLine } from '../output/highlight.js';
import { createPalette, type Palette } from '../output/palette.js';
import { formatPrettyEvent, type PrettyOptions } from '../output/pretty.js';
import { type LabelledTailItem, STREAM_FIELD } from '../tail/items.js';
import { countOf } from '../util/words.js';
import { copyText } from './clipboard.js';
import { drawFrame, type FrameContext } from './frame.js';
import { FrameClock } from './frame-clock.js';
import { startFrameStats } from './frame-stats.js';
import type { FetchHistory, HistoryPage } from './history.js';
import { HistoryPager } from './history-pager.js';
import { parseKeys } from './keys.js';
import { Screen } from './screen.js';
import { type Effect, stripAnsi, TuiModel } from './view-model.js';

/** Frames per second at most, whatever the event rate. */
export const MAX_FPS = 30;
/** The longest the view reads events before a key or a frame may go first (ms). */
const PUMP_SLICE_MS = 8;

/** The terminal the view draws on. */
export interface TerminalOutput {
  write(text: string): unknown;
  columns?: number | undefined;
  rows?: number | undefined;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

/** Where keys come from: a terminal that can be put in raw mode. */
export interface KeyInput {
  setRawMode(raw: boolean): unknown;
  setEncoding(encoding: 'utf8'): unknown;
  on(event: 'data', listener: (data: string) => void): unknown;
  off(event: 'data', listener: (data: string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface TuiOptions {
  /**
   * The tail's items; `stopItems` is called when the TUI closes, and must end them. Undefined for
   * the query view, which shows history only.
   */
  items?: AsyncIterable<LabelledTailItem> | undefined;
  stopItems?: (() => void) | undefined;
  /** Loads pages of history (the service's `/query`); without it the view is the buffer alone. */
  history?: FetchHistory | undefined;
  /** The query view: its first page, fetched already, and whether it reads oldest first. */
  result?: { firstPage: HistoryPage; oldestFirst: boolean; window: string } | undefined;
  /**
   * What Ctrl-C calls (raw mode turns it into a key): the program's interrupt path, which aborts
   * `signal`. Without it, Ctrl-C ends the TUI as `interrupted`.
   */
  onInterrupt?: (() => void) | undefined;
  /** Aborted from outside (Ctrl-C, SIGTERM, --timeout): the TUI closes. */
  signal: AbortSignal;
  /** Sends the program's notices to the status line while the TUI owns the screen. */
  divertChatter?: ((sink: (line: string) => void) => () => void) | undefined;
  /**
   * Registers a last resort that gives the terminal back when the process ends without closing
   * the view (a crash, a hang-up); returns its removal.
   */
  guardTerminal?: ((restore: () => void) => () => void) | undefined;
  keys: KeyInput;
  stdout: TerminalOutput;
  env: Readonly<Record<string, string | undefined>>;
  /** Most events held (`--buffer`). */
  capacity: number;
  colorLevel: ColorLevel;
  utc?: boolean | undefined;
  fields?: readonly string[] | undefined;
  /** `--highlight`: its matches marked in every line (output/highlight.ts). */
  highlight?: Highlighter | undefined;
  /** A merged tail's stream names: a label column, and each stream's state in the status area. */
  streams?: readonly string[] | undefined;
  query: string;
  profile?: string | undefined;
  /** Where `y` writes when the clipboard is out of reach. */
  copyPath: string;
  /** A first notice for the status line. */
  greeting?: string | undefined;
  /** A file to append one JSON line of frame statistics to each second (`SOTAIL_TUI_STATS`). */
  statsPath?: string | undefined;
  now?: () => number;
}

/**
 * How the TUI ended: `q`, Ctrl-C without an interrupt path, `signal`, or the tail ending on its
 * own (`--count` reached, the server closing the scope or answering 204), which closes the view
 * as it ends the line output.
 */
export type TuiEnd = 'quit' | 'interrupted' | 'aborted' | 'ended';

/** Runs until the user quits, the tail ends or `signal` aborts; rethrows what ended the tail abnormally. */
export async function runTui(options: TuiOptions): Promise<TuiEnd> {
  const now = options.now ?? Date.now;
  const palette = createPalette(options.colorLevel);
  const pretty = {
    palette,
    timeStyle: 'time' as const,
    timeZone: options.utc === true ? ('utc' as const) : ('local' as const),
    fields: options.fields,
    maxExtraChars: 300,
  };
  const highlight = palette.level > 0 ? options.highlight : undefined;
  const model = new TuiModel({
    capacity: options.capacity,
    now,
    formatLine: (event) => {
      const line = labelColumn(event, options.streams, palette, pretty) ?? formatPrettyEvent(event, pretty);
      return highlight ? highlightLine(line, highlight) : line;
    },
    streams: options.streams,
    history: options.history !== undefined,
    live: options.result === undefined,
  });
  if (options.greeting) model.notify('info', options.greeting);
  const context: FrameContext = {
    query: options.query,
    profile: options.profile,
    palette,
    window: options.result?.window,
  };
  const clock = new FrameClock(MAX_FPS, now);
  let finish: (end: TuiEnd | Error) => void = () => {};
  const finished = new Promise<TuiEnd | Error>((resolveFinish) => {
    finish = resolveFinish;
  });

  const { stdout, keys } = options;
  const screen = new Screen(stdout);
  const stats = options.statsPath ? startFrameStats(options.statsPath, model, now) : undefined;
  clock.subscribe(() => {
    const columns = stdout.columns || 80;
    const started = performance.now();
    const rows = drawFrame(model, { columns, rows: stdout.rows || 24 }, now(), context);
    const laidOut = performance.now();
    const bytes = screen.draw(rows);
    const written = performance.now();
    clock.reportDrawCost(written - started);
    stats?.onRender(laidOut - started, written - laidOut, bytes);
  });

  const report = (work: Promise<string>): void => {
    work
      .then(
        (message) => model.notify('info', message),
        (error: Error) => model.notify('warn', error.message),
      )
      .finally(() => clock.request());
  };
  // History is loaded only while the view is open.
  const closing = new AbortController();
  const pager = options.history
    ? new HistoryPager(options.history, closing.signal, (load, outcome) => {
        model.applyHistory(load, outcome);
        clock.request();
      })
    : undefined;
  const onEffect = (effect: Effect): void => {
    switch (effect.kind) {
      case 'load':
        pager?.run(effect.load);
        return;
      case 'quit':
        if (effect.interrupted && options.onInterrupt) options.onInterrupt();
        else finish(effect.interrupted ? 'interrupted' : 'quit');
        return;
      case 'copy':
        report(
          copyText(effect.line, {
            env: options.env,
            write: (sequence) => stdout.write(sequence),
            fallbackPath: options.copyPath,
          }),
        );
        return;
      case 'write':
        report(writeNdjson(resolve(effect.path), effect.lines));
        return;
    }
  };
  // A key is handled as soon as it is read, ahead of any batch still to come, and answered with
  // a frame at once.
  const onKeys = (data: string): void => {
    for (const key of parseKeys(data)) {
      const effect = model.handleKey(key);
      if (effect) onEffect(effect);
    }
    clock.drawNow();
  };
  const onResize = (): void => {
    screen.invalidate();
    clock.drawNow();
  };

  let rawMode = false;
  const giveBack = (): void => {
    screen.leave();
    if (rawMode) {
      rawMode = false;
      try {
        keys.setRawMode(false);
      } catch {
        // The terminal is gone (a hang-up): there is nothing left to restore.
      }
    }
  };
  const unguard = options.guardTerminal?.(giveBack);
  const onAbort = (): void => finish('aborted');
  if (options.signal.aborted) onAbort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  const restoreChatter = options.divertChatter?.((line) => {
    const text = stripAnsi(line);
    model.notify(/warning|error/i.test(text) ? 'warn' : 'info', text);
    clock.request();
  });
  // Once a second even when no event comes: countdowns, rates and notices age.
  const ticker = setInterval(() => clock.request(), 1000);

  keys.setRawMode(true);
  rawMode = true;
  keys.setEncoding('utf8');
  keys.on('data', onKeys);
  keys.resume();
  stdout.on('resize', onResize);
  screen.enter();
  if (options.result) {
    // The query view starts where its first page, fetched before the view opened, belongs.
    const start = model.startQuery(options.result.oldestFirst);
    if (start?.kind === 'load') model.applyHistory(start.load, options.result.firstPage);
  }
  clock.drawNow();

  let stopping = false;
  const { items } = options;
  const pump = (async () => {
    if (!items) return;
    let sliceStarted = performance.now();
    for await (const item of items) {
      model.apply(item);
      clock.request();
      // A burst already in the socket's buffer is read without ever leaving the microtask queue
      // (5,000 events, ~70 ms, behind a service that polls every 250 ms): let keys and frames in.
      if (performance.now() - sliceStarted >= PUMP_SLICE_MS) {
        await new Promise((resolveTurn) => setImmediate(resolveTurn));
        sliceStarted = performance.now();
      }
      // One stream of a merge ending is that stream's news; the merge's own end is the tail's.
      if (item.kind === 'ended' && item.reason !== 'aborted' && item.stream === undefined) finish('ended');
    }
  })().catch((error: unknown) => {
    if (!stopping) finish(error instanceof Error ? error : new Error(String(error)));
  });

  const end = await finished;
  stopping = true;
  closing.abort();
  options.stopItems?.();
  clearInterval(ticker);
  clock.stop();
  stats?.stop();
  restoreChatter?.();
  options.signal.removeEventListener('abort', onAbort);
  stdout.off('resize', onResize);
  keys.off('data', onKeys);
  keys.pause();
  giveBack();
  unguard?.();
  // Let the engine see the stop and close its connection before the caller reports.
  await pump;
  if (end instanceof Error) throw end;
  return end;
}

/**
 * A merged tail's line: its stream's name in a column as wide as the longest name, then the line
 * without the name among its fields (as pretty lines show it); undefined for a single stream.
 */
function labelColumn(
  event: EventRecord,
  streams: readonly string[] | undefined,
  palette: Palette,
  pretty: PrettyOptions,
): string | undefined {
  if (!streams?.length) return undefined;
  const width = Math.max(...streams.map((name) => name.length));
  const { [STREAM_FIELD]: name, ...rest } = event;
  const label = typeof name === 'string' ? name : '';
  return `${palette.key(label.padEnd(width))} ${formatPrettyEvent(rest, pretty)}`;
}

async function writeNdjson(path: string, lines: string[]): Promise<string> {
  // `wx`: never overwrite a file the user already has.
  await writeFile(path, lines.length ? `${lines.join('\n')}\n` : '', { flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      throw new Error(
        error.code === 'EEXIST'
          ? `${path} exists; choose another name`
          : `cannot write ${path}: ${error.message}`,
      );
    },
  );
  return `wrote ${countOf(lines.length, 'event')} to ${path}`;
}
