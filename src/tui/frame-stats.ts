/**
 * Frame statistics for the TUI benchmark and for debugging (`SOTAIL_TUI_STATS=file`): each second,
 * one JSON line with the frames drawn, what they cost (making the rows, writing the changed ones),
 * how many bytes went to the terminal, and how far the newest shown event lags behind its arrival
 * and behind its own timestamp. A lag that grows means the view does not keep up.
 */
import { appendFileSync } from 'node:fs';
import type { TuiModel } from './view-model.js';

export interface FrameStats {
  /** Called after each frame with what making its rows and writing them cost, in ms. */
  onRender: (layoutMs: number, writeMs: number, bytes: number) => void;
  stop: () => void;
}

export function startFrameStats(path: string, model: TuiModel, now: () => number): FrameStats {
  let frames = 0;
  let layoutMs = 0;
  let writeMs = 0;
  let bytes = 0;
  let receiptLagMs: number | undefined;
  let eventLagMs: number | undefined;
  const onRender = (layout: number, write: number, written: number): void => {
    frames += 1;
    layoutMs += layout;
    writeMs += write;
    bytes += written;
    if (!model.following) return;
    const newest = model.view.at(model.view.shownCount - 1);
    if (!newest) return;
    const at = now();
    receiptLagMs = at - newest.receivedAtMs;
    const stamp = Date.parse(String(newest.event.ts ?? ''));
    eventLagMs = Number.isNaN(stamp) ? undefined : at - stamp;
  };
  const timer = setInterval(() => {
    const perFrame = (total: number): number | undefined =>
      frames === 0 ? undefined : Math.round((total / frames) * 1000) / 1000;
    const row = {
      t: now(),
      frames,
      layoutMs: perFrame(layoutMs),
      writeMs: perFrame(writeMs),
      bytes: perFrame(bytes),
      received: model.received,
      receiptLagMs,
      eventLagMs,
    };
    frames = 0;
    layoutMs = 0;
    writeMs = 0;
    bytes = 0;
    // Synchronous and once a second: a debug aid, never on unless asked for.
    appendFileSync(path, `${JSON.stringify(row)}\n`);
  }, 1000);
  return { onRender, stop: () => clearInterval(timer) };
}
