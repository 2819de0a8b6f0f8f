/**
 * Runs the TUI over a tail: opens the alternate screen, pumps the engine's items into the view
 * model, draws at most 30 frames a second, performs the effects keys ask for, and always gives the
 * terminal back (screen, cursor, raw mode) however it ends. Loaded lazily with ink and react, so
 * no other command pays for them.
 */
import { appendFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import chalk from 'chalk';
import { render } from 'ink';
import type { ColorLevel } from '../cli/color.js';
import { createPalette } from '../output/palette.js';
import { formatPrettyEvent } from '../output/pretty.js';
import type { TailItem } from '../tail/items.js';
import { copyText } from './clipboard.js';
import { App } from './components/App.js';
import { FrameClock } from './frame-clock.js';
import { type Effect, TuiModel } from './view-model.js';

/** Frames per second at most, whatever the event rate. */
export const MAX_FPS = 30;

/** Leaves the alternate screen and shows the cursor: what every exit path writes. */
export const RESTORE_TERMINAL = '\x1b[?25h\x1b[?1049l';
const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[H';

export interface TuiOptions {
  /** Opens the tail; the TUI aborts `signal` when the user quits. */
  openSource: (signal: AbortSignal) => AsyncIterable<TailItem>;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Aborted from outside (SIGTERM, --timeout): the TUI closes and reports the reason. */
  signal: AbortSignal;
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths typed at `w` resolve against this directory. */
  cwd: string;
  capacity: number;
  colorLevel: ColorLevel;
  query: string;
  profile?: string | undefined;
  /** Where `y` writes when the clipboard is out of reach. */
  copyPath: string;
  /** A file to append one JSON line of frame statistics per second to (`SOTAIL_TUI_STATS`). */
  statsPath?: string | undefined;
  now?: () => number;
}

export interface TuiOutcome {
  /** `quit`: q; `interrupted`: Ctrl-C; `aborted`: the outside signal. */
  how: 'quit' | 'interrupted' | 'aborted';
  events: number;
  reconnects: number;
  gapsBackfilled: number;
}

/** Runs until the user quits or `signal` aborts; rethrows what ended the tail abnormally. */
export async function runTui(options: TuiOptions): Promise<TuiOutcome> {
  const now = options.now ?? Date.now;
  // Ink colours through the shared chalk instance; NO_COLOR and --no-color must reach it too.
  if (options.colorLevel === 0) chalk.level = 0;
  const palette = createPalette(options.colorLevel);
  const model = new TuiModel({
    capacity: options.capacity,
    now,
    formatLine: (event) => formatPrettyEvent(event, { palette, timeStyle: 'time', maxExtraChars: 300 }),
  });
  const clock = new FrameClock(MAX_FPS, now);
  const tail = new AbortController();
  let finish: (outcome: TuiOutcome['how'] | Error) => void = () => {};
  const finished = new Promise<TuiOutcome['how'] | Error>((resolveFinish) => {
    finish = resolveFinish;
  });

  const notifyLater = (work: Promise<string>): void => {
    work.then(
      (message) => model.notify('info', message),
      (error: Error) => model.notify('warn', error.message),
    );
    work.finally(() => clock.request()).catch(() => {});
  };
  const onEffect = (effect: Effect): void => {
    switch (effect.kind) {
      case 'quit':
        finish(effect.interrupted ? 'interrupted' : 'quit');
        return;
      case 'copy':
        notifyLater(
          copyText(effect.line, {
            env: options.env,
            write: (sequence) => options.stdout.write(sequence),
            fallbackPath: options.copyPath,
          }),
        );
        return;
      case 'write':
        notifyLater(writeNdjson(resolve(options.cwd, effect.path), effect.lines));
        return;
    }
  };

  const stats = options.statsPath ? startStats(options.statsPath, model, clock, now) : undefined;
  const onAbort = (): void => finish('aborted');
  options.signal.addEventListener('abort', onAbort, { once: true });
  const ticker = setInterval(() => clock.request(), 1000);
  options.stdout.write(ENTER_ALTERNATE_SCREEN);
  const keys = options.stdin.isTTY === true && typeof options.stdin.setRawMode === 'function';
  const instance = render(
    <App
      model={model}
      subscribe={(listener) => clock.subscribe(listener)}
      requestFrame={() => clock.request()}
      onEffect={onEffect}
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
      onRender: stats?.onRender,
    },
  );
  instance.waitUntilExit().then(
    () => finish('quit'),
    (error: Error) => finish(error),
  );

  const pump = (async () => {
    for await (const item of options.openSource(tail.signal)) {
      model.apply(item);
      clock.request();
    }
  })().catch((error: unknown) => {
    if (!tail.signal.aborted) finish(error instanceof Error ? error : new Error(String(error)));
  });

  const how = await finished;
  tail.abort();
  clearInterval(ticker);
  clock.stop();
  stats?.stop();
  options.signal.removeEventListener('abort', onAbort);
  instance.unmount();
  options.stdout.write(RESTORE_TERMINAL);
  // Let the engine see the abort and close its connection before the caller reports.
  await pump;
  if (how instanceof Error) throw how;
  return {
    how,
    events: model.received,
    reconnects: model.connection.reconnects,
    gapsBackfilled: model.connection.gapsBackfilled,
  };
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

/**
 * Frame statistics for benchmarks and debugging: each second, frames drawn and how far the newest
 * shown event lags behind its receipt and behind its own timestamp.
 */
function startStats(path: string, model: TuiModel, clock: FrameClock, now: () => number) {
  let renders = 0;
  let lastLagMs: number | undefined;
  let lastEventLagMs: number | undefined;
  const onRender = (): void => {
    renders += 1;
    if (!model.following) return;
    const newest = model.view.at(model.view.shownCount - 1);
    if (!newest) return;
    const at = now();
    lastLagMs = at - newest.receivedAtMs;
    const stamp = Date.parse(String(newest.event.ts ?? ''));
    lastEventLagMs = Number.isNaN(stamp) ? undefined : at - stamp;
  };
  const timer = setInterval(() => {
    const row = {
      t: now(),
      renders,
      frames: clock.frames,
      received: model.received,
      shown: model.view.shownCount,
      receiptLagMs: lastLagMs,
      eventLagMs: lastEventLagMs,
    };
    renders = 0;
    appendFileSync(path, `${JSON.stringify(row)}\n`);
  }, 1000);
  return { onRender, stop: () => clearInterval(timer) };
}
