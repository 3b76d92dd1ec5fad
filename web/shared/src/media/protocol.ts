// The media service's stream protocol (src/services/media): binary WebSocket messages carry one
// H.264 Annex-B access unit each — 1 byte type (1 = SPS/PPS config, 2 = key frame, 3 = delta),
// 8 bytes PTS in µs (big-endian), then the bytes. Text messages are JSON: from the server
// {t:'meta'|'clipboard'|'ended'}, to the server the input messages below.

export type FrameKind = 'config' | 'key' | 'delta';

export interface VideoMessage {
  kind: FrameKind;
  ptsUs: number;
  data: Uint8Array;
}

export const VIDEO_HEADER_SIZE = 9;

/** Parses one binary message; null for a message too short or of an unknown type. */
export function parseVideoMessage(buf: ArrayBuffer): VideoMessage | null {
  if (buf.byteLength < VIDEO_HEADER_SIZE) return null;
  const view = new DataView(buf);
  const type = view.getUint8(0);
  const kind: FrameKind | undefined = type === 1 ? 'config' : type === 2 ? 'key' : type === 3 ? 'delta' : undefined;
  if (!kind) return null;
  return { kind, ptsUs: Number(view.getBigInt64(1)), data: new Uint8Array(buf, VIDEO_HEADER_SIZE) };
}

export type StreamRole = 'controller' | 'viewer';

export type ServerMessage =
  | { t: 'meta'; codec: string; width: number; height: number; rotation: number; role: StreamRole }
  | { t: 'clipboard'; text: string }
  | { t: 'ended'; reason: string };

export function parseServerMessage(text: string): ServerMessage | null {
  try {
    const m = JSON.parse(text) as { t?: unknown };
    if (m && typeof m === 'object' && (m.t === 'meta' || m.t === 'clipboard' || m.t === 'ended')) return m as ServerMessage;
  } catch { /* not JSON */ }
  return null;
}

export type TouchAction = 'down' | 'move' | 'up' | 'cancel';

/** Positions are in the displayed element (CSS px) with its size: the server maps them to the
 *  picture, letterboxing included (src/services/media/coords.h). */
export type InputMessage =
  | { t: 'touch'; action: TouchAction; pointer: number; x: number; y: number; w: number; h: number }
  | { t: 'scroll'; x: number; y: number; w: number; h: number; dx: number; dy: number }
  | { t: 'key'; code: number; action?: 'down' | 'up' | 'press' }
  | { t: 'text'; text: string }
  | { t: 'back' } | { t: 'home' } | { t: 'recents' } | { t: 'rotate' } | { t: 'keyframe' }
  | { t: 'clipboard'; text: string };

/** Android key codes the console sends. */
export const KEYCODE = {
  ENTER: 66, DEL: 67, FORWARD_DEL: 112, TAB: 61, ESCAPE: 111,
  DPAD_UP: 19, DPAD_DOWN: 20, DPAD_LEFT: 21, DPAD_RIGHT: 22,
  VOLUME_UP: 24, VOLUME_DOWN: 25, VOLUME_MUTE: 164, POWER: 26, MOVE_HOME: 122, MOVE_END: 123,
} as const;

const SPECIAL_KEYS: Record<string, number> = {
  Enter: KEYCODE.ENTER, Backspace: KEYCODE.DEL, Delete: KEYCODE.FORWARD_DEL, Tab: KEYCODE.TAB,
  Escape: KEYCODE.ESCAPE, ArrowUp: KEYCODE.DPAD_UP, ArrowDown: KEYCODE.DPAD_DOWN,
  ArrowLeft: KEYCODE.DPAD_LEFT, ArrowRight: KEYCODE.DPAD_RIGHT, Home: KEYCODE.MOVE_HOME, End: KEYCODE.MOVE_END,
};

/** What a keydown in the console sends: printable characters as text, editing and arrow keys
 *  as key codes, anything with Ctrl/Alt/Meta nothing (left to the browser). */
export function keyToInput(e: { key: string; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean }): InputMessage | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  const code = SPECIAL_KEYS[e.key];
  if (code !== undefined) return { t: 'key', code, action: 'press' };
  if ([...e.key].length === 1) return { t: 'text', text: e.key };
  return null;
}

/** The text messages a string becomes (the server takes at most 300 bytes each). */
export function textChunks(text: string, maxBytes = 300): string[] {
  const out: string[] = [];
  const enc = new TextEncoder();
  let cur = '';
  for (const ch of text) {
    if (enc.encode(cur + ch).length > maxBytes) { out.push(cur); cur = ''; }
    cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}
