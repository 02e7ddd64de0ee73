// Trainers are generators that yield their own progress in [0, 1] at natural checkpoints (after each
// epoch, after each block of rows). One driver runs them synchronously, another yields to the event
// loop between steps so a BullMQ worker keeps renewing its lock while a long job trains.

export type Steps<T> = Generator<number, T, void>;

/** Re-map a sub-task's progress onto [from, to] of the parent's progress. */
export function* scaled<T>(steps: Steps<T>, from: number, to: number): Steps<T> {
  let r = steps.next();
  while (!r.done) {
    yield from + (to - from) * r.value;
    r = steps.next();
  }
  return r.value;
}

export function runSync<T>(steps: Steps<T>, onProgress?: (fraction: number) => void): T {
  let r = steps.next();
  while (!r.done) {
    onProgress?.(clamp01(r.value));
    r = steps.next();
  }
  onProgress?.(1);
  return r.value;
}

export async function runAsync<T>(steps: Steps<T>, onProgress?: (fraction: number) => void | Promise<void>): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    await onProgress?.(clamp01(r.value));
    await new Promise<void>((resolve) => setImmediate(resolve));
    r = steps.next();
  }
  await onProgress?.(1);
  return r.value;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
