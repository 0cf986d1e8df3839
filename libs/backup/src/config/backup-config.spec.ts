import { ConfigError } from '@mas/persistence';
import { loadBackupConfig } from './backup-config.js';

describe('loadBackupConfig', () => {
  it('schedules nothing by default and keeps seven backups, degraded after 26 h', () => {
    expect(loadBackupConfig({})).toEqual({
      dir: undefined,
      keep: 7,
      encryptionKey: undefined,
      maxAgeHours: 26,
    });
  });

  it('refuses a short encryption key without echoing it, and a keep of zero', () => {
    const short = () => loadBackupConfig({ BACKUP_ENCRYPTION_KEY: 'short-secret' });
    expect(short).toThrow(ConfigError);
    expect(short).toThrow(/BACKUP_ENCRYPTION_KEY must be at least 16 characters/);
    expect(short).not.toThrow(/short-secret/);
    expect(() => loadBackupConfig({ BACKUP_KEEP: '0' })).toThrow(/BACKUP_KEEP must be between 1/);
  });
});
