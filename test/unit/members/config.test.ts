import { ConfigError, loadConfig } from '../../../src/config.js';

const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/mq-members-config', JWT_SECRET: 'x'.repeat(32), SESSION_SECRET: 'y'.repeat(32) };

describe('media settings', () => {
  it('defaults to <DATA_DIR>/media and 5 MiB', () => {
    expect(loadConfig(base)).toEqual(expect.objectContaining({ mediaDir: '/tmp/mq-members-config/media', profileImageMaxBytes: 5 * 1024 * 1024 }));
    expect(loadConfig({ ...base, MEDIA_DIR: '/srv/media', PROFILE_IMAGE_MAX_BYTES: '2048' })).toEqual(expect.objectContaining({ mediaDir: '/srv/media', profileImageMaxBytes: 2048 }));
  });

  it('names PROFILE_IMAGE_MAX_BYTES when it is invalid', () => {
    for (const bad of ['5MB', '-1', '10', String(65 * 1024 * 1024)]) {
      expect(() => loadConfig({ ...base, PROFILE_IMAGE_MAX_BYTES: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, PROFILE_IMAGE_MAX_BYTES: bad })).toThrow(/^Invalid configuration: PROFILE_IMAGE_MAX_BYTES /);
    }
  });
});
