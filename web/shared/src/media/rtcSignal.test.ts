import { describe, expect, it } from 'vitest';
import { channelFor, parseRtcMessage, RtcSignalMachine, type RtcAction } from './rtcSignal';
import { initialTransportChoice, openTransport, preferFor, registerTransport, type MediaTransport, type TransportContext } from './transport';

const offer = JSON.stringify({ t: 'offer', sdp: 'v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n' });
const cand = (c: string, i = 0) => JSON.stringify({ t: 'candidate', candidate: c, sdpMLineIndex: i });
const sent = (actions: RtcAction[]) => actions.flatMap((a) => (a.do === 'send' ? [JSON.parse(a.text) as unknown] : []));

describe('parseRtcMessage', () => {
  it('takes the server\'s signalling and stream messages', () => {
    expect(parseRtcMessage(offer)).toEqual({ t: 'offer', sdp: 'v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n' });
    expect(parseRtcMessage(cand('candidate:1 1 UDP 2015363327 10.0.0.5 40000 typ host', 1)))
      .toEqual({ t: 'candidate', candidate: 'candidate:1 1 UDP 2015363327 10.0.0.5 40000 typ host', sdpMLineIndex: 1 });
    expect(parseRtcMessage('{"t":"meta","codec":"avc1.42E01F","width":720,"height":1280,"rotation":0,"role":"viewer"}'))
      .toMatchObject({ t: 'meta', width: 720, role: 'viewer' });
    expect(parseRtcMessage('{"t":"error","field":"sdp","reason":"video rejected"}')).toEqual({ t: 'error', field: 'sdp', reason: 'video rejected' });
    expect(parseRtcMessage('{"t":"ended"}')).toEqual({ t: 'ended', reason: 'ended' });
  });

  it('refuses what is not the protocol', () => {
    for (const bad of ['not json', 'null', '[]', '{"t":"offer"}', '{"t":"offer","sdp":5}', '{"t":"candidate","candidate":"x"}',
      '{"t":"candidate","candidate":"x","sdpMLineIndex":0.5}', '{"t":"meta","width":"720"}', '{"t":"answer","sdp":"x"}', '{"t":"clipboard"}']) {
      expect(parseRtcMessage(bad), bad).toBeNull();
    }
  });
});

describe('channelFor', () => {
  it('sends touch moves unordered and everything else reliably', () => {
    expect(channelFor({ t: 'touch', action: 'move', pointer: 0, x: 1, y: 1, w: 2, h: 2 })).toBe('pointer');
    expect(channelFor({ t: 'touch', action: 'up', pointer: 0, x: 1, y: 1, w: 2, h: 2 })).toBe('input');
    expect(channelFor({ t: 'text', text: 'a' })).toBe('input');
  });
});

describe('RtcSignalMachine', () => {
  it('answers the offer, holds early candidates until the offer is applied, and connects on peer up + a frame', () => {
    const m = new RtcSignalMachine();
    expect(m.handle({ type: 'signal', text: '{"t":"meta","codec":"avc1.42E01F","width":720,"height":1280,"rotation":0,"role":"controller"}' }))
      .toEqual([{ do: 'deliver', message: expect.objectContaining({ t: 'meta', role: 'controller' }) }]);
    // A candidate racing ahead of the offer waits for the remote description.
    expect(m.handle({ type: 'signal', text: cand('early') })).toEqual([]);
    expect(m.handle({ type: 'signal', text: offer })).toEqual([{ do: 'apply-offer', sdp: expect.stringContaining('m=video') }]);
    expect(m.phase).toBe('answering');
    expect(m.handle({ type: 'signal', text: offer })).toEqual([]); // the server offers once
    expect(m.handle({ type: 'remote-set' })).toEqual([{ do: 'add-candidate', candidate: 'early', sdpMLineIndex: 0 }]);
    expect(m.handle({ type: 'signal', text: cand('late', 1) })).toEqual([{ do: 'add-candidate', candidate: 'late', sdpMLineIndex: 1 }]);
    expect(sent(m.handle({ type: 'answer', sdp: 'v=0 answer' }))).toEqual([{ t: 'answer', sdp: 'v=0 answer' }]);
    expect(m.phase).toBe('connecting');
    expect(sent(m.handle({ type: 'local-candidate', candidate: 'mine', sdpMLineIndex: null }))).toEqual([{ t: 'candidate', candidate: 'mine', sdpMLineIndex: 0 }]);
    expect(m.handle({ type: 'local-candidate', candidate: '', sdpMLineIndex: 0 })).toEqual([]); // end of gathering
    expect(m.handle({ type: 'peer-state', state: 'connecting' })).toEqual([]);
    expect(m.handle({ type: 'peer-state', state: 'connected' })).toEqual([]); // no picture yet
    expect(m.handle({ type: 'frame' })).toEqual([{ do: 'connected' }]);
    expect(m.handle({ type: 'frame' })).toEqual([]);
    expect(m.handle({ type: 'timeout' })).toEqual([]); // too late to matter
    expect(m.handle({ type: 'peer-state', state: 'disconnected' })).toEqual([]); // may recover
    expect(m.handle({ type: 'signal', text: '{"t":"clipboard","text":"hi"}' })).toEqual([{ do: 'deliver', message: { t: 'clipboard', text: 'hi' } }]);
    expect(m.handle({ type: 'signal', text: '{"t":"ended","reason":"device stopped"}' })).toEqual([{ do: 'ended', reason: 'device stopped' }]);
    expect(m.phase).toBe('ended');
    expect(m.handle({ type: 'socket-closed', reason: '' })).toEqual([]);
  });

  it('fails (so the console falls back) without an offer, without ICE, on a refused answer or a dead worker', () => {
    const noOffer = new RtcSignalMachine();
    expect(noOffer.handle({ type: 'timeout' })).toEqual([{ do: 'failed', reason: 'no offer from the server' }]);
    expect(noOffer.handle({ type: 'frame' })).toEqual([]);

    const noIce = new RtcSignalMachine();
    noIce.handle({ type: 'signal', text: offer });
    noIce.handle({ type: 'answer', sdp: 'a' });
    expect(noIce.handle({ type: 'timeout' })).toEqual([{ do: 'failed', reason: 'no ICE connection' }]);

    const noPicture = new RtcSignalMachine();
    noPicture.handle({ type: 'signal', text: offer });
    noPicture.handle({ type: 'peer-state', state: 'connected' });
    expect(noPicture.handle({ type: 'timeout' })).toEqual([{ do: 'failed', reason: 'no picture decoded' }]);

    const iceFailed = new RtcSignalMachine();
    iceFailed.handle({ type: 'signal', text: offer });
    expect(iceFailed.handle({ type: 'peer-state', state: 'failed' })).toEqual([{ do: 'failed', reason: 'the WebRTC connection failed' }]);

    const refused = new RtcSignalMachine();
    refused.handle({ type: 'signal', text: offer });
    expect(refused.handle({ type: 'signal', text: '{"t":"error","field":"candidate","reason":"must be one candidate line"}' })).toEqual([]);
    expect(refused.handle({ type: 'signal', text: '{"t":"error","field":"sdp","reason":"video rejected"}' }))
      .toEqual([{ do: 'failed', reason: 'sdp: video rejected' }]);

    const worker = new RtcSignalMachine();
    expect(worker.handle({ type: 'signal', text: '{"t":"ended","reason":"WebRTC unavailable: cannot start the WebRTC worker"}' }))
      .toEqual([{ do: 'failed', reason: 'WebRTC unavailable: cannot start the WebRTC worker' }]);

    const closed = new RtcSignalMachine();
    expect(closed.handle({ type: 'socket-closed', reason: '' })).toEqual([{ do: 'failed', reason: 'the signalling connection closed' }]);

    const threw = new RtcSignalMachine();
    threw.handle({ type: 'signal', text: offer });
    expect(threw.handle({ type: 'error', reason: 'answer: InvalidAccessError' })).toEqual([{ do: 'failed', reason: 'answer: InvalidAccessError' }]);
  });

  it('ends a connected session when the peer connection fails or the signalling socket closes', () => {
    const up = () => {
      const m = new RtcSignalMachine();
      m.handle({ type: 'signal', text: offer });
      m.handle({ type: 'answer', sdp: 'a' });
      m.handle({ type: 'frame' });
      m.handle({ type: 'peer-state', state: 'connected' });
      expect(m.phase).toBe('connected');
      return m;
    };
    expect(up().handle({ type: 'peer-state', state: 'failed' })).toEqual([{ do: 'ended', reason: 'the WebRTC connection failed' }]);
    expect(up().handle({ type: 'socket-closed', reason: 'bye' })).toEqual([{ do: 'ended', reason: 'bye' }]);
  });
});

describe('transport choice', () => {
  it('maps the selector to preferred kinds, a ?transport= query winning over the remembered choice', () => {
    expect(preferFor('auto')).toEqual(['webrtc', 'websocket']);
    expect(preferFor('websocket')).toEqual(['websocket']);
    expect(initialTransportChoice('', null)).toBe('auto');
    expect(initialTransportChoice('', 'websocket')).toBe('websocket');
    expect(initialTransportChoice('?transport=webrtc', 'websocket')).toBe('webrtc');
    expect(initialTransportChoice('?transport=carrier-pigeon', 'bogus')).toBe('auto');
  });

  it('reports each kind it passes over, so the console can say it fell back', async () => {
    const ctx = {} as TransportContext;
    const fake = (kind: 'webrtc' | 'websocket', error?: string): MediaTransport => ({
      kind, connect: async () => { if (error) throw new Error(error); }, send: () => true, close: () => {},
    });
    registerTransport({ kind: 'webrtc', available: () => true, create: () => fake('webrtc', 'no ICE connection') });
    registerTransport({ kind: 'websocket', available: () => true, create: () => fake('websocket') });
    const skipped: string[] = [];
    const t = await openTransport(ctx, { onMessage: () => {}, onClose: () => {} }, preferFor('auto'), (k, e) => skipped.push(`${k}: ${e.message}`));
    expect(t.kind).toBe('websocket');
    expect(skipped).toEqual(['webrtc: no ICE connection']);
    registerTransport({ kind: 'webrtc', available: () => false, create: () => fake('webrtc') });
    skipped.length = 0;
    await openTransport(ctx, { onMessage: () => {}, onClose: () => {} }, preferFor('auto'), (k, e) => skipped.push(`${k}: ${e.message}`));
    expect(skipped).toEqual(['webrtc: webrtc is not available in this browser']);
    await expect(openTransport(ctx, { onMessage: () => {}, onClose: () => {} }, preferFor('webrtc'))).rejects.toThrow(/not available/);
  });
});
