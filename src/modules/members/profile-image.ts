// Profile images: what an upload is (sniffed from its bytes, never from the client's
// Content-Type or file name), how its metadata is removed, and how it is stored under the media
// root. Pure byte functions first (unit-tested with real files), the file store last.
//
// Accepted: JPEG and PNG only. GIF and WebP are refused (400) rather than re-encoded: stripping
// them safely needs a full parser of their container (GIF extensions, RIFF/VP8X chunks) for
// formats the apps do not need for a profile picture.
//
// Removed metadata:
//   - JPEG: APP1–APP15 segments (EXIF with GPS and camera serials, XMP, ICC, IPTC/Photoshop …)
//     and COM comments; APP0 (JFIF) and every decoding segment (DQT, DHT, SOFn, SOS, DRI …) and
//     the entropy-coded data are copied byte for byte. One exception: an APP14 segment whose
//     identifier is "Adobe" is kept — it carries no personal data, only the colour transform a
//     decoder needs for CMYK/YCCK images. Bytes after EOI (appended payloads) are dropped.
//   - PNG: tEXt, zTXt, iTXt, eXIf and tIME chunks. The chunks kept are copied unchanged (their
//     CRCs stay valid); every chunk's CRC is checked on the way in. Bytes after IEND are dropped.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export type ImageKind = 'jpeg' | 'png';
export type SniffedImage = ImageKind | 'gif' | 'webp';

/** The bytes are not a well-formed image of an accepted kind. */
export class InvalidImageError extends Error {}

/** Largest accepted width or height, in pixels (a decompression bomb in a 5 MB file is refused). */
export const MAX_IMAGE_SIDE = 10_000;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function sniffImage(buf: Buffer): SniffedImage | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (buf.length >= 6 && (buf.toString('latin1', 0, 6) === 'GIF87a' || buf.toString('latin1', 0, 6) === 'GIF89a')) return 'gif';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

const invalid = (why: string): never => {
  throw new InvalidImageError(why);
};

function checkSize(width: number, height: number): void {
  if (width < 1 || height < 1) invalid('zero width or height');
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) invalid(`larger than ${MAX_IMAGE_SIDE} pixels on a side`);
}

// ---- JPEG ------------------------------------------------------------------------------------

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;
const APP0 = 0xe0;
const APP14 = 0xee;
const APP15 = 0xef;

/** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** Markers without a length field (besides SOI/EOI): RST0–RST7 and TEM. */
const isStandalone = (m: number) => (m >= 0xd0 && m <= 0xd7) || m === 0x01;

function keepJpegSegment(marker: number, body: Buffer): boolean {
  if (marker === COM) return false;
  if (marker > APP0 && marker <= APP15) return marker === APP14 && body.length >= 7 && body.toString('latin1', 2, 7) === 'Adobe';
  return true;
}

/**
 * The JPEG without APP1–APP15 (but an Adobe APP14) and COM segments, walking the segment markers
 * (and the entropy-coded data of every scan, so metadata between progressive scans goes too).
 * Throws InvalidImageError for anything that is not a complete JPEG with a frame and a scan.
 */
export function stripJpeg(buf: Buffer): { data: Buffer; width: number; height: number } {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== SOI) invalid('not a JPEG');
  const out: Buffer[] = [Buffer.from([0xff, SOI])];
  let i = 2;
  let size: { width: number; height: number } | null = null;
  let scans = 0;
  for (;;) {
    if (i >= buf.length || buf[i] !== 0xff) invalid('marker expected');
    while (i < buf.length && buf[i] === 0xff) i++; // fill bytes
    if (i >= buf.length) invalid('truncated');
    const marker = buf[i++]!;
    if (marker === EOI) {
      out.push(Buffer.from([0xff, EOI]));
      break;
    }
    if (marker === SOI || marker === 0x00) invalid('unexpected marker');
    if (isStandalone(marker)) {
      out.push(Buffer.from([0xff, marker]));
      continue;
    }
    if (i + 2 > buf.length) invalid('truncated segment');
    const length = buf.readUInt16BE(i);
    if (length < 2 || i + length > buf.length) invalid('bad segment length');
    const body = buf.subarray(i, i + length); // the length field and the payload
    if (keepJpegSegment(marker, body)) out.push(Buffer.from([0xff, marker]), body);
    if (isStartOfFrame(marker)) {
      if (length < 8) invalid('short frame header');
      size = { height: buf.readUInt16BE(i + 3), width: buf.readUInt16BE(i + 5) };
    }
    i += length;
    if (marker !== SOS) continue;
    if (!size) invalid('scan before frame');
    scans++;
    // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
    const start = i;
    for (;;) {
      const ff = buf.indexOf(0xff, i);
      if (ff < 0 || ff + 1 >= buf.length) invalid('truncated scan');
      const next = buf[ff + 1]!;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
        i = ff + 2;
        continue;
      }
      if (next === 0xff) {
        i = ff + 1;
        continue;
      }
      i = ff;
      break;
    }
    out.push(buf.subarray(start, i));
  }
  if (!size || !scans) invalid('no image data');
  checkSize(size!.width, size!.height);
  return { data: Buffer.concat(out), ...size! };
}

// ---- PNG -------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG uses it (ISO 3309), over the chunk type and data. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Text, EXIF and timestamp chunks: what a PNG may carry about its author, camera or place. */
export const PNG_METADATA_CHUNKS: ReadonlySet<string> = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

/** The PNG without its metadata chunks. Throws InvalidImageError for a malformed or truncated PNG. */
export function stripPng(buf: Buffer): { data: Buffer; width: number; height: number } {
  if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) invalid('not a PNG');
  const out: Buffer[] = [PNG_SIGNATURE];
  let i = 8;
  let size: { width: number; height: number } | null = null;
  let idat = false;
  for (let index = 0; ; index++) {
    if (i + 12 > buf.length) invalid('truncated chunk');
    const length = buf.readUInt32BE(i);
    if (length > 0x7fffffff || i + 12 + length > buf.length) invalid('bad chunk length');
    const type = buf.toString('latin1', i + 4, i + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) invalid('bad chunk type');
    if (crc32(buf.subarray(i + 4, i + 8 + length)) !== buf.readUInt32BE(i + 8 + length)) invalid(`bad CRC in ${type}`);
    if (index === 0) {
      if (type !== 'IHDR' || length !== 13) invalid('IHDR must come first');
      size = { width: buf.readUInt32BE(i + 8), height: buf.readUInt32BE(i + 12) };
    } else if (type === 'IHDR') invalid('second IHDR');
    if (type === 'IDAT') idat = true;
    if (!PNG_METADATA_CHUNKS.has(type)) out.push(buf.subarray(i, i + 12 + length));
    i += 12 + length;
    if (type === 'IEND') break;
  }
  if (!idat) invalid('no image data');
  checkSize(size!.width, size!.height);
  return { data: Buffer.concat(out), ...size! };
}

/** Sniffs and strips: the clean bytes and their kind, or InvalidImageError. */
export function sanitizeImage(buf: Buffer): { kind: ImageKind; data: Buffer; width: number; height: number } {
  const kind = sniffImage(buf);
  if (kind === 'jpeg') return { kind, ...stripJpeg(buf) };
  if (kind === 'png') return { kind, ...stripPng(buf) };
  throw new InvalidImageError(kind ? `${kind} is not accepted` : 'not an image');
}

// ---- storage ---------------------------------------------------------------------------------

/** Stored names: random, so a URL cannot be guessed and can be cached forever. */
const STORED = /^profile\/[0-9a-f]{32}\.(jpeg|png)$/;

/**
 * Writes `data` under `<root>/<folder>/<random hex>.<ext>` atomically (a hidden temp file in the
 * same directory, fsync'd, then renamed), so a reader never sees half a file; returns
 * `<folder>/<name>`. Used by every stored image (profile images, posters).
 */
export async function saveMediaFile(root: string, folder: string, data: Buffer, ext: string): Promise<string> {
  const dir = path.join(root, folder);
  await mkdir(dir, { recursive: true });
  const name = `${randomBytes(16).toString('hex')}.${ext}`;
  const tmp = path.join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path.join(dir, name));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return `${folder}/${name}`;
}

/**
 * Profile images under `<MEDIA_DIR>/profile/`. Writes are atomic (a hidden temp file in the same
 * directory, fsync'd, then renamed), so a reader never sees half a file.
 */
export class ProfileImageStore {
  constructor(readonly root: string) {}

  /** Writes the bytes under a new random name; returns the path relative to the media root. */
  save(data: Buffer, kind: ImageKind): Promise<string> {
    return saveMediaFile(this.root, 'profile', data, kind);
  }

  /** Removes a stored image; a path that is not one of ours is never touched. */
  async remove(relative: string | null | undefined): Promise<void> {
    if (!relative || !STORED.test(relative)) return;
    await rm(path.join(this.root, relative), { force: true });
  }

  /** Where the apps fetch it (the seed's form, relative to the API origin). */
  static publicPath(relative: string): string {
    return `media/${relative}`;
  }
}
