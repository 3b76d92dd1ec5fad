// Connects a console to a phone's screen: opens the transport, decodes into the canvas, tracks
// connection quality, and exposes send() for input.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api } from '../api/endpoints';
import { CanvasPlayer, webCodecsAvailable } from '../media/player';
import type { InputMessage, StreamRole } from '../media/protocol';
import { QualityMeter, type QualitySnapshot } from '../media/stats';
import { openTransport, type MediaTransport, type TransportKind } from '../media/transport';

export type StreamStatus = 'connecting' | 'playing' | 'ended' | 'failed' | 'unsupported';

export interface StreamState {
  status: StreamStatus;
  error: unknown;
  endedReason: string | null;
  role: StreamRole | null;
  kind: TransportKind | null;
  frame: { width: number; height: number } | null;
  quality: QualitySnapshot;
  clipboard: string | null;
  mediaStream: MediaStream | null;
}

const initialQuality: QualitySnapshot = { fps: 0, kbps: 0, latencyMs: null, framesDecoded: 0 };

export function useStream(api: Api, deviceId: string, canvas: React.RefObject<HTMLCanvasElement>, attempt: number) {
  const [state, setState] = useState<StreamState>({
    status: 'connecting', error: null, endedReason: null, role: null, kind: null, frame: null,
    quality: initialQuality, clipboard: null, mediaStream: null,
  });
  const transport = useRef<MediaTransport | null>(null);
  const meter = useRef(new QualityMeter());

  useEffect(() => {
    if (!webCodecsAvailable() && typeof RTCPeerConnection === 'undefined') {
      setState((s) => ({ ...s, status: 'unsupported' }));
      return;
    }
    let cancelled = false;
    let player: CanvasPlayer | null = null;
    meter.current = new QualityMeter();
    setState((s) => ({ ...s, status: 'connecting', error: null, endedReason: null }));
    const onFrame = (width: number, height: number) => {
      meter.current.onFrame();
      setState((s) => (s.frame?.width === width && s.frame?.height === height && s.status === 'playing'
        ? s : { ...s, status: 'playing', frame: { width, height } }));
    };
    openTransport({ api, deviceId }, {
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
    }).then((t) => {
      if (cancelled) { t.close(); return; }
      transport.current = t;
      setState((s) => ({ ...s, kind: t.kind }));
    }, (e) => {
      if (!cancelled) setState((s) => ({ ...s, status: 'failed', error: e }));
    });
    const tick = window.setInterval(() => setState((s) => ({ ...s, quality: meter.current.snapshot() })), 1000);
    return () => {
      cancelled = true;
      window.clearInterval(tick);
      transport.current?.close();
      transport.current = null;
      player?.close();
    };
  }, [api, deviceId, canvas, attempt]);

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
