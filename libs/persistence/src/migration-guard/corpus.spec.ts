import type { Catalog } from './catalog.js';
import type { Finding } from './finding.js';
import { catalogFromSources, lintSource } from './lint.js';
import { migrationSource, type FixtureLine, type FixtureMigration } from './migration.fixture.js';
import type { RuleId } from './rule-definitions.js';

/** Schema that exists before the migration under test (tables here are "existing"). */
const EXISTING_SCHEMA: FixtureMigration = {
  className: 'Existing1600000000000',
  up: [
    `CREATE TYPE "public"."users_status_enum" AS ENUM('active', 'disabled')`,
    `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(255) NOT NULL, "full_name" character varying(50), "age" integer, "balance" numeric(10,2) NOT NULL DEFAULT '0', "bio" text, "status" "public"."users_status_enum" NOT NULL DEFAULT 'active', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_users" PRIMARY KEY ("id"))`,
    `CREATE TABLE "posts" ("id" SERIAL NOT NULL, "user_id" uuid, "title" character varying(100) NOT NULL, CONSTRAINT "PK_posts" PRIMARY KEY ("id"))`,
    `CREATE INDEX "IDX_posts_title" ON "posts" ("title")`,
    `CREATE TABLE "Accounts" ("Name" character varying(10))`,
    `CREATE SCHEMA "audit"`,
    `CREATE TABLE "audit"."events" ("id" bigint NOT NULL)`,
  ],
};

interface Case {
  name: string;
  migration: FixtureMigration;
  /** Earlier migrations; defaults to EXISTING_SCHEMA. */
  history?: FixtureMigration[];
  /** Prepend a lock_timeout to up() and down() (default true), so cases test one rule at a time. */
  lockTimeout?: boolean;
  /** Unacknowledged findings, as a sorted list of rule ids. [] = passes clean. */
  expected: RuleId[];
  acknowledged?: RuleId[];
}

const LOCK_TIMEOUT = `SET LOCAL lock_timeout = '5s'`;
const SESSION_LOCK_TIMEOUT = `SET lock_timeout = '5s'`;

const INITIAL_MIGRATION: FixtureMigration = {
  className: 'Initial1700000000000',
  up: [
    `CREATE EXTENSION IF NOT EXISTS "uuid-ossp"`,
    `CREATE TYPE "public"."orders_state_enum" AS ENUM('new', 'paid')`,
    `CREATE TABLE "customers" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "email" character varying NOT NULL, CONSTRAINT "UQ_customers_email" UNIQUE ("email"), CONSTRAINT "PK_customers" PRIMARY KEY ("id"))`,
    `CREATE TABLE "orders" ("id" SERIAL NOT NULL, "state" "public"."orders_state_enum" NOT NULL DEFAULT 'new', "customer_id" uuid NOT NULL, "token" uuid NOT NULL DEFAULT gen_random_uuid(), CONSTRAINT "PK_orders" PRIMARY KEY ("id"))`,
    `CREATE INDEX "IDX_orders_customer" ON "orders" ("customer_id") `,
    `ALTER TABLE "orders" ADD CONSTRAINT "FK_orders_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
  ],
  down: [
    `ALTER TABLE "orders" DROP CONSTRAINT "FK_orders_customer"`,
    `DROP INDEX "public"."IDX_orders_customer"`,
    `DROP TABLE "orders"`,
    `DROP TABLE "customers"`,
    `DROP TYPE "public"."orders_state_enum"`,
  ],
};

const rebuildStatus = (values: string): string[] => [
  `ALTER TYPE "public"."users_status_enum" RENAME TO "users_status_enum_old"`,
  `CREATE TYPE "public"."users_status_enum" AS ENUM(${values})`,
  `ALTER TABLE "users" ALTER COLUMN "status" DROP DEFAULT`,
  `ALTER TABLE "users" ALTER COLUMN "status" TYPE "public"."users_status_enum" USING "status"::"text"::"public"."users_status_enum"`,
  `ALTER TABLE "users" ALTER COLUMN "status" SET DEFAULT 'active'`,
  `DROP TYPE "public"."users_status_enum_old"`,
];

const USER_STATS_VIEW: FixtureMigration = {
  className: 'Stats1650000000000',
  up: [`CREATE MATERIALIZED VIEW user_stats AS SELECT status, count(*) FROM users GROUP BY status`],
};

const VISITS_TABLE: FixtureMigration = {
  className: 'Seen1650000000000',
  up: [`CREATE TABLE visits (seen_at timestamp)`],
};

const cases: Case[] = [
  // ── data loss ──────────────────────────────────────────────────────────────
  {
    name: 'drop column',
    migration: { up: [`ALTER TABLE "users" DROP COLUMN "bio"`] },
    expected: ['drop-column'],
  },
  {
    name: "TypeORM's drop-and-add column type change",
    migration: {
      up: [
        `ALTER TABLE "users" DROP COLUMN "full_name"`,
        `ALTER TABLE "users" ADD "full_name" character varying(100) NOT NULL`,
      ],
    },
    expected: ['add-column-not-null-without-default', 'drop-add-column', 'style-varchar-length'],
  },
  {
    name: 'drop and add of the same column in one ALTER TABLE',
    migration: { up: [`ALTER TABLE users DROP COLUMN age, ADD COLUMN age bigint`] },
    expected: ['drop-add-column'],
  },
  { name: 'drop table', migration: { up: [`DROP TABLE "posts"`] }, expected: ['drop-table'] },
  {
    name: 'rename column',
    migration: { up: [`ALTER TABLE "users" RENAME COLUMN "bio" TO "about"`] },
    expected: ['rename-column'],
  },
  {
    name: 'rename table',
    migration: { up: [`ALTER TABLE "posts" RENAME TO "articles"`] },
    expected: ['rename-table'],
  },
  {
    name: 'move table to another schema',
    migration: { up: [`ALTER TABLE "posts" SET SCHEMA "audit"`] },
    expected: ['rename-table'],
  },
  {
    name: 'drop type',
    migration: { up: [`DROP TYPE "public"."users_status_enum"`] },
    expected: ['drop-type'],
  },
  {
    name: 'drop schema',
    migration: { up: [`DROP SCHEMA "audit" CASCADE`] },
    expected: ['drop-schema'],
  },
  {
    name: 'two statements in one query string are both checked',
    migration: { up: [`ALTER TABLE users DROP COLUMN bio; ALTER TABLE users DROP COLUMN age;`] },
    expected: ['drop-column', 'drop-column'],
  },
  {
    name: 'concatenated string literals are static SQL',
    migration: {
      up: [{ ts: `await queryRunner.query('ALTER TABLE "users" ' + "DROP COLUMN " + \`"bio"\`);` }],
    },
    expected: ['drop-column'],
  },
  // ── type changes ───────────────────────────────────────────────────────────
  {
    name: 'varchar shrink',
    migration: { up: [`ALTER TABLE "users" ALTER COLUMN "email" TYPE character varying(100)`] },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'varchar to integer',
    migration: {
      up: [`ALTER TABLE "users" ALTER COLUMN "full_name" TYPE integer USING full_name::integer`],
    },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'numeric precision down',
    migration: { up: [`ALTER TABLE "users" ALTER COLUMN "balance" TYPE numeric(8,2)`] },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'numeric scale change',
    migration: { up: [`ALTER TABLE "users" ALTER COLUMN "balance" TYPE numeric(12,4)`] },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'int to bigint',
    migration: { up: [`ALTER TABLE "users" ALTER COLUMN "age" TYPE bigint`] },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'unknown previous type fails closed',
    migration: { up: [`ALTER TABLE "legacy" ALTER COLUMN "note" TYPE text`] },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'safe: varchar longer',
    migration: { up: [`ALTER TABLE "users" ALTER COLUMN "full_name" TYPE character varying(100)`] },
    expected: [],
  },
  {
    name: 'safe: varchar to text',
    migration: { up: [`ALTER TABLE "users" ALTER COLUMN "email" TYPE text`] },
    expected: [],
  },
  {
    name: 'safe: varchar without length',
    migration: { up: [`ALTER TABLE "users" ALTER COLUMN "email" TYPE character varying`] },
    expected: [],
  },
  {
    name: 'safe: numeric precision up at the same scale',
    migration: { up: [`ALTER TABLE "users" ALTER COLUMN "balance" TYPE numeric(14,2)`] },
    expected: [],
  },
  {
    name: 'safe: text to unbounded varchar',
    migration: { up: [`ALTER TABLE "users" ALTER COLUMN "bio" TYPE varchar`] },
    expected: [],
  },
  {
    name: 'varchar widening on a column with a CHECK (re-validated by a scan)',
    history: [
      EXISTING_SCHEMA,
      {
        className: 'Check1650000000000',
        up: [
          `ALTER TABLE users ADD CONSTRAINT full_name_not_blank CHECK (full_name <> '') NOT VALID`,
        ],
      },
    ],
    migration: { up: [`ALTER TABLE users ALTER COLUMN full_name TYPE varchar(100)`] },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'safe: varchar widening and varchar to text on indexed columns (indexes kept)',
    migration: {
      up: [
        `ALTER TABLE posts ALTER COLUMN title TYPE varchar(200)`,
        `ALTER TABLE posts ALTER COLUMN title TYPE text`,
      ],
    },
    expected: [],
  },
  {
    name: 'safe: binary-coercible casts from pg_cast (cidr to inet, xml to text)',
    history: [
      EXISTING_SCHEMA,
      { className: 'Net1650000000000', up: [`CREATE TABLE hosts (net cidr, doc xml)`] },
    ],
    migration: {
      up: [
        `ALTER TABLE hosts ALTER COLUMN net TYPE inet`,
        `ALTER TABLE hosts ALTER COLUMN doc TYPE text`,
      ],
    },
    expected: [],
  },
  {
    name: 'char(n) to text is not binary coercible (rewrites)',
    history: [
      EXISTING_SCHEMA,
      { className: 'Code1650000000000', up: [`CREATE TABLE codes (code char(5))`] },
    ],
    migration: { up: [`ALTER TABLE codes ALTER COLUMN code TYPE text`] },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'timestamp to timestamptz without a UTC session (warn)',
    history: [EXISTING_SCHEMA, VISITS_TABLE],
    migration: { up: [`ALTER TABLE visits ALTER COLUMN seen_at TYPE timestamptz`] },
    expected: ['type-change-needs-utc-session'],
  },
  {
    name: "safe: timestamp to timestamptz after SET LOCAL TIME ZONE 'UTC'",
    history: [EXISTING_SCHEMA, VISITS_TABLE],
    migration: {
      up: [
        `SET LOCAL TIME ZONE 'UTC'`,
        `ALTER TABLE visits ALTER COLUMN seen_at TYPE timestamp with time zone`,
      ],
    },
    expected: [],
  },
  {
    name: 'timestamp to timestamptz in UTC still rebuilds the column index',
    history: [
      EXISTING_SCHEMA,
      {
        className: 'Seen1650000000000',
        up: [
          `CREATE TABLE visits (seen_at timestamp)`,
          `CREATE INDEX idx_visits_seen ON visits (seen_at)`,
        ],
      },
    ],
    migration: {
      up: [
        `SET LOCAL timezone = 'UTC'`,
        `ALTER TABLE visits ALTER COLUMN seen_at TYPE timestamptz`,
      ],
    },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'timestamp to timestamptz in a session set to a zone other than UTC (rewrite)',
    history: [EXISTING_SCHEMA, VISITS_TABLE],
    migration: {
      up: [
        `SET LOCAL TIME ZONE 'Europe/Paris'`,
        `ALTER TABLE visits ALTER COLUMN seen_at TYPE timestamptz`,
      ],
    },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'same type with a USING expression rewrites every row',
    migration: {
      up: [
        `ALTER TABLE "users" ALTER COLUMN "age" TYPE integer USING "age" + 1`,
        `ALTER TABLE "users" ALTER COLUMN "email" TYPE character varying(255) USING lower("email")`,
      ],
    },
    expected: ['unsafe-type-change', 'unsafe-type-change'],
  },
  {
    name: 'safe: USING the column itself, or the column cast to the new type',
    migration: {
      up: [
        `ALTER TABLE "users" ALTER COLUMN "email" TYPE character varying(300) USING "email"`,
        `ALTER TABLE "users" ALTER COLUMN "bio" TYPE character varying USING "bio"::character varying`,
      ],
    },
    expected: [],
  },
  {
    name: 'COLLATE on an indexed column rebuilds its index',
    migration: {
      up: [`ALTER TABLE "posts" ALTER COLUMN "title" TYPE character varying(100) COLLATE "C"`],
    },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'safe: COLLATE on a column without an index',
    migration: { up: [`ALTER TABLE "users" ALTER COLUMN "bio" TYPE text COLLATE "C"`] },
    expected: [],
  },
  {
    name: 'binary-coercible cast to a type of another operator family rebuilds the index (int to oid)',
    history: [
      EXISTING_SCHEMA,
      {
        className: 'Refs1650000000000',
        up: [`CREATE TABLE refs (n integer, m integer)`, `CREATE INDEX idx_refs_n ON refs (n)`],
      },
    ],
    migration: { up: [`ALTER TABLE refs ALTER COLUMN n TYPE oid`] },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'safe: the same binary-coercible cast on a column without an index',
    history: [
      EXISTING_SCHEMA,
      {
        className: 'Refs1650000000000',
        up: [`CREATE TABLE refs (n integer, m integer)`, `CREATE INDEX idx_refs_n ON refs (n)`],
      },
    ],
    migration: { up: [`ALTER TABLE refs ALTER COLUMN m TYPE oid`] },
    expected: [],
  },
  {
    name: 'type change follows an earlier widening in the catalog',
    history: [
      EXISTING_SCHEMA,
      {
        className: 'Widen1650000000000',
        up: [`ALTER TABLE users ALTER COLUMN full_name TYPE varchar(200)`],
      },
    ],
    migration: { up: [`ALTER TABLE users ALTER COLUMN full_name TYPE varchar(150)`] },
    expected: ['unsafe-type-change'],
  },
  // ── enums ──────────────────────────────────────────────────────────────────
  {
    name: 'enum rebuild that removes a value',
    migration: { up: rebuildStatus(`'active'`) },
    expected: ['enum-value-removed'],
  },
  {
    name: 'enum rebuild that only adds a value',
    migration: { up: rebuildStatus(`'active', 'disabled', 'banned'`) },
    expected: ['enum-rebuild'],
  },
  {
    name: 'enum rebuild that only adds a value, on the column of a lower-case migration',
    migration: {
      up: [
        `alter type users_status_enum rename to users_status_enum_old`,
        `create type users_status_enum as enum ('active', 'disabled', 'banned')`,
        `alter table users alter column status drop default`,
        `alter table users alter column status type users_status_enum using status::text::users_status_enum`,
        `drop type users_status_enum_old`,
      ],
    },
    expected: ['enum-rebuild'],
  },
  {
    name: 'down() of an ADD VALUE migration rebuilds the enum without the value',
    migration: {
      up: [`ALTER TYPE "public"."users_status_enum" ADD VALUE 'banned'`],
      down: [
        `CREATE TYPE "public"."users_status_enum_old" AS ENUM('active', 'disabled')`,
        `ALTER TABLE "users" ALTER COLUMN "status" DROP DEFAULT`,
        `ALTER TABLE "users" ALTER COLUMN "status" TYPE "public"."users_status_enum_old" USING "status"::"text"::"public"."users_status_enum_old"`,
        `ALTER TABLE "users" ALTER COLUMN "status" SET DEFAULT 'active'`,
        `DROP TYPE "public"."users_status_enum"`,
        `ALTER TYPE "public"."users_status_enum_old" RENAME TO "users_status_enum"`,
      ],
    },
    expected: ['enum-value-removed'],
  },
  {
    name: 'enum value rename',
    migration: {
      up: [`ALTER TYPE "public"."users_status_enum" RENAME VALUE 'disabled' TO 'blocked'`],
    },
    expected: ['enum-value-renamed'],
  },
  {
    name: 'safe: ALTER TYPE ... ADD VALUE',
    migration: { up: [`ALTER TYPE "public"."users_status_enum" ADD VALUE IF NOT EXISTS 'banned'`] },
    expected: [],
  },
  // ── columns: NOT NULL and defaults ──────────────────────────────────────────
  {
    name: 'SET NOT NULL without a validated check',
    migration: { up: [`ALTER TABLE "users" ALTER COLUMN "full_name" SET NOT NULL`] },
    expected: ['set-not-null'],
  },
  {
    name: 'safe: SET NOT NULL after a CHECK validated in an earlier migration',
    history: [
      EXISTING_SCHEMA,
      {
        className: 'AddCheck1650000000000',
        up: [
          `ALTER TABLE users ADD CONSTRAINT users_full_name_nn CHECK (full_name IS NOT NULL) NOT VALID`,
        ],
      },
      {
        className: 'Validate1660000000000',
        up: [`ALTER TABLE users VALIDATE CONSTRAINT users_full_name_nn`],
      },
    ],
    migration: {
      up: [
        `ALTER TABLE users ALTER COLUMN full_name SET NOT NULL`,
        `ALTER TABLE users DROP CONSTRAINT users_full_name_nn`,
      ],
    },
    expected: [],
  },
  {
    name: 'SET NOT NULL when the check was never validated',
    history: [
      EXISTING_SCHEMA,
      {
        className: 'AddCheck1650000000000',
        up: [
          `ALTER TABLE users ADD CONSTRAINT users_full_name_nn CHECK (full_name IS NOT NULL) NOT VALID`,
        ],
      },
    ],
    migration: { up: [`ALTER TABLE users ALTER COLUMN full_name SET NOT NULL`] },
    expected: ['set-not-null'],
  },
  {
    name: 'ADD COLUMN NOT NULL without default',
    migration: { up: [`ALTER TABLE "users" ADD "nickname" character varying NOT NULL`] },
    expected: ['add-column-not-null-without-default'],
  },
  {
    name: 'ADD COLUMN with a volatile default',
    migration: { up: [`ALTER TABLE "users" ADD "token" uuid NOT NULL DEFAULT gen_random_uuid()`] },
    expected: ['volatile-default'],
  },
  {
    name: 'ADD COLUMN with random() inside an expression',
    migration: { up: [`ALTER TABLE users ADD COLUMN score int DEFAULT (random() * 100)::int`] },
    expected: ['volatile-default'],
  },
  {
    name: 'ADD COLUMN bigserial',
    migration: { up: [`ALTER TABLE "users" ADD "seq" bigserial`] },
    expected: ['volatile-default'],
  },
  {
    name: 'safe: ADD COLUMN nullable, NOT NULL with constant default, default now()',
    migration: {
      up: [
        `ALTER TABLE "users" ADD "nickname" character varying`,
        `ALTER TABLE "users" ADD "flags" integer NOT NULL DEFAULT '0'`,
        `ALTER TABLE "users" ADD "seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
        `ALTER TABLE "users" ADD "touched_at" timestamptz DEFAULT CURRENT_TIMESTAMP`,
      ],
    },
    expected: [],
  },
  // ── indexes ────────────────────────────────────────────────────────────────
  {
    name: 'CREATE INDEX on an existing table',
    migration: { up: [`CREATE INDEX "IDX_users_email" ON "users" ("email")`] },
    expected: ['create-index-non-concurrent'],
  },
  {
    name: 'CREATE INDEX CONCURRENTLY in a transactional migration',
    migration: { up: [`CREATE INDEX CONCURRENTLY "IDX_users_email" ON "users" ("email")`] },
    expected: ['concurrently-in-transaction'],
  },
  {
    name: 'safe: CREATE INDEX CONCURRENTLY with transaction = false; down() drops it plainly',
    migration: {
      transaction: false,
      up: [
        SESSION_LOCK_TIMEOUT,
        `DROP INDEX CONCURRENTLY IF EXISTS "IDX_users_email"`,
        `CREATE UNIQUE INDEX CONCURRENTLY "IDX_users_email" ON "users" ("email")`,
      ],
      down: [`DROP INDEX "public"."IDX_users_email"`],
    },
    lockTimeout: false,
    expected: [],
  },
  {
    name: 'DROP INDEX CONCURRENTLY in down() (TypeORM reverts inside a transaction)',
    migration: {
      transaction: false,
      up: [SESSION_LOCK_TIMEOUT, `DROP INDEX CONCURRENTLY "IDX_posts_title"`],
      down: [`CREATE INDEX CONCURRENTLY "IDX_posts_title" ON "posts" ("title")`],
    },
    expected: ['concurrently-in-transaction'],
  },
  {
    name: 'two CONCURRENTLY statements in one query string',
    migration: {
      transaction: false,
      up: [
        SESSION_LOCK_TIMEOUT,
        `CREATE INDEX CONCURRENTLY a ON users (email); CREATE INDEX CONCURRENTLY b ON users (age)`,
      ],
    },
    lockTimeout: false,
    expected: ['concurrently-in-transaction', 'concurrently-in-transaction'],
  },
  {
    name: 'DROP INDEX on an existing table',
    migration: { up: [`DROP INDEX "public"."IDX_posts_title"`] },
    expected: ['drop-index-non-concurrent'],
  },
  // ── maintenance commands that rewrite or lock a whole table ──────────────
  {
    name: 'VACUUM FULL, CLUSTER and REINDEX TABLE of existing tables',
    migration: {
      transaction: false,
      up: [
        SESSION_LOCK_TIMEOUT,
        `VACUUM (FULL, ANALYZE) users`,
        `CLUSTER posts USING "PK_posts"`,
        `REINDEX TABLE users`,
      ],
    },
    lockTimeout: false,
    expected: [
      'whole-table-rewrite-command',
      'whole-table-rewrite-command',
      'whole-table-rewrite-command',
    ],
  },
  {
    name: 'safe: plain VACUUM ANALYZE and REINDEX INDEX CONCURRENTLY without a transaction',
    migration: {
      transaction: false,
      up: [
        SESSION_LOCK_TIMEOUT,
        `VACUUM ANALYZE users`,
        `REINDEX INDEX CONCURRENTLY "IDX_posts_title"`,
      ],
    },
    lockTimeout: false,
    expected: [],
  },
  {
    name: 'REINDEX INDEX without CONCURRENTLY',
    migration: { up: [`REINDEX INDEX "IDX_posts_title"`] },
    expected: ['whole-table-rewrite-command'],
  },
  {
    name: 'ALTER TABLE SET UNLOGGED, SET TABLESPACE, SET ACCESS METHOD (not heap) rewrite the table',
    migration: {
      up: [
        `ALTER TABLE users SET UNLOGGED`,
        `ALTER TABLE posts SET TABLESPACE fast_ssd`,
        `ALTER TABLE audit.events SET ACCESS METHOD columnar`,
      ],
    },
    expected: [
      'whole-table-rewrite-command',
      'whole-table-rewrite-command',
      'whole-table-rewrite-command',
    ],
  },
  {
    name: 'safe: SET STORAGE, storage parameters and SET ACCESS METHOD heap only change the catalog',
    migration: {
      up: [
        `ALTER TABLE users ALTER COLUMN bio SET STORAGE EXTERNAL`,
        `ALTER TABLE users SET (fillfactor = 80)`,
        `ALTER TABLE audit.events SET ACCESS METHOD heap`,
      ],
    },
    expected: [],
  },
  {
    name: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY',
    history: [EXISTING_SCHEMA, USER_STATS_VIEW],
    migration: { up: [`REFRESH MATERIALIZED VIEW user_stats`] },
    expected: ['whole-table-rewrite-command'],
  },
  {
    name: 'safe: CREATE INDEX on a materialized view (its SHARE lock only holds off REFRESH)',
    history: [EXISTING_SCHEMA, USER_STATS_VIEW],
    migration: { up: [`CREATE INDEX idx_user_stats_count ON user_stats (count)`] },
    expected: [],
  },
  {
    name: 'safe: REFRESH CONCURRENTLY, and a plain REFRESH of a view created by the same migration',
    history: [EXISTING_SCHEMA, USER_STATS_VIEW],
    migration: {
      up: [
        `REFRESH MATERIALIZED VIEW CONCURRENTLY user_stats`,
        `CREATE MATERIALIZED VIEW post_titles AS SELECT title FROM posts WITH NO DATA`,
        `REFRESH MATERIALIZED VIEW post_titles`,
      ],
    },
    expected: [],
  },
  // ── constraints ────────────────────────────────────────────────────────────
  {
    name: 'FOREIGN KEY without NOT VALID',
    migration: {
      up: [
        `ALTER TABLE "posts" ADD CONSTRAINT "FK_posts_user" FOREIGN KEY ("user_id") REFERENCES "users"("id")`,
      ],
    },
    expected: ['constraint-not-valid'],
  },
  {
    name: 'CHECK without NOT VALID',
    migration: { up: [`ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age > 0)`] },
    expected: ['constraint-not-valid'],
  },
  {
    name: 'safe: FOREIGN KEY NOT VALID on an existing table',
    migration: {
      up: [
        `ALTER TABLE "posts" ADD CONSTRAINT "FK_posts_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") NOT VALID`,
      ],
    },
    expected: [],
  },
  {
    name: 'NOT VALID and VALIDATE in the same migration',
    migration: {
      up: [
        `ALTER TABLE posts ADD CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID`,
        `ALTER TABLE posts VALIDATE CONSTRAINT fk_posts_user`,
      ],
    },
    expected: ['not-valid-and-validate-same-migration'],
  },
  {
    name: 'safe: VALIDATE CONSTRAINT in a later migration',
    history: [
      EXISTING_SCHEMA,
      {
        className: 'AddFk1650000000000',
        up: [
          `ALTER TABLE posts ADD CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID`,
        ],
      },
    ],
    migration: { up: [`ALTER TABLE posts VALIDATE CONSTRAINT fk_posts_user`] },
    expected: [],
  },
  {
    name: 'ADD UNIQUE on an existing table',
    migration: { up: [`ALTER TABLE "users" ADD CONSTRAINT "UQ_users_email" UNIQUE ("email")`] },
    expected: ['unique-constraint-existing-table'],
  },
  {
    name: 'safe: ADD UNIQUE USING INDEX',
    migration: {
      up: [`ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX idx_users_email`],
    },
    expected: [],
  },
  {
    name: 'safe: NOT VALID and VALIDATE in one transaction-less migration (each statement commits)',
    migration: {
      transaction: false,
      up: [
        SESSION_LOCK_TIMEOUT,
        `ALTER TABLE posts ADD CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID`,
        `ALTER TABLE posts VALIDATE CONSTRAINT fk_posts_user`,
      ],
    },
    lockTimeout: false,
    expected: [],
  },
  // ── ADD COLUMN followed by a backfill in the same transaction ─────────────
  {
    name: 'ADD COLUMN then UPDATE of every row in the same transaction',
    migration: {
      up: [`ALTER TABLE users ADD COLUMN nickname text`, `UPDATE users SET nickname = full_name`],
    },
    expected: ['add-column-then-backfill'],
  },
  {
    name: 'ADD COLUMN then UPDATE ... WHERE <new column> IS NULL (still every row)',
    migration: {
      up: [
        `ALTER TABLE "users" ADD "nickname" character varying`,
        `UPDATE "users" SET "nickname" = "full_name" WHERE "nickname" IS NULL`,
      ],
    },
    expected: ['add-column-then-backfill'],
  },
  {
    name: 'safe: ADD COLUMN then an UPDATE limited by an existing column',
    migration: {
      up: [
        `ALTER TABLE users ADD COLUMN nickname text`,
        `UPDATE users SET nickname = 'admin' WHERE email = 'admin@example.com'`,
      ],
    },
    expected: [],
  },
  {
    name: 'safe: backfill in a later migration (only the usual UPDATE-without-WHERE advice)',
    history: [
      EXISTING_SCHEMA,
      { className: 'AddNickname1650000000000', up: [`ALTER TABLE users ADD COLUMN nickname text`] },
    ],
    migration: { up: [`UPDATE users SET nickname = full_name`] },
    expected: ['update-without-where'],
  },
  {
    name: 'safe: UPDATE of a table created in the same migration',
    migration: {
      up: [
        `CREATE TABLE notes (id bigint, body text)`,
        `ALTER TABLE notes ADD COLUMN title text`,
        `UPDATE notes SET title = body`,
      ],
    },
    expected: [],
  },
  // ── data statements ────────────────────────────────────────────────────────
  { name: 'TRUNCATE', migration: { up: [`TRUNCATE "posts"`] }, expected: ['truncate'] },
  {
    name: 'DELETE without WHERE',
    migration: { up: [`DELETE FROM "posts"`] },
    expected: ['delete-without-where'],
  },
  {
    name: 'DELETE without WHERE in a data-modifying CTE',
    migration: { up: [`WITH gone AS (DELETE FROM posts RETURNING id) SELECT count(*) FROM gone`] },
    expected: ['delete-without-where'],
  },
  {
    name: 'UPDATE without WHERE',
    migration: { up: [`UPDATE "users" SET "bio" = ''`] },
    expected: ['update-without-where'],
  },
  {
    name: 'safe: DELETE and UPDATE with WHERE',
    migration: {
      up: [`DELETE FROM posts WHERE title = ''`, `UPDATE users SET bio = NULL WHERE bio = ''`],
    },
    expected: [],
  },
  // ── lock_timeout ───────────────────────────────────────────────────────────
  {
    name: 'locking DDL before SET lock_timeout (reported once per phase)',
    migration: {
      up: [
        `ALTER TABLE "users" ADD "nickname" character varying`,
        `ALTER TABLE "users" ADD "x" integer`,
      ],
    },
    lockTimeout: false,
    expected: ['missing-lock-timeout'],
  },
  {
    name: 'SET LOCAL lock_timeout has no effect without a transaction',
    migration: {
      transaction: false,
      up: [LOCK_TIMEOUT, `ALTER TABLE "users" ADD "nickname" character varying`],
    },
    lockTimeout: false,
    expected: ['missing-lock-timeout'],
  },
  {
    name: 'safe: SET lock_timeout first, in lower case',
    migration: { up: [`set lock_timeout to '3s'`, `alter table users add column nickname text`] },
    lockTimeout: false,
    expected: [],
  },
  // ── objects created by the same migration ──────────────────────────────────
  {
    name: 'safe: new table with index, FK, NOT NULL column and default, all in one migration (style advice on its serial key)',
    migration: {
      up: [
        `CREATE TABLE "comments" ("id" SERIAL NOT NULL, "post_id" integer NOT NULL, "body" text NOT NULL, CONSTRAINT "PK_comments" PRIMARY KEY ("id"))`,
        `CREATE INDEX "IDX_comments_post" ON "comments" ("post_id")`,
        `ALTER TABLE "comments" ADD "token" uuid NOT NULL DEFAULT gen_random_uuid()`,
        `ALTER TABLE "comments" ADD "rating" integer NOT NULL`,
        `ALTER TABLE "comments" ADD CONSTRAINT "UQ_comments_token" UNIQUE ("token")`,
        `ALTER TABLE "comments" ALTER COLUMN "body" TYPE character varying(10)`,
        `ALTER TABLE "comments" ADD CONSTRAINT "FK_comments_post" FOREIGN KEY ("post_id") REFERENCES "posts"("id")`,
      ],
      down: [
        `ALTER TABLE "comments" DROP CONSTRAINT "FK_comments_post"`,
        `DROP INDEX "public"."IDX_comments_post"`,
        `DROP TABLE "comments"`,
      ],
    },
    expected: ['style-int-key'],
  },
  {
    name: 'safe: generated initial migration whose down() drops everything it created (style advice on its serial key)',
    history: [],
    migration: INITIAL_MIGRATION,
    lockTimeout: false,
    expected: ['style-int-key'],
  },
  {
    name: 'safe: down() drops the column and type that up() added',
    migration: {
      up: [
        `CREATE TYPE "public"."users_tier_enum" AS ENUM('free', 'pro')`,
        `ALTER TABLE "users" ADD "tier" "public"."users_tier_enum"`,
      ],
      down: [`ALTER TABLE "users" DROP COLUMN "tier"`, `DROP TYPE "public"."users_tier_enum"`],
    },
    expected: [],
  },
  {
    name: 'down() that drops a pre-existing column is still data loss',
    migration: {
      up: [`ALTER TABLE "users" ADD "nickname" character varying`],
      down: [`ALTER TABLE "users" DROP COLUMN "bio"`],
    },
    expected: ['drop-column'],
  },
  {
    name: 'a new table with a foreign key locks the existing table it references',
    migration: {
      up: [`CREATE TABLE likes (user_id uuid REFERENCES users (id))`],
    },
    lockTimeout: false,
    expected: ['missing-lock-timeout'],
  },
  // ── strings, comments and dollar quotes are not statements ─────────────────
  {
    name: 'safe: DROP TABLE inside a string literal',
    migration: {
      up: [
        `CREATE TABLE notes (body text)`,
        `INSERT INTO notes(body) VALUES ('DROP TABLE users')`,
        `INSERT INTO posts(title) VALUES ('DELETE FROM users; TRUNCATE users')`,
      ],
    },
    expected: [],
  },
  {
    name: 'safe: DROP COLUMN in a SQL comment',
    migration: {
      up: [`-- ALTER TABLE users DROP COLUMN bio\nSELECT 1 /* DROP TABLE users */`],
    },
    expected: [],
  },
  {
    name: 'safe: COMMENT ON COLUMN mentioning drop column',
    migration: {
      up: [`COMMENT ON COLUMN "users"."bio" IS 'drop column after 2.3; DROP TABLE users'`],
    },
    expected: [],
  },
  {
    name: 'safe: dollar-quoted function body containing DELETE FROM',
    migration: {
      up: [
        `CREATE OR REPLACE FUNCTION purge_posts() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN DELETE FROM posts; TRUNCATE users; RETURN NULL; END $fn$`,
      ],
      down: [`DROP FUNCTION purge_posts()`],
    },
    expected: [],
  },
  // ── identifiers ────────────────────────────────────────────────────────────
  {
    name: 'lower-case unquoted SQL is checked like quoted TypeORM output',
    migration: {
      up: [
        `alter table users alter column email type varchar(20)`,
        `create index idx_users_age on users (age)`,
        `alter table public.users drop column bio`,
      ],
    },
    expected: ['create-index-non-concurrent', 'drop-column', 'unsafe-type-change'],
  },
  {
    name: 'safe: quoted mixed-case identifiers keep their case',
    migration: { up: [`ALTER TABLE "Accounts" ALTER COLUMN "Name" TYPE varchar(20)`] },
    expected: [],
  },
  {
    name: 'unquoted identifiers fold to lower case (a different, unknown table)',
    migration: { up: [`ALTER TABLE Accounts ALTER COLUMN Name TYPE varchar(20)`] },
    expected: ['unsafe-type-change'],
  },
  {
    name: 'schema-qualified tables are distinct',
    migration: { up: [`DROP TABLE audit.events`, `DROP TABLE IF EXISTS public.events`] },
    expected: ['drop-table', 'drop-table'],
  },
  // ── what the guard cannot read ─────────────────────────────────────────────
  {
    name: 'unparseable SQL',
    migration: { up: [`ALTER TABLE users DROPP COLUMN bio`] },
    expected: ['unparseable-sql'],
  },
  {
    name: 'template literal with a substitution',
    migration: {
      up: [
        { ts: 'const table = "users";' },
        { ts: 'await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN bio`);' },
      ],
    },
    expected: ['dynamic-sql'],
  },
  {
    name: 'SQL in a variable',
    migration: {
      up: [{ ts: 'const sql = "DROP TABLE users";' }, { ts: 'await queryRunner.query(sql);' }],
    },
    expected: ['dynamic-sql'],
  },
  {
    name: 'SQL from a function call',
    migration: { up: [{ ts: 'await queryRunner.query(["DROP", "TABLE users"].join(" "));' }] },
    expected: ['dynamic-sql'],
  },
  {
    name: 'queryRunner.manager and passing the queryRunner on',
    migration: {
      up: [
        { ts: 'await queryRunner.manager.query("DELETE FROM users");' },
        { ts: 'await backfill(queryRunner);' },
      ],
    },
    expected: ['dynamic-sql', 'dynamic-sql'],
  },
  {
    name: 'DO block',
    migration: { up: [`DO $$ BEGIN EXECUTE 'DROP TABLE users'; END $$`] },
    expected: ['dynamic-sql'],
  },
  {
    name: 'queryRunner.dropColumn and changeColumn',
    migration: {
      up: [
        { ts: 'await queryRunner.dropColumn("users", "bio");' },
        { ts: 'await queryRunner.changeColumn("users", "email", newColumn);' },
      ],
    },
    expected: ['queryrunner-schema-call', 'queryrunner-schema-call'],
  },
  {
    name: 'safe: transaction control and introspection calls',
    migration: {
      transaction: false,
      up: [
        { ts: 'if (await queryRunner.hasColumn("users", "bio")) {' },
        { ts: '  await queryRunner.startTransaction();' },
        `SET lock_timeout = '5s'`,
        `ALTER TABLE users ADD COLUMN nickname text`,
        { ts: '  await queryRunner.commitTransaction();' },
        { ts: '}' },
      ],
    },
    lockTimeout: false,
    expected: [],
  },
  // ── acknowledgements ───────────────────────────────────────────────────────
  {
    name: 'acknowledgement with a reason on the line above',
    migration: {
      up: [
        { ts: '// migration-guard allow drop-column: unused since 2.3' },
        `ALTER TABLE "users" DROP COLUMN "bio"`,
      ],
    },
    expected: [],
    acknowledged: ['drop-column'],
  },
  {
    name: 'acknowledgement on the same line, two rules',
    migration: {
      up: [
        {
          ts: 'await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "full_name"`); // migration-guard allow drop-add-column, add-column-not-null-without-default: table is empty in every environment',
        },
        {
          ts: 'await queryRunner.query(`ALTER TABLE "users" ADD "full_name" character varying(100) NOT NULL`); // migration-guard allow add-column-not-null-without-default: table is empty in every environment',
        },
      ],
    },
    expected: ['ack-unused', 'style-varchar-length'],
    acknowledged: ['add-column-not-null-without-default', 'drop-add-column'],
  },
  {
    name: 'LOCK TABLE that blocks writes to an existing table',
    migration: { up: [`LOCK TABLE "users" IN ACCESS EXCLUSIVE MODE`, `LOCK "posts"`] },
    expected: ['lock-table', 'lock-table'],
  },
  {
    name: 'safe: LOCK TABLE in ROW EXCLUSIVE mode, or of a table this migration creates',
    migration: {
      up: [
        `LOCK TABLE "users" IN ROW EXCLUSIVE MODE`,
        `CREATE TABLE "drafts" ("id" bigint NOT NULL, CONSTRAINT "PK_drafts" PRIMARY KEY ("id"))`,
        `LOCK TABLE "drafts" IN ACCESS EXCLUSIVE MODE`,
      ],
    },
    expected: [],
  },
  {
    name: 'ATTACH PARTITION of an existing table scans it under ACCESS EXCLUSIVE',
    migration: {
      up: [
        `CREATE TABLE "events_by_day" ("id" bigint NOT NULL, "day" date NOT NULL) PARTITION BY RANGE ("day")`,
        `ALTER TABLE "events_by_day" ATTACH PARTITION "audit"."events" FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')`,
      ],
    },
    expected: ['attach-partition-scan'],
  },
  {
    name: 'safe: ATTACH PARTITION of a table this migration creates',
    migration: {
      up: [
        `CREATE TABLE "events_by_day" ("id" bigint NOT NULL, "day" date NOT NULL) PARTITION BY RANGE ("day")`,
        `CREATE TABLE "events_2026" ("id" bigint NOT NULL, "day" date NOT NULL)`,
        `ALTER TABLE "events_by_day" ATTACH PARTITION "events_2026" FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')`,
      ],
    },
    expected: [],
  },
  {
    name: 'ALTER DOMAIN ADD CONSTRAINT on an existing domain checks every row using it',
    history: [
      EXISTING_SCHEMA,
      {
        className: 'Domain1650000000000',
        up: [`CREATE DOMAIN "public"."positive_int" AS integer`],
      },
    ],
    migration: {
      up: [`ALTER DOMAIN "public"."positive_int" ADD CONSTRAINT "positive" CHECK (VALUE > 0)`],
    },
    expected: ['domain-constraint-not-valid'],
  },
  {
    name: 'ALTER DOMAIN VALIDATE CONSTRAINT and SET NOT NULL scan under SHARE on existing tables',
    history: [
      EXISTING_SCHEMA,
      {
        className: 'Domain1650000000000',
        up: [
          `CREATE DOMAIN "public"."positive_int" AS integer`,
          `ALTER DOMAIN "public"."positive_int" ADD CONSTRAINT "positive" CHECK (VALUE > 0) NOT VALID`,
        ],
      },
    ],
    migration: {
      up: [
        `ALTER DOMAIN "public"."positive_int" VALIDATE CONSTRAINT "positive"`,
        `ALTER DOMAIN "public"."positive_int" SET NOT NULL`,
      ],
    },
    expected: ['domain-validating-scan', 'domain-validating-scan'],
  },
  {
    name: 'safe: VALIDATE and SET NOT NULL on a domain this migration creates; DROP NOT NULL',
    history: [
      EXISTING_SCHEMA,
      {
        className: 'Domain1650000000000',
        up: [`CREATE DOMAIN "public"."positive_int" AS integer NOT NULL`],
      },
    ],
    migration: {
      up: [
        `ALTER DOMAIN "public"."positive_int" DROP NOT NULL`,
        `CREATE DOMAIN "public"."short_code" AS text`,
        `ALTER DOMAIN "public"."short_code" ADD CONSTRAINT "short" CHECK (char_length(VALUE) <= 8) NOT VALID`,
        `ALTER DOMAIN "public"."short_code" VALIDATE CONSTRAINT "short"`,
        `ALTER DOMAIN "public"."short_code" SET NOT NULL`,
      ],
    },
    expected: [],
  },
  {
    name: 'safe: ALTER DOMAIN ADD CONSTRAINT ... NOT VALID, and a domain this migration creates',
    history: [
      EXISTING_SCHEMA,
      {
        className: 'Domain1650000000000',
        up: [`CREATE DOMAIN "public"."positive_int" AS integer`],
      },
    ],
    migration: {
      up: [
        `ALTER DOMAIN "public"."positive_int" ADD CONSTRAINT "positive" CHECK (VALUE > 0) NOT VALID`,
        `CREATE DOMAIN "public"."short_code" AS text`,
        `ALTER DOMAIN "public"."short_code" ADD CONSTRAINT "short" CHECK (char_length(VALUE) <= 8)`,
      ],
    },
    expected: [],
  },
  {
    name: 'style advice (never blocking): int key, timestamp without zone, varchar(n), json',
    migration: {
      up: [
        `CREATE TABLE "visits" ("id" integer NOT NULL, "at" TIMESTAMP NOT NULL, "code" character varying(20), "meta" json, CONSTRAINT "PK_visits" PRIMARY KEY ("id"))`,
        `ALTER TABLE "users" ADD "nickname" character(8)`,
      ],
    },
    expected: [
      'style-int-key',
      'style-json',
      'style-timestamp-without-zone',
      'style-varchar-length',
      'style-varchar-length',
    ],
  },
  {
    name: 'safe style: bigint identity key, timestamptz, text, varchar without length, jsonb',
    migration: {
      up: [
        `CREATE TABLE "visits" ("id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "code" text, "label" character varying, "meta" jsonb)`,
        `ALTER TABLE "users" ADD "nickname" text`,
      ],
    },
    expected: [],
  },
  {
    name: 'block-comment acknowledgement of dynamic SQL',
    migration: {
      up: [
        { ts: '/* migration-guard allow dynamic-sql: batch size only, reviewed */' },
        {
          ts: 'await queryRunner.query(`UPDATE users SET bio = NULL WHERE id IN (SELECT id FROM users LIMIT ${1000})`);',
        },
      ],
    },
    expected: [],
    acknowledged: ['dynamic-sql'],
  },
  {
    name: 'acknowledgement inside a multi-line (prettier-formatted) call',
    migration: {
      up: [
        { ts: 'await queryRunner.query(' },
        { ts: '  // migration-guard allow drop-table: replaced by archive.posts in 2.1' },
        { ts: '  `DROP TABLE "posts"`,' },
        { ts: ');' },
      ],
    },
    expected: [],
    acknowledged: ['drop-table'],
  },
  {
    name: 'acknowledgement without a reason does not unblock',
    migration: {
      up: [{ ts: '// migration-guard allow drop-column' }, `ALTER TABLE "users" DROP COLUMN "bio"`],
    },
    expected: ['ack-missing-reason', 'drop-column'],
  },
  {
    name: 'acknowledgement with an unknown rule id',
    migration: {
      up: [
        { ts: '// migration-guard allow drop-colum: typo' },
        `ALTER TABLE "users" DROP COLUMN "bio"`,
      ],
    },
    expected: ['ack-unknown-rule', 'drop-column'],
  },
  {
    name: 'acknowledgement two lines above does not apply',
    migration: {
      up: [
        { ts: '// migration-guard allow drop-column: unused since 2.3' },
        `SELECT 1`,
        `ALTER TABLE "users" DROP COLUMN "bio"`,
      ],
    },
    expected: ['ack-unused', 'drop-column'],
  },
  {
    name: 'safe: empty migration',
    migration: {},
    expected: [],
  },
];

async function lintCase(testCase: Case): Promise<Finding[]> {
  const history = testCase.history ?? [EXISTING_SCHEMA];
  const catalog: Catalog = await catalogFromSources(
    history.map((migration, index) => ({
      fileName: `migrations/${index}-history.ts`,
      sourceText: migrationSource(migration),
    })),
  );
  const withTimeout = (statements: FixtureLine[] | undefined): FixtureLine[] =>
    testCase.lockTimeout === false || !statements?.length
      ? (statements ?? [])
      : [LOCK_TIMEOUT, ...statements];
  const migration: FixtureMigration = {
    ...testCase.migration,
    up: withTimeout(testCase.migration.up),
    down: withTimeout(testCase.migration.down),
  };
  const report = await lintSource(
    'migrations/1700000000999-Case.ts',
    migrationSource(migration),
    catalog,
  );
  return report.findings;
}

const ruleIds = (findings: Finding[]): RuleId[] => findings.map((finding) => finding.rule).sort();

describe('migration-guard corpus', () => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (_name, testCase) => {
      const findings = await lintCase(testCase);
      expect(ruleIds(findings.filter((finding) => !finding.acknowledged))).toEqual(
        [...testCase.expected].sort(),
      );
      expect(ruleIds(findings.filter((finding) => finding.acknowledged))).toEqual(
        [...(testCase.acknowledged ?? [])].sort(),
      );
    },
  );

  it('has at least 45 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
  });

  it('flags a file without a migration class', async () => {
    const report = await lintSource(
      'migrations/notes.ts',
      'export const notes = "DROP TABLE users";',
    );
    expect(ruleIds(report.findings)).toEqual(['invalid-migration']);
  });
});
