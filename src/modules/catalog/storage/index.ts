// The content storage chosen by configuration (STORAGE=local|s3).
import path from 'node:path';
import type { Config } from '../../../config.js';
import { LocalStorage } from './local-storage.js';
import type { ObjectStorage } from './object-storage.js';
import { S3Storage } from './s3-storage.js';

export * from './object-storage.js';
export { LocalStorage } from './local-storage.js';
export { S3Storage, S3Error, type S3Settings } from './s3-storage.js';

/** Local objects live in `<UPLOAD_DIR>/objects`; uploads are staged in `<UPLOAD_DIR>/tmp` in both modes. */
export function createStorage(config: Pick<Config, 'storage' | 'uploadDir'>): ObjectStorage {
  if (config.storage.type === 's3') return new S3Storage(config.storage);
  return new LocalStorage(path.join(config.uploadDir, 'objects'));
}
