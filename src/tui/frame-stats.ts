/**
 * Frame statistics for the TUI benchmark and for debugging (`SOTAIL_TUI_STATS=file`): each second,
 * one JSON line with the frames drawn and how far the newest shown event lags behind its arrival
 * and behind its own timestamp. A lag that grows means the view does not keep up.
 */
import { appendFileSync } from 'node:fs';
import type { TuiModel } from './view-model.js';

export interface FrameStats {
  /** Ink's after-render callback. */
  onRender: () => void;
  stop: () => void;
}

export function startFrameStats(path: string, model: TuiModel, now: () => number): FrameStats {
  let frames = 0;
  let receiptLagMs: number | undefined;
  let eventLagMs: number | undefined;
  const onRender = (): void => {
    frames += 1;
    if (!model.following) return;
    const newest = model.view.at(model.view.shownCount - 1);
    if (!newest) return;
    const at = now();
    receiptLagMs = at - newest.receivedAtMs;
    const stamp = Date.parse(String(newest.event.ts ?? ''));
    eventLagMs = Number.isNaN(stamp) ? undefined : at - stamp;
  };
  const timer = setInterval(() => {
    const row = { t: now(), frames, received: model.received, receiptLagMs, eventLagMs };
    frames = 0;
    // Synchronous and once a second: a debug aid, never on unless asked for.
    appendFileSync(path, `${JSON.stringify(row)}\n`);
  }, 1000);
  return { onRender, stop: () => clearInterval(timer) };
}
