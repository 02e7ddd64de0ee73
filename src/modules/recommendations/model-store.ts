// Trained model versions in the database (rule 12: a model one process trains, every process serves)
// and the lease that keeps two trainings from running at once across processes.
import { randomUUID } from 'node:crypto';
import { LessThan, type DataSource } from 'typeorm';
import { isUniqueViolation } from '../../db/tx.js';
import { RecLock, RecModel, RecModelChunk } from './recommendation.entities.js';

/** MySQL's BLOB holds 65 535 bytes. */
export const CHUNK_BYTES = 60_000;
/** Versions kept besides the newest (a process still loading the previous one finds it). */
const KEEP_PREVIOUS = 1;
const INSERT_BATCH = 16;

export class ModelStore {
  constructor(private readonly ds: DataSource) {}

  /** The newest complete version, or null before the first training. */
  async latestVersion(): Promise<number | null> {
    const row = await this.ds.getRepository(RecModel).findOne({ where: { status: 'ready' }, order: { id: 'DESC' }, select: { id: true } });
    return row?.id ?? null;
  }

  /** Stores the bytes as a new version (ready once every chunk is in) and prunes old versions. */
  async save(bytes: Uint8Array, runId: number | null): Promise<number> {
    const chunks = Math.ceil(bytes.length / CHUNK_BYTES);
    const models = this.ds.getRepository(RecModel);
    const row = await models.save(models.create({ runId, status: 'writing', bytes: bytes.length, chunks }));
    for (let seq = 0; seq < chunks; seq += INSERT_BATCH) {
      const batch: Array<Pick<RecModelChunk, 'modelId' | 'seq' | 'data'>> = [];
      for (let s = seq; s < Math.min(chunks, seq + INSERT_BATCH); s++) {
        batch.push({ modelId: row.id, seq: s, data: Buffer.from(bytes.buffer, bytes.byteOffset + s * CHUNK_BYTES, Math.min(CHUNK_BYTES, bytes.length - s * CHUNK_BYTES)) });
      }
      await this.ds.getRepository(RecModelChunk).insert(batch);
    }
    await models.update({ id: row.id }, { status: 'ready' });
    await this.prune(row.id);
    return row.id;
  }

  private async prune(newest: number): Promise<void> {
    const old = await this.ds.getRepository(RecModel).find({ where: { id: LessThan(newest) }, order: { id: 'DESC' }, select: { id: true } });
    for (const m of old.slice(KEEP_PREVIOUS)) {
      await this.ds.getRepository(RecModelChunk).delete({ modelId: m.id });
      await this.ds.getRepository(RecModel).delete({ id: m.id });
    }
  }

  async load(version: number): Promise<Buffer> {
    const meta = await this.ds.getRepository(RecModel).findOneBy({ id: version, status: 'ready' });
    if (!meta) throw new Error(`recommendation model version ${version} is not available`);
    const out = Buffer.alloc(meta.bytes);
    let at = 0;
    for (let seq = 0; seq < meta.chunks; seq += 64) {
      const rows = await this.ds.getRepository(RecModelChunk).createQueryBuilder('c').where('c.model_id = :id AND c.seq >= :from AND c.seq < :to', { id: version, from: seq, to: seq + 64 }).orderBy('c.seq', 'ASC').getMany();
      for (const r of rows) {
        const data = Buffer.isBuffer(r.data) ? r.data : Buffer.from(r.data as Uint8Array);
        data.copy(out, at);
        at += data.length;
      }
    }
    if (at !== meta.bytes) throw new Error(`recommendation model version ${version} is incomplete (${at} of ${meta.bytes} bytes)`);
    return out;
  }

  // ---- the lease ------------------------------------------------------------------------------------

  /** Takes the named lease for `ttlMs` unless another holder has an unexpired one. Returns the holder id or null. */
  async acquire(name: string, ttlMs: number, now = Date.now()): Promise<string | null> {
    const holder = randomUUID();
    const locks = this.ds.getRepository(RecLock);
    try {
      await locks.insert({ name, holder, expiresAtMs: now + ttlMs });
      return holder;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    // Someone holds it (or held it and died): take it over only if it expired — one UPDATE decides.
    const res = await locks.createQueryBuilder().update(RecLock).set({ holder, expiresAtMs: now + ttlMs }).where('name = :name AND expires_at_ms < :now', { name, now }).execute();
    return (res.affected ?? 0) > 0 ? holder : null;
  }

  /** Extends a held lease; false if it was lost (expired and taken over). */
  async renew(name: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    const res = await this.ds.getRepository(RecLock).update({ name, holder }, { expiresAtMs: now + ttlMs });
    return (res.affected ?? 0) > 0;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.ds.getRepository(RecLock).delete({ name, holder });
  }
}
