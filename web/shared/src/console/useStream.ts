// Connects a console to a phone's screen: opens the transport (WebRTC first unless the user
// chose otherwise, then the WebSocket path), decodes WebSocket frames into the canvas or hands
// the WebRTC stream to the <video>, tracks connection quality, and exposes send() for input.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api } from '../api/endpoints';
import { CanvasPlayer, webCodecsAvailable } from '../media/player';
import type { InputMessage, StreamRole } from '../media/protocol';
import { QualityMeter, type QualitySnapshot } from '../media/stats';
import { openTransport, preferFor, type MediaTransport, type TransportChoice, type TransportKind } from '../media/transport';
import { RTC_FORCED_TIMEOUT_MS, WebRtcTransport, webRtcAvailable } from '../media/webrtc';

export type StreamStatus = 'connecting' | 'playing' | 'ended' | 'failed' | 'unsupported';

export interface StreamState {
  status: StreamStatus;
  error: unknown;
  endedReason: string | null;
  role: StreamRole | null;
  kind: TransportKind | null;
  frame: { width: number; height: number } | null;
  quality: QualitySnapshot;
  /** WebRTC only: round-trip time of the ICE candidate pair. */
  rttMs: number | null;
  clipboard: string | null;
  mediaStream: MediaStream | null;
  /** A preferred transport that was passed over, and why (the console says so). */
  fallback: { from: TransportKind; reason: string } | null;
}

const initialQuality: QualitySnapshot = { fps: 0, kbps: 0, latencyMs: null, framesDecoded: 0 };

export function useStream(
  api: Api, deviceId: string, canvas: React.RefObject<HTMLCanvasElement>, video: React.RefObject<HTMLVideoElement>,
  attempt: number, choice: TransportChoice = 'auto',
) {
  const [state, setState] = useState<StreamState>({
    status: 'connecting', error: null, endedReason: null, role: null, kind: null, frame: null,
    quality: initialQuality, rttMs: null, clipboard: null, mediaStream: null, fallback: null,
  });
  const transport = useRef<MediaTransport | null>(null);
  const meter = useRef(new QualityMeter());

  useEffect(() => {
    if (!webCodecsAvailable() && !webRtcAvailable()) {
      setState((s) => ({ ...s, status: 'unsupported' }));
      return;
    }
    let cancelled = false;
    let player: CanvasPlayer | null = null;
    meter.current = new QualityMeter();
    setState((s) => ({
      ...s, status: 'connecting', error: null, endedReason: null, kind: null, mediaStream: null, fallback: null,
      quality: initialQuality, rttMs: null,
    }));
    const onFrame = (width: number, height: number) => {
      meter.current.onFrame();
      setState((s) => (s.frame?.width === width && s.frame?.height === height && s.status === 'playing'
        ? s : { ...s, status: 'playing', frame: { width, height } }));
    };
    // Forced WebRTC has nothing to fall back to: it may take longer on a slow or busy server.
    const connectTimeoutMs = choice === 'webrtc' ? RTC_FORCED_TIMEOUT_MS : undefined;
    openTransport({ api, deviceId, connectTimeoutMs }, {
      onVideo: (m, bytes) => {
        meter.current.onBytes(bytes);
        if (!player && canvas.current) player = new CanvasPlayer(canvas.current, 'avc1.42E01F', onFrame);
        player?.push(m);
      },
      onTrack: (stream) => setState((s) => ({ ...s, mediaStream: stream, status: 'playing' })),
      onMessage: (m) => {
        if (m.t === 'meta') {
          if (!player && canvas.current) player = new CanvasPlayer(canvas.current, m.codec, onFrame);
          player?.setCodec(m.codec);
          setState((s) => ({ ...s, role: m.role, frame: { width: m.width, height: m.height } }));
        } else if (m.t === 'clipboard') {
          setState((s) => ({ ...s, clipboard: m.text }));
        } else if (m.t === 'ended') {
          setState((s) => ({ ...s, status: 'ended', endedReason: m.reason }));
        }
      },
      onClose: (reason) => setState((s) => (s.status === 'ended' ? s : { ...s, status: 'ended', endedReason: reason })),
    }, preferFor(choice), (kind, e) => {
      if (!cancelled) setState((s) => ({ ...s, fallback: { from: kind, reason: e.message } }));
    }).then((t) => {
      if (cancelled) { t.close(); return; }
      transport.current = t;
      setState((s) => ({ ...s, kind: t.kind }));
    }, (e) => {
      if (!cancelled) setState((s) => ({ ...s, status: 'failed', error: e }));
    });
    // Once a second: the quality display; for WebRTC the decoder's own counters (getStats).
    let lastBytes: number | null = null;
    const tick = window.setInterval(() => {
      const t = transport.current;
      if (!(t instanceof WebRtcTransport)) {
        setState((s) => ({ ...s, quality: meter.current.snapshot() }));
        return;
      }
      void t.stats().then((st) => {
        if (cancelled || !st) return;
        if (lastBytes !== null) meter.current.onBytes(Math.max(0, st.bytesReceived - lastBytes));
        lastBytes = st.bytesReceived;
        if (video.current) video.current.dataset.framesDecoded = String(st.framesDecoded);
        const frame = st.frameWidth && st.frameHeight ? { width: st.frameWidth, height: st.frameHeight } : null;
        setState((s) => ({
          ...s, quality: { ...meter.current.snapshot(), framesDecoded: st.framesDecoded }, rttMs: st.rttMs,
          frame: frame && (frame.width !== s.frame?.width || frame.height !== s.frame?.height) ? frame : s.frame,
        }));
      });
    }, 1000);
    return () => {
      cancelled = true;
      window.clearInterval(tick);
      transport.current?.close();
      transport.current = null;
      player?.close();
    };
  }, [api, deviceId, canvas, video, attempt, choice]);

  // WebRTC frames as the <video> presents them: the frame rate and the input → picture latency.
  useEffect(() => {
    const v = video.current;
    if (!state.mediaStream || !v || typeof v.requestVideoFrameCallback !== 'function') return;
    let presented: number | null = null;
    let handle = 0;
    const onVideoFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
      const n = presented === null ? 1 : Math.min(120, Math.max(0, meta.presentedFrames - presented));
      presented = meta.presentedFrames;
      for (let i = 0; i < n; i++) meter.current.onFrame();
      handle = v.requestVideoFrameCallback(onVideoFrame);
    };
    handle = v.requestVideoFrameCallback(onVideoFrame);
    return () => v.cancelVideoFrameCallback(handle);
  }, [state.mediaStream, video]);

  const send = useCallback((m: InputMessage) => {
    const ok = transport.current?.send(m) ?? false;
    if (ok && m.t !== 'keyframe') meter.current.onInput();
    return ok;
  }, []);

  const takeControl = useCallback(async () => {
    if (!transport.current?.takeControl) return;
    await transport.current.takeControl();
    setState((s) => ({ ...s, role: 'controller' }));
  }, []);

  return { state, send, takeControl };
}
