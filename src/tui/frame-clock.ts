/**
 * Paces redraws: however many events or keys arrive, subscribers are called at most `fps` times a
 * second, and only when something asked for a frame since the last one. When drawing a frame
 * costs more than a share of the frame interval (a slow machine, a huge terminal), frames are
 * spaced further apart so that drawing takes at most that share of a core: the view then shows
 * the newest events less often, but never falls behind them.
 */

/** The most of one core that drawing may take before frames are spaced out. */
export const DRAW_SHARE = 0.4;
/** The weight of the newest frame in the average cost. */
const COST_WEIGHT = 0.25;
export class FrameClock {
  private readonly intervalMs: number;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFrameMs = Number.NEGATIVE_INFINITY;
  private drawCostMs = 0;
  private stopped = false;
  /** Frames delivered since the start. */
  frames = 0;

  constructor(
    fps: number,
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = 1000 / fps;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * What a frame cost to draw, in ms. Averaged over the last frames: one slow frame (the first,
   * before the code is compiled; a pause of the garbage collector) does not hold the next back.
   */
  reportDrawCost(ms: number): void {
    this.drawCostMs += (ms - this.drawCostMs) * COST_WEIGHT;
  }

  /** Asks for a frame: the next one comes as soon as the frame interval allows. */
  request(): void {
    if (this.timer !== undefined || this.stopped) return;
    const interval = Math.max(this.intervalMs, this.drawCostMs / DRAW_SHARE);
    const wait = Math.max(0, this.lastFrameMs + interval - this.now());
    this.timer = setTimeout(this.fire, wait);
  }

  /**
   * Draws a frame now, whatever the interval: what a key asks for, so that it is answered in
   * the frame it caused rather than the next slot. A frame already due is drawn with it.
   */
  drawNow(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.fire();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.lastFrameMs = this.now();
    this.frames += 1;
    for (const listener of this.listeners) listener();
  };
}
