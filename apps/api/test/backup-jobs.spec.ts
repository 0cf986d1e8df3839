import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listBackups } from '@mas/backup';
import { QueueRegistry } from '@mas/jobs';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { startTestApp, stopWithQueues, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';

const KEY = 'backup-jobs-spec-passphrase';

interface FinishedJob {
  result: Record<string, unknown> | undefined;
  failedReason: string | undefined;
}

describe('jobs: daily backup, weekly restore drill, backup health', () => {
  let database: TestDatabase;
  let app: TestApp;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    dir = await mkdtemp(join(tmpdir(), 'mas-backup-jobs-'));
    app = await startTestApp(database, {
      BACKUP_DIR: dir,
      BACKUP_KEEP: '2',
      BACKUP_ENCRYPTION_KEY: KEY,
      BULLMQ_PREFIX: `test-backup-${randomBytes(4).toString('hex')}`,
    });
  });

  afterAll(async () => {
    await stopWithQueues(app);
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function runJob(queueName: string, jobName: string): Promise<FinishedJob> {
    const queue = app.app.get(QueueRegistry).get(queueName)!;
    const { id } = await queue.add(jobName, {});
    for (let attempt = 0; attempt < 600; attempt++) {
      const job = await queue.getJob(id!);
      if (job?.finishedOn) {
        return {
          result: job.returnvalue as Record<string, unknown> | undefined,
          failedReason: job.failedReason || undefined,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${queueName} job ${id} did not finish`);
  }

  const backupsHealth = async () => {
    const response = await app.http().get('/api/health').expect(200);
    return (response.body.info ?? response.body.details).backups as Record<string, unknown>;
  };

  const runs = async (kind: string) =>
    (
      await database.sql(
        `SELECT status, file, detail FROM superadmin.backup_runs WHERE kind = $1 ORDER BY finished_at`,
        [kind],
      )
    ).rows as { status: string; file: string | null; detail: Record<string, unknown> }[];

  const databasesLike = async (name: string) =>
    (await database.sql('SELECT datname FROM pg_database WHERE datname = $1', [name])).rowCount;

  it('reports backups degraded, still answering 200, before the first verified backup', async () => {
    const response = await app.http().get('/api/health').expect(200);
    expect(response.body.status).toBe('degraded');
    expect(response.body.info.backups).toMatchObject({
      status: 'degraded',
      message: 'no verified backup yet',
    });
  });

  it('writes an encrypted backup, reads it back, records it, and health reports its age', async () => {
    const { result, failedReason } = await runJob('backup', 'backup');
    expect(failedReason).toBeUndefined();
    expect(result).toMatchObject({ file: expect.stringContaining(dir), pruned: [] });
    expect(result!.rows as number).toBeGreaterThan(0);
    const bytes = await readFile(result!.file as string);
    expect(bytes.includes(Buffer.from(TEST_ADMIN.email))).toBe(false);

    const [recorded] = await runs('backup');
    expect(recorded).toMatchObject({ status: 'verified', file: result!.file });
    expect(recorded.detail).toMatchObject({ encrypted: true, rows: result!.rows });
    const health = await backupsHealth();
    expect(health.status).toBe('up');
    expect(health.ageHours as number).toBeLessThan(26);
  });

  it('keeps only BACKUP_KEEP backups, newest first', async () => {
    await runJob('backup', 'backup');
    const third = await runJob('backup', 'backup');
    const kept = await listBackups(dir);
    expect(kept).toHaveLength(2);
    expect(kept[0]).toBe(third.result!.file);
    expect(third.result!.pruned).toHaveLength(1);
  });

  it('the drill restores the newest backup into a scratch database, verifies, drops and records it', async () => {
    const { result, failedReason } = await runJob('backup-drill', 'restore-drill');
    expect(failedReason).toBeUndefined();
    const [newest] = await listBackups(dir);
    expect(result).toMatchObject({ ok: true, file: newest });
    const checks = result!.checks as { name: string; ok: boolean }[];
    expect(checks.length).toBeGreaterThan(5);
    expect(checks.filter((check) => !check.ok)).toEqual([]);
    expect(await databasesLike(result!.scratchDatabase as string)).toBe(0);

    const [drill] = await runs('drill');
    expect(drill).toMatchObject({ status: 'verified', file: newest });
    expect((await backupsHealth()).lastDrill).toMatchObject({ status: 'verified' });
  });

  it('a drill of a damaged newest backup fails, is recorded, and turns health degraded', async () => {
    const [newest] = await listBackups(dir);
    const bytes = await readFile(newest);
    bytes[bytes.length - 40] ^= 0x01;
    await writeFile(newest, bytes);

    const { failedReason } = await runJob('backup-drill', 'restore-drill');
    expect(failedReason).toMatch(/restore drill failed/);
    const drills = await runs('drill');
    const failed = drills.at(-1)!;
    expect(failed.status).toBe('failed');
    expect(failed.detail.error).toMatch(/fails its authentication/);
    expect(await databasesLike(failed.detail.scratchDatabase as string)).toBe(0);
    expect(await backupsHealth()).toMatchObject({
      status: 'degraded',
      message: 'the latest restore drill failed',
    });
  });

  it('is degraded past BACKUP_MAX_AGE_HOURS (26 h) without a newer verified backup', async () => {
    await database.sql(
      `UPDATE superadmin.backup_runs SET finished_at = now() - interval '27 hours'`,
    );
    expect(await backupsHealth()).toMatchObject({
      status: 'degraded',
      message: 'the newest verified backup is older than 26 h',
    });
  });
});
