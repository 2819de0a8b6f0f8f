/**
 * Runs the TUI over a tail: opens the alternate screen, pumps the engine's items into the view
 * model, draws at most 30 frames a second, performs the effects keys ask for, and always gives the
 * terminal back (screen, cursor, raw mode) however it ends. Loaded lazily with ink and react, so
 * no other command pays for them.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import chalk from 'chalk';
import { render } from 'ink';
import type { ColorLevel } from '../output/color.js';
import { createPalette } from '../output/palette.js';
import { formatPrettyEvent } from '../output/pretty.js';
import type { TailItem } from '../tail/items.js';
import { copyText } from './clipboard.js';
import { App } from './components/App.js';
import { FrameClock } from './frame-clock.js';
import { startFrameStats } from './frame-stats.js';
import { type Effect, stripAnsi, TuiModel } from './view-model.js';

/** Frames per second at most, whatever the event rate. */
export const MAX_FPS = 30;

const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[H';
/** Shows the cursor and leaves the alternate screen, back to the shell as it was. */
const LEAVE_ALTERNATE_SCREEN = '\x1b[?25h\x1b[?1049l';

export interface TuiOptions {
  /** The tail's items; `stopItems` is called when the TUI closes, and must end them. */
  items: AsyncIterable<TailItem>;
  stopItems: () => void;
  /**
   * What Ctrl-C calls (raw mode turns it into a key): the program's interrupt path, which aborts
   * `signal`. Without it, Ctrl-C ends the TUI as `interrupted`.
   */
  onInterrupt?: (() => void) | undefined;
  /** Aborted from outside (Ctrl-C, SIGTERM, --timeout): the TUI closes. */
  signal: AbortSignal;
  /** Sends the program's notices to the status line while the TUI owns the screen. */
  divertChatter?: ((sink: (line: string) => void) => () => void) | undefined;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Most events held (`--buffer`). */
  capacity: number;
  colorLevel: ColorLevel;
  utc?: boolean | undefined;
  fields?: readonly string[] | undefined;
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

/** Runs until the user quits or `signal` aborts; rethrows what ended the tail abnormally. */
export async function runTui(options: TuiOptions): Promise<TuiEnd> {
  const now = options.now ?? Date.now;
  // Ink colours through the shared chalk instance; NO_COLOR and --no-color must reach it too.
  if (options.colorLevel === 0) chalk.level = 0;
  const palette = createPalette(options.colorLevel);
  const pretty = {
    palette,
    timeStyle: 'time' as const,
    timeZone: options.utc === true ? ('utc' as const) : ('local' as const),
    fields: options.fields,
    maxExtraChars: 300,
  };
  const model = new TuiModel({
    capacity: options.capacity,
    now,
    formatLine: (event) => formatPrettyEvent(event, pretty),
  });
  if (options.greeting) model.notify('info', options.greeting);
  const clock = new FrameClock(MAX_FPS, now);
  let finish: (end: TuiEnd | Error) => void = () => {};
  const finished = new Promise<TuiEnd | Error>((resolveFinish) => {
    finish = resolveFinish;
  });

  const report = (work: Promise<string>): void => {
    work
      .then(
        (message) => model.notify('info', message),
        (error: Error) => model.notify('warn', error.message),
      )
      .finally(() => clock.request());
  };
  const onEffect = (effect: Effect): void => {
    switch (effect.kind) {
      case 'quit':
        if (effect.interrupted && options.onInterrupt) options.onInterrupt();
        else finish(effect.interrupted ? 'interrupted' : 'quit');
        return;
      case 'copy':
        report(
          copyText(effect.line, {
            env: options.env,
            write: (sequence) => options.stdout.write(sequence),
            fallbackPath: options.copyPath,
          }),
        );
        return;
      case 'write':
        report(writeNdjson(resolve(effect.path), effect.lines));
        return;
    }
  };

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
  const stats = options.statsPath ? startFrameStats(options.statsPath, model, now) : undefined;

  let onScreen = true;
  const leaveScreen = (): void => {
    if (!onScreen) return;
    onScreen = false;
    options.stdout.write(LEAVE_ALTERNATE_SCREEN);
  };
  options.stdout.write(ENTER_ALTERNATE_SCREEN);
  const keys = options.stdin.isTTY === true && typeof options.stdin.setRawMode === 'function';
  const instance = render(
    <App
      model={model}
      subscribe={(listener) => clock.subscribe(listener)}
      requestFrame={() => clock.request()}
      onEffect={onEffect}
      onUnmount={leaveScreen}
      keys={keys}
      now={now}
      query={options.query}
      profile={options.profile}
      palette={palette}
    />,
    {
      stdout: options.stdout,
      stdin: options.stdin,
      stderr: options.stderr,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: MAX_FPS,
      onRender: ({ renderTime }) => {
        clock.reportDrawCost(renderTime);
        stats?.onRender();
      },
    },
  );
  instance.waitUntilExit().then(
    () => finish('quit'),
    (error: Error) => finish(error),
  );

  let stopping = false;
  const pump = (async () => {
    for await (const item of options.items) {
      model.apply(item);
      clock.request();
      if (item.kind === 'ended' && item.reason !== 'aborted') finish('ended');
    }
  })().catch((error: unknown) => {
    if (!stopping) finish(error instanceof Error ? error : new Error(String(error)));
  });

  const end = await finished;
  stopping = true;
  options.stopItems();
  clearInterval(ticker);
  clock.stop();
  stats?.stop();
  restoreChatter?.();
  options.signal.removeEventListener('abort', onAbort);
  instance.unmount();
  leaveScreen();
  // Let the engine see the stop and close its connection before the caller reports.
  await pump;
  if (end instanceof Error) throw end;
  return end;
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
  return `wrote ${lines.length.toLocaleString('en-US')} events to ${path}`;
}
