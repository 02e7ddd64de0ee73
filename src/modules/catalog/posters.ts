// Movie posters uploaded in the panel: what the bytes are (sniffed from their magic numbers, never
// from the client's Content-Type or file name), checked and stripped of metadata, then stored under
// the public media root (`<MEDIA_DIR>/posters/`, served at /media/posters/ like profile images).
//
// Accepted: JPEG and PNG (checked and stripped by the same byte functions as profile images) and
// WebP: its RIFF container is walked chunk by chunk (sizes must add up, one image chunk), EXIF and
// XMP chunks are dropped and the VP8X flags that announce them cleared. GIF and anything else: refused.
import { InvalidImageError, MAX_IMAGE_SIDE, sanitizeImage, saveMediaFile, sniffImage } from '../members/profile-image.js';

export type PosterKind = 'jpeg' | 'png' | 'webp';
export { InvalidImageError };

const invalid = (why: string): never => {
  throw new InvalidImageError(why);
};

/** WebP's width and height from its first image chunk (VP8X canvas, VP8 key frame or VP8L header). */
function webpSize(type: string, body: Buffer): { width: number; height: number } | null {
  if (type === 'VP8X' && body.length >= 10) return { width: body.readUIntLE(4, 3) + 1, height: body.readUIntLE(7, 3) + 1 };
  if (type === 'VP8 ' && body.length >= 10) {
    if (body[3] !== 0x9d || body[4] !== 0x01 || body[5] !== 0x2a) invalid('bad VP8 start code');
    return { width: body.readUInt16LE(6) & 0x3fff, height: body.readUInt16LE(8) & 0x3fff };
  }
  if (type === 'VP8L' && body.length >= 5) {
    if (body[0] !== 0x2f) invalid('bad VP8L signature');
    const bits = body.readUInt32LE(1);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return null;
}

const WEBP_METADATA = new Set(['EXIF', 'XMP ']);

/** The WebP without EXIF/XMP chunks. Throws InvalidImageError for a malformed or truncated file. */
export function stripWebp(buf: Buffer): { data: Buffer; width: number; height: number } {
  if (buf.length < 20 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WEBP') invalid('not a WebP');
  const riffEnd = 8 + buf.readUInt32LE(4);
  if (riffEnd > buf.length || riffEnd < 20) invalid('bad RIFF size');
  const kept: Buffer[] = [];
  let size: { width: number; height: number } | null = null;
  let image = false;
  for (let i = 12; i < riffEnd; ) {
    if (i + 8 > riffEnd) invalid('truncated chunk');
    const type = buf.toString('latin1', i, i + 4);
    const length = buf.readUInt32LE(i + 4);
    const padded = length + (length & 1);
    if (i + 8 + length > riffEnd) invalid('bad chunk length');
    const body = buf.subarray(i + 8, i + 8 + length);
    if (!/^[A-Z0-9 ]{4}$/i.test(type)) invalid('bad chunk type');
    if (!size) size = webpSize(type, body);
    if (type === 'VP8 ' || type === 'VP8L' || type === 'ANMF') image = true;
    if (!WEBP_METADATA.has(type)) {
      const chunk = Buffer.from(buf.subarray(i, Math.min(i + 8 + padded, riffEnd)));
      // VP8X flags: bit 3 = EXIF, bit 2 = XMP; both chunks are gone.
      if (type === 'VP8X') chunk[8] = chunk[8]! & ~0x0c;
      kept.push(chunk);
    }
    i += 8 + padded;
  }
  if (!image || !size) invalid('no image data');
  if (size!.width < 1 || size!.height < 1 || size!.width > MAX_IMAGE_SIDE || size!.height > MAX_IMAGE_SIDE) invalid('bad size');
  const bodyLength = kept.reduce((n, c) => n + c.length, 4);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(bodyLength, 4);
  header.write('WEBP', 8, 'latin1');
  return { data: Buffer.concat([header, ...kept]), ...size! };
}

/** Sniffs, checks and strips a poster: its clean bytes and kind, or InvalidImageError. */
export function sanitizePoster(buf: Buffer): { kind: PosterKind; data: Buffer; width: number; height: number } {
  const kind = sniffImage(buf);
  if (kind === 'webp') return { kind, ...stripWebp(buf) };
  if (kind === 'jpeg' || kind === 'png') return sanitizeImage(buf);
  return invalid(kind ? `${kind} is not accepted` : 'not an image');
}

/** Posters under `<MEDIA_DIR>/posters/`, written atomically under random names (cacheable forever). */
export class PosterStore {
  constructor(readonly root: string) {}

  /** Stores the bytes; returns the poster's URL path (`/media/posters/<hex>.<ext>`). */
  async save(data: Buffer, kind: PosterKind): Promise<string> {
    return `/media/${await saveMediaFile(this.root, 'posters', data, kind)}`;
  }
}

/** The URL path of a poster stored here (what the movie's poster field may hold besides an http(s) URL). */
export const STORED_POSTER = /^\/media\/posters\/[0-9a-f]{32}\.(jpeg|png|webp)$/;
