// The WebRTC transport's signalling as a pure state machine (no RTCPeerConnection), so the
// order of offer, answer and candidates, and when a connection counts as up or failed, are
// unit-tested. The protocol is the media service's (docs/decisions.md "Media: the WebRTC
// transport"): on WS /api/v1/streams/{id}/rtc the server sends meta, then its offer and ICE
// candidates; the browser answers and sends its candidates. Input goes over the server's data
// channels ("input" reliable, "pointer" unordered for touch moves).
import type { InputMessage, ServerMessage } from './protocol';

export type RtcServerMessage =
  | ServerMessage
  | { t: 'offer'; sdp: string }
  | { t: 'candidate'; candidate: string; sdpMLineIndex: number }
  | { t: 'error'; field: string; reason: string };

/** Parses one signalling-socket text message; null for anything not in the protocol. */
export function parseRtcMessage(text: string): RtcServerMessage | null {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!m || typeof m !== 'object') return null;
  const str = (k: string) => typeof m[k] === 'string';
  switch (m.t) {
    case 'meta':
      return typeof m.width === 'number' && typeof m.height === 'number' ? (m as unknown as ServerMessage) : null;
    case 'clipboard':
      return str('text') ? (m as unknown as ServerMessage) : null;
    case 'ended':
      return { t: 'ended', reason: str('reason') ? (m.reason as string) : 'ended' };
    case 'offer':
      return str('sdp') ? { t: 'offer', sdp: m.sdp as string } : null;
    case 'candidate':
      return str('candidate') && Number.isInteger(m.sdpMLineIndex)
        ? { t: 'candidate', candidate: m.candidate as string, sdpMLineIndex: m.sdpMLineIndex as number } : null;
    case 'error':
      return { t: 'error', field: str('field') ? (m.field as string) : '', reason: str('reason') ? (m.reason as string) : 'error' };
    default:
      return null;
  }
}

/** Which data channel an input message takes: touch moves may be dropped (a newer one follows),
 *  everything else must arrive in order. */
export function channelFor(m: InputMessage): 'pointer' | 'input' {
  return m.t === 'touch' && m.action === 'move' ? 'pointer' : 'input';
}

export type RtcPhase = 'waiting-offer' | 'answering' | 'connecting' | 'connected' | 'failed' | 'ended';

export type RtcEvent =
  | { type: 'signal'; text: string }                   // a message on the signalling socket
  | { type: 'remote-set' }                             // setRemoteDescription(offer) resolved
  | { type: 'answer'; sdp: string }                    // the local answer is set: send it
  | { type: 'local-candidate'; candidate: string; sdpMLineIndex: number | null }
  | { type: 'peer-state'; state: string }              // RTCPeerConnection.connectionState
  | { type: 'frame' }                                  // a first frame was decoded
  | { type: 'socket-closed'; reason: string }
  | { type: 'timeout' }
  | { type: 'error'; reason: string };                 // an RTCPeerConnection call threw

export type RtcAction =
  | { do: 'apply-offer'; sdp: string }                 // setRemoteDescription, createAnswer, setLocalDescription
  | { do: 'add-candidate'; candidate: string; sdpMLineIndex: number }
  | { do: 'send'; text: string }                       // on the signalling socket
  | { do: 'deliver'; message: ServerMessage }          // meta / clipboard to the console
  | { do: 'connected' }                                // connect() resolves
  | { do: 'failed'; reason: string }                   // connect() rejects (the console falls back)
  | { do: 'ended'; reason: string };                   // a connected session ended

/** Feed events in, run the returned actions in order. Connected means the peer connection is up
 *  and a frame was decoded: media really flows, so falling back is no longer needed. */
export class RtcSignalMachine {
  phase: RtcPhase = 'waiting-offer';
  private remoteSet = false;
  private pending: { candidate: string; sdpMLineIndex: number }[] = [];
  private peerUp = false;
  private gotFrame = false;
  /** The server's last {t:'error'} (kept for the failure reason). */
  lastError: string | null = null;

  get done() { return this.phase === 'failed' || this.phase === 'ended'; }

  handle(e: RtcEvent): RtcAction[] {
    if (this.done) return [];
    switch (e.type) {
      case 'signal': return this.onSignal(e.text);
      case 'remote-set': {
        this.remoteSet = true;
        const out = this.pending.map((c): RtcAction => ({ do: 'add-candidate', ...c }));
        this.pending = [];
        return out;
      }
      case 'answer':
        if (this.phase !== 'answering') return [];
        this.phase = 'connecting';
        return [{ do: 'send', text: JSON.stringify({ t: 'answer', sdp: e.sdp }) }];
      case 'local-candidate':
        // An empty candidate marks the end of gathering; the server does not take it.
        if (!e.candidate) return [];
        return [{ do: 'send', text: JSON.stringify({ t: 'candidate', candidate: e.candidate, sdpMLineIndex: e.sdpMLineIndex ?? 0 }) }];
      case 'peer-state':
        if (e.state === 'connected') { this.peerUp = true; return this.checkUp(); }
        if (e.state === 'failed' || e.state === 'closed') return this.stop(`the WebRTC connection ${e.state}`);
        return [];
      case 'frame':
        this.gotFrame = true;
        return this.checkUp();
      case 'socket-closed':
        return this.stop(this.lastError ?? (e.reason || 'the signalling connection closed'));
      case 'timeout':
        if (this.phase === 'connected') return [];
        return this.stop(this.lastError
          ?? (this.phase === 'waiting-offer' ? 'no offer from the server' : this.peerUp ? 'no picture decoded' : 'no ICE connection'));
      case 'error':
        return this.stop(e.reason);
    }
  }

  private onSignal(text: string): RtcAction[] {
    const m = parseRtcMessage(text);
    if (!m) return [];
    switch (m.t) {
      case 'meta': case 'clipboard': return [{ do: 'deliver', message: m }];
      case 'ended': return this.stop(m.reason);
      case 'error':
        this.lastError = m.field ? `${m.field}: ${m.reason}` : m.reason;
        // A refused answer cannot recover (the server offers once); other errors are per message.
        return m.field === 'sdp' ? this.stop(this.lastError) : [];
      case 'offer':
        if (this.phase !== 'waiting-offer') return [];
        this.phase = 'answering';
        return [{ do: 'apply-offer', sdp: m.sdp }];
      case 'candidate':
        if (!m.candidate) return [];
        if (!this.remoteSet) { this.pending.push({ candidate: m.candidate, sdpMLineIndex: m.sdpMLineIndex }); return []; }
        return [{ do: 'add-candidate', candidate: m.candidate, sdpMLineIndex: m.sdpMLineIndex }];
    }
  }

  private checkUp(): RtcAction[] {
    if (this.phase === 'connected' || !this.peerUp || !this.gotFrame) return [];
    this.phase = 'connected';
    return [{ do: 'connected' }];
  }

  private stop(reason: string): RtcAction[] {
    const was = this.phase;
    this.phase = was === 'connected' ? 'ended' : 'failed';
    return [{ do: was === 'connected' ? 'ended' : 'failed', reason }];
  }
}
