// Decodes the WebSocket transport's access units with WebCodecs and draws them on a canvas.
import type { VideoMessage } from './protocol';

export function webCodecsAvailable(): boolean {
  return typeof VideoDecoder !== 'undefined' && typeof EncodedVideoChunk !== 'undefined';
}

export class CanvasPlayer {
  private decoder: VideoDecoder | null = null;
  private ctx2d: CanvasRenderingContext2D | null;
  private waitingForKey = true;
  framesDecoded = 0;
  errors: string[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private codec: string,
    private readonly onFrame: (width: number, height: number) => void,
  ) {
    this.ctx2d = canvas.getContext('2d');
  }

  setCodec(codec: string) {
    if (codec === this.codec) return;
    this.codec = codec;
    this.reset();
  }

  push(m: VideoMessage) {
    if (m.kind === 'config') return; // the SPS/PPS also lead every key frame
    if (this.waitingForKey && m.kind !== 'key') return;
    if (!this.decoder || this.decoder.state === 'closed') this.decoder = this.makeDecoder();
    if (this.decoder.state === 'unconfigured') {
      this.decoder.configure({ codec: this.codec, optimizeForLatency: true });
    }
    this.waitingForKey = false;
    try {
      this.decoder.decode(new EncodedVideoChunk({ type: m.kind === 'key' ? 'key' : 'delta', timestamp: Math.max(0, m.ptsUs), data: m.data }));
    } catch (e) {
      this.errors.push(String(e));
      this.reset();
    }
  }

  close() {
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
  }

  private reset() {
    this.close();
    this.waitingForKey = true;
  }

  private makeDecoder(): VideoDecoder {
    return new VideoDecoder({
      output: (frame) => {
        const w = frame.displayWidth, h = frame.displayHeight;
        if (this.canvas.width !== w || this.canvas.height !== h) {
          this.canvas.width = w;
          this.canvas.height = h;
        }
        this.ctx2d?.drawImage(frame, 0, 0);
        frame.close();
        this.framesDecoded++;
        // Read by the browser tests: the count of pictures actually decoded and drawn.
        this.canvas.dataset.framesDecoded = String(this.framesDecoded);
        this.onFrame(w, h);
      },
      error: (e) => {
        this.errors.push(String(e));
        this.waitingForKey = true; // the next key frame starts a fresh decoder
        this.decoder = null;
      },
    });
  }
}
