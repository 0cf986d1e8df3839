export type Severity = 'block' | 'warn';

export interface RuleDefinition {
  readonly severity: Severity;
  /** One line: what goes wrong in production. */
  readonly why: string;
  /** One line: how to make the same change safely. */
  readonly recipe: string;
  /** False for findings about the migration file itself, which a comment cannot waive. */
  readonly acknowledgeable?: false;
  /** Found only by running the migration (`--verify`); a static run has no such findings. */
  readonly verifyOnly?: true;
}

/**
 * Single source of truth for every rule: the checker, the CLI output and the rule index in
 * docs/migrations.md (kept in sync by rule-index.spec.ts) all read from here.
 */
export const RULES = {
  'drop-column': {
    severity: 'block',
    why: 'TypeORM selects every mapped column, so instances of the previous release fail once it is gone, and its data cannot be recovered.',
    recipe:
      'Stop using the column in code and release that; drop it in a later migration with `// migration-guard allow drop-column: <reason>`.',
  },
  'drop-add-column': {
    severity: 'block',
    why: "This is how TypeORM's generator changes a column's type or length: DROP COLUMN + ADD COLUMN loses every value in the column.",
    recipe:
      'Hand-write the change: ALTER COLUMN ... TYPE for a safe widening, otherwise add a new column, backfill in batches, switch reads, drop the old one in a later release.',
  },
  'drop-table': {
    severity: 'block',
    why: 'Deletes every row irrecoverably and breaks running instances that still query the table.',
    recipe:
      'Remove all code using the table and release that; drop it in a later migration with an acknowledgement (after a backup).',
  },
  'rename-column': {
    severity: 'block',
    why: 'Instances of the previous release keep using the old name and fail until they are all replaced.',
    recipe:
      'Add the new column, write both, backfill in batches, switch reads, drop the old column in a later release.',
  },
  'rename-table': {
    severity: 'block',
    why: 'Instances of the previous release keep using the old name (or schema) and fail until they are all replaced.',
    recipe:
      'Create the new table, write both, backfill in batches, switch reads, drop the old table in a later release.',
  },
  'unsafe-type-change': {
    severity: 'block',
    why: 'A type change that is not a binary-compatible widening rewrites the table under an ACCESS EXCLUSIVE lock, and narrowing fails on or mangles existing data; even a binary-compatible one re-validates CHECKs on the column by a full scan and rebuilds its indexes when the operator class or collation changes; a USING expression other than the column itself rewrites even to the same type.',
    recipe:
      'Only widen (longer varchar, varchar to text, drop a length limit, more numeric precision at the same scale); otherwise add a new column, backfill, switch reads, drop the old one later.',
  },
  'type-change-needs-utc-session': {
    severity: 'warn',
    why: 'timestamp ↔ timestamptz keeps the stored values (no rewrite) only when the session TimeZone is UTC; in any other zone Postgres rewrites the table under ACCESS EXCLUSIVE, and the guard cannot see the server zone.',
    recipe:
      "Start the migration with SET LOCAL TIME ZONE 'UTC' (the guard then accepts the change), or add a new column and backfill.",
  },
  'enum-value-removed': {
    severity: 'block',
    why: 'Rows holding the removed value make the conversion fail, and running code that still writes the value breaks.',
    recipe:
      'Keep the value: stop writing it, move rows to another value in batches, and rebuild the type only in a later release with an acknowledgement.',
  },
  'enum-value-renamed': {
    severity: 'block',
    why: 'Instances of the previous release still read and write the old label and fail.',
    recipe:
      'ADD VALUE the new label, write it from code, backfill rows in batches, and keep (or later retire) the old label.',
  },
  'enum-rebuild': {
    severity: 'block',
    why: "TypeORM's enum rebuild (rename, create, ALTER COLUMN ... TYPE ... USING, drop) rewrites every table using the type under an ACCESS EXCLUSIVE lock, even when it only adds a value.",
    recipe: "Add values with ALTER TYPE ... ADD VALUE '...' instead of the generated rebuild.",
  },
  'set-not-null': {
    severity: 'block',
    why: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock unless a validated CHECK (col IS NOT NULL) already proves it.',
    recipe:
      'ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT c in a later migration, then SET NOT NULL and DROP CONSTRAINT c.',
  },
  'add-column-not-null-without-default': {
    severity: 'block',
    why: 'Fails on a table that has rows, and instances of the previous release do not write the column.',
    recipe:
      'Add the column nullable (or with a constant DEFAULT), backfill in batches, then SET NOT NULL via a validated CHECK.',
  },
  'volatile-default': {
    severity: 'block',
    why: 'A per-row value (volatile default such as random(), gen_random_uuid(), clock_timestamp(), nextval(); identity; stored generated column) rewrites the table under an ACCESS EXCLUSIVE lock.',
    recipe:
      'Add the column without that default (a constant or now() is fine), backfill in batches, then SET DEFAULT for new rows.',
  },
  'create-index-non-concurrent': {
    severity: 'block',
    why: 'CREATE INDEX blocks every write to the table for the whole build.',
    recipe:
      'CREATE INDEX CONCURRENTLY in a migration with `public transaction = false` (DROP INDEX CONCURRENTLY IF EXISTS first, in case an earlier attempt left an invalid index).',
  },
  'concurrently-in-transaction': {
    severity: 'block',
    why: 'CONCURRENTLY cannot run in a transaction block: TypeORM runs up() in one unless `transaction = false`, always runs down() in one, and a multi-statement query string is one implicit transaction.',
    recipe:
      'Set `public transaction = false` and issue each CONCURRENTLY statement in its own queryRunner.query call; in down() use the plain form.',
  },
  'drop-index-non-concurrent': {
    severity: 'warn',
    why: 'DROP INDEX takes an ACCESS EXCLUSIVE lock on the table and queues behind every running query on it.',
    recipe: 'DROP INDEX CONCURRENTLY in a migration with `public transaction = false`.',
  },
  'whole-table-rewrite-command': {
    severity: 'block',
    why: 'VACUUM FULL, CLUSTER, ALTER TABLE SET LOGGED / UNLOGGED / TABLESPACE / ACCESS METHOD rewrite the table under ACCESS EXCLUSIVE; REINDEX blocks writes for the whole rebuild; REFRESH MATERIALIZED VIEW blocks reads of the view for the whole query.',
    recipe:
      'REINDEX ... CONCURRENTLY, or REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index), in a `transaction = false` migration; rewrite big tables outside the deploy (pg_repack, or a new table filled in batches); acknowledge only for a table known to be small.',
  },
  'lock-table': {
    severity: 'block',
    why: 'LOCK TABLE in SHARE mode or stronger blocks every write to the table (ACCESS EXCLUSIVE also every read) until the migration commits.',
    recipe:
      'Take no explicit lock: each statement takes the lock it needs; acknowledge only for a table known to be small or idle.',
  },
  'domain-constraint-not-valid': {
    severity: 'block',
    why: 'ALTER DOMAIN ... ADD CONSTRAINT checks every row of every table with a column of the domain, while blocking writes to them.',
    recipe:
      'ADD CONSTRAINT ... NOT VALID now, ALTER DOMAIN ... VALIDATE CONSTRAINT in a later migration.',
  },
  'domain-validating-scan': {
    severity: 'block',
    why: "ALTER DOMAIN ... VALIDATE CONSTRAINT and SET NOT NULL scan every column of the domain while holding SHARE on each of their tables: writes wait for the whole scan (unlike a table's VALIDATE CONSTRAINT).",
    recipe:
      'Put the rule on the columns instead: a table CHECK added NOT VALID, validated in a later migration; acknowledge only for tables known to be small.',
  },
  'attach-partition-scan': {
    severity: 'block',
    why: 'ATTACH PARTITION holds ACCESS EXCLUSIVE on the table being attached while it scans every row against the partition bound (SHARE UPDATE EXCLUSIVE on the parent).',
    recipe:
      'In an earlier migration add a CHECK matching the bound NOT VALID and VALIDATE it; ATTACH then skips the scan; drop the CHECK afterwards. Acknowledge for a table known to be small.',
  },
  'constraint-not-valid': {
    severity: 'block',
    why: 'Adding a FOREIGN KEY or CHECK validates every row while holding a lock that blocks writes.',
    recipe: 'ADD CONSTRAINT ... NOT VALID now, VALIDATE CONSTRAINT in a later migration.',
  },
  'not-valid-and-validate-same-migration': {
    severity: 'block',
    why: "VALIDATE in the same transaction as ADD ... NOT VALID keeps the ADD's SHARE ROW EXCLUSIVE lock (on both tables of a foreign key) for the whole scan, which blocks writes exactly like a constraint without NOT VALID.",
    recipe: 'Move VALIDATE CONSTRAINT to a later migration.',
  },
  'unique-constraint-existing-table': {
    severity: 'block',
    why: 'ADD UNIQUE / PRIMARY KEY / EXCLUDE builds its index while blocking every write to the table.',
    recipe:
      'CREATE UNIQUE INDEX CONCURRENTLY (in a `transaction = false` migration), then ADD CONSTRAINT ... UNIQUE USING INDEX (or PRIMARY KEY USING INDEX).',
  },
  truncate: {
    severity: 'block',
    why: 'Deletes every row irrecoverably.',
    recipe:
      'Delete only what must go, with a WHERE, in batches; acknowledge if the table really must be emptied.',
  },
  'delete-without-where': {
    severity: 'block',
    why: 'Deletes every row of the table in one long transaction.',
    recipe: 'Add a WHERE and delete in batches; acknowledge if the table really must be emptied.',
  },
  'update-without-where': {
    severity: 'warn',
    why: 'Rewrites every row in one transaction: long row locks, table bloat and a WAL spike.',
    recipe:
      'Backfill in batches by primary-key range (outside the schema migration if the table is large).',
  },
  'add-column-then-backfill': {
    severity: 'block',
    why: "An UPDATE of the whole table in the transaction that added a column keeps the ADD COLUMN's ACCESS EXCLUSIVE lock until every row is rewritten: reads and writes wait for the whole backfill.",
    recipe:
      'Add the column in this migration; backfill in batches by primary-key range in a separate migration (or job) that commits between batches.',
  },
  'missing-lock-timeout': {
    severity: 'warn',
    why: 'A DDL lock waiting behind a long query blocks every later query on the table, which is an outage.',
    recipe:
      "Start up()/down() with SET LOCAL lock_timeout = '5s' (plain SET in a `transaction = false` migration) and retry on timeout.",
  },
  'drop-type': {
    severity: 'block',
    why: 'DROP TYPE fails while a column uses the type, or with CASCADE drops those columns and their data.',
    recipe:
      'Stop using the type in code and columns first; drop it in a later release with an acknowledgement.',
  },
  'drop-schema': {
    severity: 'block',
    why: 'Drops every object in the schema.',
    recipe: 'Verify the schema is unused and backed up, then acknowledge with the reason.',
  },
  'unparseable-sql': {
    severity: 'block',
    why: 'The SQL does not parse as PostgreSQL 18, so it cannot be checked (and will probably fail).',
    recipe: 'Fix the SQL; if the server accepts it anyway, acknowledge with the reason.',
  },
  'dynamic-sql': {
    severity: 'block',
    why: 'SQL built at run time, procedural code or SQL run outside queryRunner.query(...) cannot be checked statically.',
    recipe:
      'Use string literals (concatenated literals are fine); if run-time SQL is unavoidable, review it and acknowledge with the reason.',
  },
  'queryrunner-schema-call': {
    severity: 'block',
    why: 'QueryRunner schema methods (dropColumn, changeColumn, createIndex, ...) emit SQL the guard cannot see.',
    recipe: 'Write the SQL with queryRunner.query(...) so it can be checked.',
  },
  'dynamic-rewrite': {
    severity: 'block',
    why: 'Run on a scratch database (--verify), the statement wrote a table or index that existed before the migration anew (its relfilenode changed): it holds ACCESS EXCLUSIVE while it copies every row.',
    recipe:
      'Make the change without a rewrite (new column + batched backfill, a binary-coercible type, CONCURRENTLY forms), or acknowledge it for a table known to be small.',
    verifyOnly: true,
  },
  'dynamic-exclusive-lock': {
    severity: 'block',
    why: 'Run on a scratch database (--verify), the statement scanned or changed rows of a pre-existing table while the migration held a write-blocking lock (ACCESS EXCLUSIVE, EXCLUSIVE, SHARE ROW EXCLUSIVE or SHARE) on a pre-existing table: writes wait for as long as that work takes on the real data.',
    recipe:
      'Move the data work (backfill, validation, index build) to its own migration: batched UPDATEs, NOT VALID + VALIDATE in a later migration, CREATE INDEX CONCURRENTLY with `transaction = false`.',
    verifyOnly: true,
  },
  'dynamic-validating-scan': {
    severity: 'block',
    why: 'Run on a scratch database (--verify), the statement validated a CHECK or FOREIGN KEY by scanning every row of a pre-existing table while the migration held a write-blocking lock on a pre-existing table: writes wait for the whole scan.',
    recipe:
      'ADD CONSTRAINT ... NOT VALID in this migration and VALIDATE CONSTRAINT in a later one (it then takes only SHARE UPDATE EXCLUSIVE, which lets writes through).',
    verifyOnly: true,
  },
  'dynamic-failed': {
    severity: 'block',
    why: 'Run on a scratch database built from the earlier migrations with a few rows in every table (--verify), the statement failed: it would fail in production too once the tables hold data.',
    recipe:
      'Fix the statement (e.g. add a NOT NULL column with a default, or backfill before SET NOT NULL); if it fails only on the generated rows, acknowledge with the reason.',
    verifyOnly: true,
  },
  'invalid-migration': {
    severity: 'block',
    why: 'The file is not a TypeORM migration class with up(queryRunner), so nothing in it can be checked.',
    recipe:
      'Export one class implementing MigrationInterface with up(queryRunner) and down(queryRunner).',
    acknowledgeable: false,
  },
  'ack-missing-reason': {
    severity: 'block',
    why: 'An acknowledgement without a reason leaves reviewers guessing why the hazard is acceptable; it unblocks nothing.',
    recipe: 'Write `// migration-guard allow <rule-id>: <why it is safe here>`.',
    acknowledgeable: false,
  },
  'ack-unknown-rule': {
    severity: 'block',
    why: 'The acknowledgement names a rule id that does not exist (typo?), so it unblocks nothing.',
    recipe: 'Use a rule id from the rule index in docs/migrations.md.',
    acknowledgeable: false,
  },
  'ack-unused': {
    severity: 'warn',
    why: 'The acknowledgement matches no finding of the queryRunner call it annotates.',
    recipe: 'Remove it, or put it directly above (or on the line of) the call it is meant for.',
    acknowledgeable: false,
  },
  'style-int-key': {
    severity: 'warn',
    why: 'An int or serial key runs out at 2^31 rows, and widening it later rewrites the table and every index and foreign key that uses it.',
    recipe: 'bigint GENERATED ALWAYS AS IDENTITY (or uuid) for new keys.',
  },
  'style-timestamp-without-zone': {
    severity: 'warn',
    why: 'timestamp without time zone stores wall-clock time: the same value means different instants to sessions in different zones.',
    recipe: 'timestamptz (timestamp with time zone).',
  },
  'style-varchar-length': {
    severity: 'warn',
    why: 'varchar(n)/char(n) put a limit in the type: raising it is a schema change (a scan when the column has a CHECK), and char(n) pads with blanks.',
    recipe: 'text, with CHECK (char_length(col) <= n) where a limit is a rule.',
  },
  'style-json': {
    severity: 'warn',
    why: 'json keeps the text as written and reparses it on every access; it has no equality operator and cannot be indexed with GIN.',
    recipe: 'jsonb.',
  },
} as const satisfies Record<string, RuleDefinition>;

export type RuleId = keyof typeof RULES;

export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function isRuleId(candidate: string): candidate is RuleId {
  return Object.hasOwn(RULES, candidate);
}
