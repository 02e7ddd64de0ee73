// The media type of an upload from its first bytes (magic numbers). The client's Content-Type
// and file name are never trusted: a text file renamed .mp4 is still text.

export interface SniffedType {
  mime: string;
  /** Extension of the stored object's key. */
  ext: string;
}

/** Bytes the sniffer wants to see (fewer when the file is shorter). */
export const SNIFF_BYTES = 8192;

const ascii = (buf: Buffer, at: number, text: string): boolean =>
  buf.length >= at + text.length && buf.toString('latin1', at, at + text.length) === text;

const TS_PACKET = 188;

/**
 * MPEG transport stream: the sync byte 0x47 at the start of every 188-byte packet (at least 3
 * seen), each with a valid adaptation_field_control (00 is reserved).
 */
function isMpegTs(head: Buffer): boolean {
  if (head.length < TS_PACKET * 2 + 4) return false;
  for (let at = 0; at < head.length; at += TS_PACKET) {
    if (head[at] !== 0x47) return false;
    if (at + 3 < head.length && ((head[at + 3] >> 4) & 0x03) === 0) return false;
  }
  return true;
}

/** An MPEG audio frame header (MP3 without ID3): 11 sync bits, a layer, a valid bitrate and sample rate. */
function isMpegAudioFrame(head: Buffer): boolean {
  if (head.length < 4 || head[0] !== 0xff || (head[1] & 0xe0) !== 0xe0) return false;
  const version = (head[1] >> 3) & 0x03; // 01 is reserved
  const layer = (head[1] >> 1) & 0x03; // 00 is reserved (ADTS AAC uses it)
  const bitrate = (head[2] >> 4) & 0x0f; // 1111 is invalid
  const sampleRate = (head[2] >> 2) & 0x03; // 11 is reserved
  return version !== 1 && layer !== 0 && bitrate !== 0x0f && sampleRate !== 0x03;
}

export function sniffMediaType(head: Buffer): SniffedType | null {
  // ISO base media (MP4, MOV, M4A, 3GP): a box whose type is "ftyp" at offset 4, then the major brand.
  if (ascii(head, 4, 'ftyp')) {
    const brand = head.toString('latin1', 8, 12);
    if (brand === 'qt  ') return { mime: 'video/quicktime', ext: '.mov' };
    if (brand === 'M4A ' || brand === 'M4B ') return { mime: 'audio/mp4', ext: '.m4a' };
    if (brand.startsWith('3g')) return { mime: 'video/3gpp', ext: '.3gp' };
    return { mime: 'video/mp4', ext: '.mp4' };
  }
  // Old QuickTime files may start with a moov/mdat/wide box instead of ftyp.
  if (head.length >= 8 && ['moov', 'mdat', 'wide', 'free'].some((t) => ascii(head, 4, t)) && head.readUInt32BE(0) >= 8) {
    return { mime: 'video/quicktime', ext: '.mov' };
  }
  // Matroska / WebM: EBML header 1A 45 DF A3, the DocType tells which.
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) {
    return head.includes('webm', 0, 'latin1') ? { mime: 'video/webm', ext: '.webm' } : { mime: 'video/x-matroska', ext: '.mkv' };
  }
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'AVI ')) return { mime: 'video/x-msvideo', ext: '.avi' };
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return { mime: 'audio/wav', ext: '.wav' };
  if (ascii(head, 0, 'OggS')) {
    return head.includes('\x80theora', 0, 'latin1') ? { mime: 'video/ogg', ext: '.ogv' } : { mime: 'audio/ogg', ext: '.ogg' };
  }
  if (ascii(head, 0, 'fLaC')) return { mime: 'audio/flac', ext: '.flac' };
  if (ascii(head, 0, 'ID3') || isMpegAudioFrame(head)) return { mime: 'audio/mpeg', ext: '.mp3' };
  if (head.length > 0 && head[0] === 0x47 && isMpegTs(head)) return { mime: 'video/mp2t', ext: '.ts' };
  return null;
}
