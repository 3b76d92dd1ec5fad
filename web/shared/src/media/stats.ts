// Connection quality of a console: frames and bytes per second over a sliding window, and input
// latency — the time from an input message to the next decoded frame (the device only sends
// frames when its picture changes, so this is what a touch feels like).

export interface QualitySnapshot {
  fps: number;
  kbps: number;
  /** Smoothed input → next frame time in ms; null until measured. */
  latencyMs: number | null;
  framesDecoded: number;
}

export class QualityMeter {
  private frames: number[] = [];
  private bytes: { at: number; n: number }[] = [];
  private pendingInputAt: number | null = null;
  private latency: number | null = null;
  framesDecoded = 0;

  constructor(private readonly windowMs = 1000, private readonly now: () => number = () => performance.now()) {}

  onBytes(n: number) {
    const at = this.now();
    this.bytes.push({ at, n });
    this.trim(at);
  }

  onFrame() {
    const at = this.now();
    this.framesDecoded++;
    this.frames.push(at);
    if (this.pendingInputAt !== null) {
      const sample = at - this.pendingInputAt;
      this.latency = this.latency === null ? sample : this.latency * 0.7 + sample * 0.3;
      this.pendingInputAt = null;
    }
    this.trim(at);
  }

  /** An input went out: the first frame after it closes the latency sample. */
  onInput() {
    if (this.pendingInputAt === null) this.pendingInputAt = this.now();
  }

  snapshot(): QualitySnapshot {
    const at = this.now();
    this.trim(at);
    const secs = this.windowMs / 1000;
    const bytes = this.bytes.reduce((s, b) => s + b.n, 0);
    return {
      fps: this.frames.length / secs,
      kbps: (bytes * 8) / 1000 / secs,
      latencyMs: this.latency === null ? null : Math.round(this.latency),
      framesDecoded: this.framesDecoded,
    };
  }

  private trim(at: number) {
    const from = at - this.windowMs;
    while (this.frames.length && this.frames[0] <= from) this.frames.shift();
    while (this.bytes.length && this.bytes[0].at <= from) this.bytes.shift();
    // An input the device never answered (nothing changed) is no latency sample.
    if (this.pendingInputAt !== null && at - this.pendingInputAt > 5000) this.pendingInputAt = null;
  }
}
