/**
 * The TUI's root: the list (or the detail pane, or the help) above the status area. It draws the
 * model when the frame clock ticks, never once per event, and turns keys into model calls.
 */
import { Box, useInput, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import { type InkKeyFlags, keysFromInk } from '../keys.js';
import type { Effect, TuiModel } from '../view-model.js';
import { DetailPane } from './DetailPane.js';
import { EventList } from './EventList.js';
import { HelpPane } from './HelpPane.js';
import { StatusBar, type StatusContext, statusHeight } from './StatusBar.js';

export interface AppProps extends StatusContext {
  model: TuiModel;
  /** Calls `onFrame` at most at the frame rate when something changed; returns an unsubscribe. */
  subscribe: (onFrame: () => void) => () => void;
  /** Asks for a frame soon (after a key). */
  requestFrame: () => void;
  onEffect: (effect: Effect) => void;
  /**
   * Called when the app unmounts, including Ink's unmount when the process exits on a crash: where
   * the runner gives the terminal back.
   */
  onUnmount?: (() => void) | undefined;
  /** False when stdin cannot be put in raw mode (not a terminal): keys are then not read. */
  keys: boolean;
  now: () => number;
}

export function App(props: AppProps) {
  const { model, subscribe, requestFrame, onEffect, onUnmount, keys, now } = props;
  const { stdout } = useStdout();
  const [, setFrame] = useState(0);
  const [size, setSize] = useState(() => terminalSize(stdout));

  useEffect(() => subscribe(() => setFrame((frame) => frame + 1)), [subscribe]);
  useEffect(() => onUnmount, [onUnmount]);
  useEffect(() => {
    const onResize = (): void => setSize(terminalSize(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);

  useInput(
    (input, key) => {
      for (const press of keysFromInk(input, key as InkKeyFlags)) {
        const effect = model.handleKey(press);
        if (effect) onEffect(effect);
      }
      requestFrame();
    },
    { isActive: keys },
  );

  // One row stays free: a live area as tall as the terminal makes Ink clear the screen every frame.
  const status = statusHeight(model);
  const bodyHeight = Math.max(1, size.rows - 1 - status);
  model.setViewport(size.columns, bodyHeight);
  const { mode } = model;
  return (
    <Box flexDirection="column" width={size.columns}>
      {mode.kind === 'detail' ? (
        <DetailPane entry={mode.entry} scroll={mode.scroll} height={bodyHeight} width={size.columns} />
      ) : mode.kind === 'help' ? (
        <HelpPane height={bodyHeight} />
      ) : (
        <EventList model={model} height={bodyHeight} width={size.columns} />
      )}
      <StatusBar {...props} nowMs={now()} />
    </Box>
  );
}

function terminalSize(stdout: NodeJS.WriteStream): { columns: number; rows: number } {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}
