// Objects as files under one root directory. A put writes to a temporary name next to the
// final one and renames it, so a reader never sees half a file and a failed put leaves nothing.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertKey, ObjectNotFoundError, StorageIntegrityError, type ObjectStorage, type PutOptions } from './object-storage.js';

export class LocalStorage implements ObjectStorage {
  readonly kind = 'local' as const;
  readonly rootDir: string;

  constructor(rootDir: string) {
    this.rootDir = path.resolve(rootDir);
  }

  localPath(key: string): string {
    assertKey(key);
    const full = path.resolve(this.rootDir, key);
    // Defence in depth: assertKey already forbids "..", a key can never leave the root.
    if (!full.startsWith(this.rootDir + path.sep)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
    return full;
  }

  private tempNameFor(full: string): string {
    return path.join(path.dirname(full), `.${path.basename(full)}.${randomBytes(6).toString('hex')}.part`);
  }

  async put(key: string, source: Readable, opts: PutOptions): Promise<void> {
    const full = this.localPath(key);
    await mkdir(path.dirname(full), { recursive: true });
    const tmp = this.tempNameFor(full);
    const hash = createHash('sha256');
    let size = 0;
    const verify = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > opts.size) return cb(new StorageIntegrityError(`more bytes than the declared ${opts.size}`));
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(source, verify, createWriteStream(tmp, { flags: 'wx', mode: 0o640 }));
      const digest = hash.digest('hex');
      if (size !== opts.size) throw new StorageIntegrityError(`got ${size} bytes, expected ${opts.size}`);
      if (digest !== opts.sha256Hex.toLowerCase()) throw new StorageIntegrityError('sha256 does not match');
      await rename(tmp, full);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Moves the file into place (one rename when on the same file system, else a verified copy). */
  async putFile(key: string, filePath: string, opts: PutOptions): Promise<void> {
    const full = this.localPath(key);
    await mkdir(path.dirname(full), { recursive: true });
    const st = await stat(filePath);
    if (st.size !== opts.size) throw new StorageIntegrityError(`file has ${st.size} bytes, expected ${opts.size}`);
    try {
      await rename(filePath, full);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await this.put(key, createReadStream(filePath), opts);
      await unlink(filePath).catch(() => undefined);
    }
  }

  get(key: string): Readable {
    let full: string;
    try {
      full = this.localPath(key);
    } catch (err) {
      const out = new PassThrough();
      process.nextTick(() => out.destroy(err as Error));
      return out;
    }
    const out = new PassThrough();
    const file = createReadStream(full);
    file.once('error', (err: NodeJS.ErrnoException) => out.destroy(err.code === 'ENOENT' ? new ObjectNotFoundError(key) : err));
    // A consumer that stops early (destroy) closes the file too.
    out.once('close', () => file.destroy());
    file.pipe(out);
    return out;
  }

  async delete(key: string): Promise<void> {
    await rm(this.localPath(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.localPath(key))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
}
