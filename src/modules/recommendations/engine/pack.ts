// A compact binary container for trained models: a JSON header describing the object, with every
// typed array replaced by a reference to its bytes, followed by the raw little-endian bytes
// (8-byte aligned). No base64, no JSON of numbers: a 9 MiB weight matrix is 9 MiB on disk and loads
// as a copy-free view. Layout: "MQRM" | u32 header length | header JSON | pad | arrays.
const MAGIC = 0x4d52514d; // "MQRM" little-endian
type Typed = Float64Array | Float32Array | Int32Array | Uint8Array;
const CTORS = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u8: Uint8Array } as const;
type Tag = keyof typeof CTORS;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('model packing assumes a little-endian platform');

function tagOf(v: unknown): Tag | null {
  if (v instanceof Float64Array) return 'f64';
  if (v instanceof Float32Array) return 'f32';
  if (v instanceof Int32Array) return 'i32';
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return 'u8';
  return null;
}

const pad8 = (n: number) => (n + 7) & ~7;

export function pack(value: unknown): Buffer {
  const arrays: Typed[] = [];
  let offset = 0;
  const header = JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    const tag = tagOf(v);
    if (!tag) return v;
    const a = v as Typed;
    arrays.push(a);
    const ref = { $a: tag, o: offset, n: a.length };
    offset += pad8(a.byteLength);
    return ref;
  });
  const head = Buffer.from(header, 'utf8');
  const start = pad8(8 + head.length);
  const out = Buffer.alloc(start + offset);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(head.length, 4);
  head.copy(out, 8);
  let at = start;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += pad8(a.byteLength);
  }
  return out;
}

export function unpack<T = unknown>(buf: Uint8Array): T {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 8 || b.readUInt32LE(0) !== MAGIC) throw new TypeError('not a packed recommendation model');
  const len = b.readUInt32LE(4);
  if (8 + len > b.length) throw new RangeError('corrupt model: header past the end');
  const start = pad8(8 + len);
  // One aligned copy of the array section; arrays are views into it.
  const body = new Uint8Array(b.length - start);
  body.set(b.subarray(start));
  return JSON.parse(b.toString('utf8', 8, 8 + len), (_key, v: unknown) => {
    if (v && typeof v === 'object' && '$a' in v) {
      const ref = v as { $a: Tag; o: number; n: number };
      const Ctor = CTORS[ref.$a];
      if (!Ctor || ref.o % 8 !== 0 || ref.o + ref.n * Ctor.BYTES_PER_ELEMENT > body.length) throw new RangeError('corrupt model: array out of range');
      return new Ctor(body.buffer, ref.o, ref.n);
    }
    return v;
  }) as T;
}
