// Seeded pseudo-random numbers. Training must be reproducible for a fixed seed, so nothing in the
// engine may call Math.random(). The generator is sfc32 (small fast counter), seeded through
// splitmix32 so that nearby seeds give unrelated streams.

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal = NaN;

  constructor(seed: number) {
    const mix = splitmix32(Math.floor(seed) | 0);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = 1;
    for (let k = 0; k < 12; k++) this.nextUint32();
  }

  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal deviate (Marsaglia polar method, caching the second value). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const v = this.spareNormal;
      this.spareNormal = NaN;
      return v;
    }
    let x: number;
    let y: number;
    let s: number;
    do {
      x = 2 * this.next() - 1;
      y = 2 * this.next() - 1;
      s = x * x + y * y;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = y * f;
    return x * f;
  }

  /** In-place Fisher–Yates shuffle of a typed or plain array. */
  shuffle<T extends { length: number; [k: number]: number }>(array: T): T {
    for (let k = array.length - 1; k > 0; k--) {
      const j = Math.floor(this.next() * (k + 1));
      const tmp = array[k]!;
      array[k] = array[j]!;
      array[j] = tmp;
    }
    return array;
  }

  /** A fresh independent generator derived from this one (for sub-models of an ensemble). */
  fork(): Random {
    return new Random(this.nextUint32() | 0);
  }
}

/** 0..n-1 in a seeded random order. */
export function permutation(n: number, rng: Random): Int32Array {
  const p = new Int32Array(n);
  for (let k = 0; k < n; k++) p[k] = k;
  return rng.shuffle(p);
}
