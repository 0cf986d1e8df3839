import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FinanceModule } from '@mas/finance';
import { type User, UserRole } from '@mas/identity';
import { MentorshipModule } from '@mas/mentorship';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { createBookedSlot } from '@mas/testing/lib-slots.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { ledgerViolations } from '@mas/testing/ledger.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { HEADER_BYTES } from './archive/container-header.js';
import { toolMajor } from './engines/pg-tools.js';
import { BackupRefusedError } from './errors.js';
import { type Manifest } from './manifest.js';
import { readArchive } from './read-archive.js';
import { restoreBackup } from './restore/restore-backup.js';
import { quoteName } from './snapshot/catalog.js';
import { formatVerification, verifyAgainstManifest } from './verify/verify-restore.js';
import { writeBackup } from './write-backup.js';

const KEY = 'integration-spec-passphrase';
const CHUNK = 4096;
const FRAME = 4 + CHUNK + 16;

/** Every row of every backed-up table as text, sorted: what "the same data" means here. */
async function allRows(
  query: (text: string) => Promise<{ rows: { row: string }[] }>,
  manifest: Manifest,
): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for (const table of manifest.tables) {
    const columns = table.columns.map((column) => `t."${column}"`).join(', ');
    const { rows } = await query(
      `SELECT ROW(${columns})::text AS row FROM ${quoteName(table.schema, table.name)} t ORDER BY 1`,
    );
    tables[`${table.schema}.${table.name}`] = rows.map((entry) => entry.row);
  }
  return tables;
}

describe('backup and restore (on Postgres, with bookings written during the backup)', () => {
  let lib: LibModule;
  let mentor: User;
  let dir: string;
  let file: string;
  let manifest: Manifest;
  let atSnapshot: Record<string, string[]>;
  let bookedDuringBackup = 0;
  const targets: TestDatabase[] = [];

  const target = async () => {
    const database = await createTestDatabase({ migrated: false });
    targets.push(database);
    return database;
  };
  const into = (database: TestDatabase) => ({ connection: database.connection, ssl: false });
  const tableCount = async (database: TestDatabase) =>
    // Permanent tables only: an unlogged table's rows describe live sessions, and are not kept.
    (
      await database.sql(`SELECT count(*)::int AS n FROM pg_class c
                            JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
                             AND n.nspname NOT IN ('pg_catalog', 'information_schema')`)
    ).rows[0].n as number;

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), FinanceModule, MentorshipModule]);
    mentor = await createLibUser(lib.context, UserRole.Expert);
    for (let i = 0; i < 5; i++) await createBookedSlot(lib.context, mentor);
    dir = await mkdtemp(join(tmpdir(), 'mas-backup-spec-'));
    file = join(dir, 'source.masbackup');

    // Bookings go on in the background for the whole backup.
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await createBookedSlot(lib.context, mentor);
        bookedDuringBackup++;
      }
    })();
    const snapshotReader = await lib.database.session();
    try {
      manifest = await writeBackup({
        source: into(lib.database),
        file,
        passphrase: KEY,
        chunkSize: CHUNK,
        onSnapshot: async (snapshotId) => {
          // See exactly the backup's snapshot from another session, then let bookings commit
          // after it while the backup's transaction is still open.
          await snapshotReader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
          await snapshotReader.query(`SET TRANSACTION SNAPSHOT '${snapshotId}'`);
          const before = bookedDuringBackup;
          while (bookedDuringBackup < before + 3) await new Promise((r) => setTimeout(r, 10));
        },
      });
      atSnapshot = await allRows((text) => snapshotReader.query(text), manifest);
    } finally {
      writing = false;
      await writer;
      await snapshotReader.end();
    }
  });

  afterAll(async () => {
    await Promise.all(targets.map((database) => database.drop()));
    await lib?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes one consistent snapshot: the books balance inside it while bookings commit after it', async () => {
    const money = manifest.facts.money!;
    expect(money.walletsOffLedger).toBe(0);
    expect(money.walletBalanceTotal).toBe(money.ledgerDeltaTotal);
    const ledger = manifest.tables.find((table) => table.name === 'token_usages')!;
    expect(ledger.rows).toBe(money.ledgerRows);
    expect(atSnapshot['public.token_usages']).toHaveLength(money.ledgerRows);
    // The source moved on after the snapshot: the backup holds none of those rows.
    const { rows } = await lib.database.sql('SELECT count(*)::int AS n FROM token_usages');
    expect(rows[0].n).toBeGreaterThan(money.ledgerRows);
    expect(await ledgerViolations(lib.database)).toEqual([]);
  });

  it('restores into a fresh database identical, table by table and row by row, to the snapshot', async () => {
    const database = await target();
    const outcome = await restoreBackup({ file, passphrase: KEY, target: into(database) });
    expect(outcome.verification.checks.filter((check) => !check.ok)).toEqual([]);
    expect(outcome.verification.ok).toBe(true);
    expect(outcome.verification.checks.map((check) => check.name)).toEqual(
      expect.arrayContaining([
        'append-only trigger on token_usages',
        'exclusion constraint on slots (no overlap)',
        'ledger invariant (balance = sum of deltas per wallet)',
        'migrations at the recorded head',
      ]),
    );
    const restored = await allRows((text) => database.sql(text), manifest);
    expect(Object.keys(restored)).toEqual(Object.keys(atSnapshot));
    for (const table of Object.keys(atSnapshot)) {
      expect({ table, rows: restored[table] }).toEqual({ table, rows: atSnapshot[table] });
    }
    expect(await ledgerViolations(database)).toEqual([]);
    // The restored ledger is still append-only and new rows get fresh entry numbers.
    await expect(database.sql('DELETE FROM token_usages')).rejects.toThrow(
      /append-only|not allowed|refuse/i,
    );
    const next = await database.sql(`SELECT nextval('token_usages_entry_no_seq')::int AS n`);
    const max = await database.sql('SELECT max(entry_no)::int AS n FROM token_usages');
    expect(next.rows[0].n).toBeGreaterThan(max.rows[0].n as number);
  });

  it('reports every difference from the manifest as a mismatch and a FAILED verdict', async () => {
    const database = await target();
    await restoreBackup({ file, passphrase: KEY, target: into(database) });
    await database.sql('ALTER TABLE token_usages DISABLE TRIGGER token_usages_append_only');
    await database.sql(
      'UPDATE token_wallets SET balance = balance + 1 WHERE user_id = (SELECT user_id FROM token_wallets ORDER BY user_id LIMIT 1)',
    );
    await database.sql(
      'DELETE FROM outbox_messages WHERE id = (SELECT id FROM outbox_messages ORDER BY id LIMIT 1)',
    );
    const verification = await verifyAgainstManifest(into(database), manifest);
    expect(verification.ok).toBe(false);
    expect(verification.checks.filter((check) => !check.ok).map((check) => check.name)).toEqual([
      'row counts per table',
      'wallet balances',
      'ledger invariant (balance = sum of deltas per wallet)',
      'append-only trigger on token_usages',
      'constraints, triggers and indexes',
    ]);
    const printed = formatVerification(verification);
    expect(printed).toMatch(
      /^MISMATCH {2}row counts per table: public\.outbox_messages: \d+ \(backup \d+\)$/m,
    );
    expect(printed.split('\n').at(-1)).toBe('verdict: FAILED (5 of 10 checks failed)');
  });

  it('refuses a wrong key, a flipped byte, swapped chunks and a cut file, before touching the target', async () => {
    const original = await readFile(file);
    expect(original.length).toBeGreaterThan(HEADER_BYTES + 3 * FRAME);
    const variants: [string, Buffer, RegExp][] = [];
    const flipped = Buffer.from(original);
    flipped[HEADER_BYTES + FRAME + 100] ^= 0x01;
    variants.push(['flipped', flipped, /chunk 1 fails its authentication/]);
    const swapped = Buffer.from(original);
    original.copy(swapped, HEADER_BYTES, HEADER_BYTES + FRAME, HEADER_BYTES + 2 * FRAME);
    original.copy(swapped, HEADER_BYTES + FRAME, HEADER_BYTES, HEADER_BYTES + FRAME);
    variants.push(['swapped', swapped, /chunk 0 fails its authentication/]);
    variants.push(['cut', original.subarray(0, HEADER_BYTES + 2 * FRAME), /truncated/]);
    const header = Buffer.from(original);
    header[14] ^= 0x01; // inside the salt: the key derived no longer matches the key check
    variants.push(['header', header, /wrong BACKUP_ENCRYPTION_KEY/]);

    const database = await target();
    for (const [name, bytes, message] of variants) {
      const path = join(dir, `${name}.masbackup`);
      await writeFile(path, bytes);
      const refusal = restoreBackup({ file: path, passphrase: KEY, target: into(database) });
      await expect(refusal).rejects.toBeInstanceOf(BackupRefusedError);
      await expect(refusal).rejects.toThrow(message);
    }
    const wrongKey = restoreBackup({
      file,
      passphrase: 'another-passphrase-x',
      target: into(database),
    });
    await expect(wrongKey).rejects.toThrow(/wrong BACKUP_ENCRYPTION_KEY/);
    const noKey = restoreBackup({ file, target: into(database) });
    await expect(noKey).rejects.toThrow(/encrypted: set BACKUP_ENCRYPTION_KEY/);
    expect(await tableCount(database)).toBe(0);
  });

  it('refuses a target with tables unless forced, and leaves it alone', async () => {
    const before = await lib.database.sql('SELECT count(*)::int AS n FROM token_usages');
    const refusal = restoreBackup({ file, passphrase: KEY, target: into(lib.database) });
    await expect(refusal).rejects.toBeInstanceOf(BackupRefusedError);
    await expect(refusal).rejects.toThrow(/is not empty .* --force/);
    const after = await lib.database.sql('SELECT count(*)::int AS n FROM token_usages');
    expect(after.rows[0].n).toBe(before.rows[0].n);

    const database = await target();
    await database.sql('CREATE TABLE leftover (id int)');
    await database.sql('INSERT INTO leftover VALUES (1)');
    const forced = await restoreBackup({
      file,
      passphrase: KEY,
      target: into(database),
      force: true,
    });
    expect(forced.verification.ok).toBe(true);
    expect(await tableCount(database)).toBe(manifest.tables.length + 1); // + the migrations table
  });

  it('offers pg_dump of the same snapshot in the same container, restored by pg_restore and verified alike', async () => {
    const dumped = join(dir, 'pg-dump.masbackup');
    const backup = () =>
      writeBackup({ source: into(lib.database), file: dumped, passphrase: KEY, engine: 'pg_dump' });
    const { rows } = await lib.database.sql(
      "SELECT current_setting('server_version_num')::int / 10000 AS major",
    );
    const tool = await toolMajor('pg_dump');
    if (tool === null || tool < (rows[0].major as number)) {
      // e.g. the embedded 18 test server with an older client: refused, the copy engine named.
      await expect(backup()).rejects.toThrow(/use the copy engine/);
      return;
    }
    const written = await backup();
    expect(written).toMatchObject({ engine: 'pg_dump', dump: { major: tool } });
    const database = await target();
    const outcome = await restoreBackup({ file: dumped, passphrase: KEY, target: into(database) });
    expect(outcome.verification.checks.filter((check) => !check.ok)).toEqual([]);
    // The writers stopped after the first backup: the source is what this snapshot saw.
    expect(await allRows((text) => database.sql(text), written)).toEqual(
      await allRows((text) => lib.database.sql(text), written),
    );
  });

  it('checksums an unencrypted backup too: a flipped byte is refused', async () => {
    const plain = join(dir, 'plain.masbackup');
    const written = await writeBackup({
      source: into(lib.database),
      file: plain,
      chunkSize: CHUNK,
    });
    expect((await readArchive(plain, undefined)).snapshotAt).toBe(written.snapshotAt);
    const bytes = await readFile(plain);
    expect(bytes.includes(Buffer.from('token_usages'))).toBe(true); // readable: not encrypted
    expect((await readFile(file)).includes(Buffer.from('token_usages'))).toBe(false);
    bytes[HEADER_BYTES + 10] ^= 0x40;
    await writeFile(plain, bytes);
    await expect(readArchive(plain, undefined)).rejects.toThrow(/chunk 0 fails its checksum/);
  });
});
