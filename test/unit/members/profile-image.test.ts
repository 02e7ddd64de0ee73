// The profile image strippers on real files: ffmpeg makes a tiny JPEG and PNG, the tests inject
// EXIF/XMP/comment segments and text chunks by hand, and check that the metadata is gone while
// the image itself decodes to exactly the same pixels.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, InvalidImageError, MAX_IMAGE_SIDE, sanitizeImage, sniffImage, stripJpeg, stripPng } from '../../../src/modules/members/profile-image.js';

let dir: string;
let jpeg: Buffer;
let png: Buffer;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mq-img-'));
  const make = (name: string) => {
    const out = path.join(dir, name);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=16x16', '-frames:v', '1', out]);
    return readFileSync(out);
  };
  jpeg = make('src.jpg');
  png = make('src.png');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Raw RGB pixels as ffmpeg decodes them. */
function pixels(image: Buffer, ext: string): Buffer {
  const file = path.join(dir, `decode-${Math.random().toString(36).slice(2)}.${ext}`);
  writeFileSync(file, image);
  return execFileSync('ffmpeg', ['-loglevel', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
}

// ---- JPEG helpers ----

const seg = (marker: number, payload: Buffer) => {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};
/** An EXIF APP1 with a little-endian TIFF header and a "GPS" string a camera would leave. */
const exif = seg(0xe1, Buffer.concat([Buffer.from('Exif\0\0II*\0\x08\0\0\0', 'latin1'), Buffer.from('GPS 37.5665N 126.9780E SECRET-SERIAL-123', 'latin1')]));
const xmp = seg(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>creator=someone@example.com</x:xmpmeta>', 'latin1'));
const iptc = seg(0xed, Buffer.from('Photoshop 3.0\0 8BIM caption: my house', 'latin1'));
const comment = seg(0xfe, Buffer.from('taken at home', 'latin1'));
const adobe = seg(0xee, Buffer.from([0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x01]));

/** Index just after the APP0 (JFIF) segment of the ffmpeg JPEG. */
function afterApp0(buf: Buffer): number {
  expect(buf[2]).toBe(0xff);
  expect(buf[3]).toBe(0xe0);
  return 4 + buf.readUInt16BE(4);
}

/** Segment markers of a JPEG, in order (up to the first SOS). */
function markers(buf: Buffer): number[] {
  const out: number[] = [];
  let i = 2;
  while (i < buf.length && buf[i] === 0xff) {
    const m = buf[i + 1]!;
    out.push(m);
    if (m === 0xda) break;
    i += 2 + buf.readUInt16BE(i + 2);
  }
  return out;
}

/** The bytes from the SOS marker to EOI: header of the scan and the entropy-coded data. */
const scanOf = (buf: Buffer) => buf.subarray(buf.indexOf(Buffer.from([0xff, 0xda])), buf.lastIndexOf(Buffer.from([0xff, 0xd9])) + 2);

describe('JPEG', () => {
  it('drops EXIF, XMP, IPTC and comments, keeps APP0 and the image bytes', () => {
    const at = afterApp0(jpeg);
    const dirty = Buffer.concat([jpeg.subarray(0, at), exif, xmp, iptc, comment, jpeg.subarray(at)]);
    expect(sniffImage(dirty)).toBe('jpeg');
    const { data, width, height } = stripJpeg(dirty);
    expect([width, height]).toEqual([16, 16]);
    const text = data.toString('latin1');
    for (const secret of ['Exif', 'GPS', 'SECRET-SERIAL', 'xmpmeta', 'someone@example.com', 'Photoshop', 'taken at home']) expect(text).not.toContain(secret);
    // APP0 (JFIF) is still first, and no APP1–APP15 or COM segment is left.
    expect(data.subarray(0, 4)).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    expect(data.subarray(2, at)).toEqual(jpeg.subarray(2, at));
    expect(markers(data).filter((m) => (m > 0xe0 && m <= 0xef) || m === 0xfe)).toEqual([]);
    // The scan (header + entropy-coded data) is copied byte for byte, and decodes to the same pixels.
    expect(scanOf(data)).toEqual(scanOf(jpeg));
    expect(pixels(data, 'jpg')).toEqual(pixels(jpeg, 'jpg'));
    // Stripping is idempotent.
    expect(stripJpeg(data).data).toEqual(data);
  });

  it('keeps an Adobe APP14 (decoder parameters, no personal data)', () => {
    const at = afterApp0(jpeg);
    const { data } = stripJpeg(Buffer.concat([jpeg.subarray(0, at), adobe, exif, jpeg.subarray(at)]));
    expect(markers(data)).toContain(0xee);
    expect(data.toString('latin1')).not.toContain('Exif');
  });

  it('walks past the scan: metadata after the entropy-coded data and bytes after EOI are dropped', () => {
    const eoi = jpeg.lastIndexOf(Buffer.from([0xff, 0xd9]));
    const dirty = Buffer.concat([jpeg.subarray(0, eoi), exif, jpeg.subarray(eoi), Buffer.from('PK\x03\x04 appended zip with secrets', 'latin1')]);
    const { data } = stripJpeg(dirty);
    expect(data.toString('latin1')).not.toContain('SECRET');
    expect(data.toString('latin1')).not.toContain('PK\x03\x04');
    expect(data.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(pixels(data, 'jpg')).toEqual(pixels(jpeg, 'jpg'));
  });

  it('refuses broken JPEGs', () => {
    expect(() => stripJpeg(jpeg.subarray(0, jpeg.length - 40))).toThrow(InvalidImageError); // truncated scan
    expect(() => stripJpeg(jpeg.subarray(0, 30))).toThrow(InvalidImageError); // truncated header
    expect(() => stripJpeg(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toThrow(InvalidImageError); // no frame, no scan
    const badLength = Buffer.from(jpeg);
    badLength.writeUInt16BE(0xfff0, 4); // APP0 claims to run past the end
    expect(() => stripJpeg(badLength)).toThrow(InvalidImageError);
    expect(() => stripJpeg(Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.from('just text')]))).toThrow(InvalidImageError);
  });
});

// ---- PNG helpers ----

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function chunkTypes(buf: Buffer): string[] {
  const out: string[] = [];
  for (let i = 8; i + 8 <= buf.length; ) {
    const length = buf.readUInt32BE(i);
    out.push(buf.toString('latin1', i + 4, i + 8));
    i += 12 + length;
  }
  return out;
}

const afterIhdr = 8 + 12 + 13;

describe('PNG', () => {
  it('computes the PNG CRC', () => {
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082);
  });

  it('drops tEXt, zTXt, iTXt, eXIf and tIME; the chunks kept are unchanged (valid CRCs)', () => {
    const meta = [
      chunk('tEXt', Buffer.from('Comment\0my home address', 'latin1')),
      chunk('zTXt', Buffer.from('Author\0\0xx', 'latin1')),
      chunk('iTXt', Buffer.from('XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>', 'latin1')),
      chunk('eXIf', Buffer.from('MM\0*\0\0\0\x08GPS-SECRET', 'latin1')),
      chunk('tIME', Buffer.from([0x07, 0xe8, 1, 2, 3, 4, 5])),
    ];
    const dirty = Buffer.concat([png.subarray(0, afterIhdr), ...meta, png.subarray(afterIhdr), Buffer.from('trailing bytes')]);
    expect(sniffImage(dirty)).toBe('png');
    const { data, width, height } = stripPng(dirty);
    expect([width, height]).toEqual([16, 16]);
    const types = chunkTypes(data);
    for (const t of ['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']) expect(types).not.toContain(t);
    expect(types[0]).toBe('IHDR');
    expect(types[types.length - 1]).toBe('IEND');
    expect(data.toString('latin1')).not.toMatch(/home address|GPS-SECRET|xmpmeta/);
    // The original had no metadata: the cleaned file is exactly the original, and decodes the same.
    expect(chunkTypes(png).filter((t) => ['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME'].includes(t))).toEqual([]);
    expect(data).toEqual(png);
    expect(pixels(data, 'png')).toEqual(pixels(png, 'png'));
    expect(stripPng(data).data).toEqual(data);
  });

  it('refuses broken PNGs: bad CRC, truncated, no IEND, IHDR not first, huge dimensions', () => {
    const badCrc = Buffer.from(png);
    badCrc[afterIhdr - 1] ^= 0xff;
    expect(() => stripPng(badCrc)).toThrow(/CRC/);
    expect(() => stripPng(png.subarray(0, png.length - 12))).toThrow(InvalidImageError); // no IEND
    expect(() => stripPng(png.subarray(0, 40))).toThrow(InvalidImageError);
    const textFirst = Buffer.concat([png.subarray(0, 8), chunk('tEXt', Buffer.from('a\0b')), png.subarray(8)]);
    expect(() => stripPng(textFirst)).toThrow(/IHDR/);
    const ihdr = Buffer.from(png.subarray(16, afterIhdr - 4));
    ihdr.writeUInt32BE(MAX_IMAGE_SIDE + 1, 0);
    const huge = Buffer.concat([png.subarray(0, 8), chunk('IHDR', ihdr), png.subarray(afterIhdr)]);
    expect(() => stripPng(huge)).toThrow(/pixels/);
  });
});

describe('sanitizeImage', () => {
  it('accepts JPEG and PNG by their bytes, refuses GIF, WebP and anything else', () => {
    expect(sanitizeImage(jpeg).kind).toBe('jpeg');
    expect(sanitizeImage(png).kind).toBe('png');
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(20)]);
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(20)]);
    expect(sniffImage(gif)).toBe('gif');
    expect(sniffImage(webp)).toBe('webp');
    for (const bad of [gif, webp, Buffer.from('hello, I am a text file named photo.jpg'), Buffer.alloc(0)]) expect(() => sanitizeImage(bad)).toThrow(InvalidImageError);
  });
});
