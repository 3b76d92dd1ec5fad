// Where the picture sits in its element (object-fit: contain letterboxes it), and the mapping of
// a pointer position to picture coordinates — the same rule the media service applies
// (src/services/media/coords.cpp); the console uses it to ignore clicks on the bars.

export interface Size { width: number; height: number }
export interface Box { x: number; y: number; width: number; height: number }

/** The picture's box inside an element of size `el` showing a frame of size `frame`. */
export function pictureBox(el: Size, frame: Size): Box | null {
  if (el.width <= 0 || el.height <= 0 || frame.width <= 0 || frame.height <= 0) return null;
  const scale = Math.min(el.width / frame.width, el.height / frame.height);
  const width = frame.width * scale;
  const height = frame.height * scale;
  return { x: (el.width - width) / 2, y: (el.height - height) / 2, width, height };
}

/** Element point → frame pixel; null in the letterbox bars unless `clamp` (a drag leaving the
 *  picture is held at its edge). */
export function toFrame(p: { x: number; y: number }, el: Size, frame: Size, clamp = false): { x: number; y: number } | null {
  const box = pictureBox(el, frame);
  if (!box) return null;
  let fx = ((p.x - box.x) / box.width) * frame.width;
  let fy = ((p.y - box.y) / box.height) * frame.height;
  const inside = fx >= 0 && fy >= 0 && fx < frame.width && fy < frame.height;
  if (!inside && !clamp) return null;
  fx = Math.min(Math.max(fx, 0), frame.width - 1);
  fy = Math.min(Math.max(fy, 0), frame.height - 1);
  return { x: Math.round(fx), y: Math.round(fy) };
}
