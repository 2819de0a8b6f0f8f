/**
 * Paces redraws: however many events or keys arrive, subscribers are called at most `fps` times a
 * second, and only when something asked for a frame since the last one.
 */
export class FrameClock {
  private readonly intervalMs: number;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFrameMs = Number.NEGATIVE_INFINITY;
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

  /** Asks for a frame: the next one comes as soon as the frame interval allows. */
  request(): void {
    if (this.timer !== undefined || this.stopped) return;
    const wait = Math.max(0, this.lastFrameMs + this.intervalMs - this.now());
    this.timer = setTimeout(this.fire, wait);
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
