// Memory and time measurement for one training run. Training is synchronous, so a timer could never
// fire while it runs; instead the memory is sampled from the onProgress callback (called after every
// epoch / block of similarity rows) and the kernel's high-water mark (maxRSS) is read at the end.

export interface MemorySample {
  rss: number;
  heapUsed: number;
  /** V8 heap in use plus ArrayBuffer backing stores (typed arrays live outside the V8 heap). */
  heapAndBuffers: number;
}

export function sampleMemory(): MemorySample {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapAndBuffers: m.heapUsed + m.arrayBuffers };
}

export class PeakMemory {
  readonly before: MemorySample;
  peakRss: number;
  peakHeapUsed: number;
  peakHeapAndBuffers: number;
  samples = 0;

  constructor() {
    this.before = sampleMemory();
    this.peakRss = this.before.rss;
    this.peakHeapUsed = this.before.heapUsed;
    this.peakHeapAndBuffers = this.before.heapAndBuffers;
  }

  sample = (): void => {
    const s = sampleMemory();
    this.samples++;
    if (s.rss > this.peakRss) this.peakRss = s.rss;
    if (s.heapUsed > this.peakHeapUsed) this.peakHeapUsed = s.heapUsed;
    if (s.heapAndBuffers > this.peakHeapAndBuffers) this.peakHeapAndBuffers = s.heapAndBuffers;
  };

  /** Peak growth of heap + buffers over the starting point: what the training itself allocated. */
  get trainingBytes(): number {
    return this.peakHeapAndBuffers - this.before.heapAndBuffers;
  }
}

/** Peak resident set size of this process so far, in bytes (kernel high-water mark). */
export function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

export const MiB = 1024 * 1024;
