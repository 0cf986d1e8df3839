import { catalogFromSources } from './lint.js';
import { migrationSource } from './migration.fixture.js';

const catalogOf = async (...up: string[]) =>
  catalogFromSources([
    { fileName: 'migrations/1-a.ts', sourceText: migrationSource({ up }) },
    // down() of earlier migrations never feeds the catalog.
    { fileName: 'migrations/2-b.ts', sourceText: migrationSource({ down: ['DROP TABLE users'] }) },
  ]);

describe('catalog replay', () => {
  it('records columns with type, modifiers, nullability and default', async () => {
    const catalog = await catalogOf(
      `CREATE TABLE "users" ("id" SERIAL NOT NULL, "name" character varying(50) NOT NULL DEFAULT '', "price" numeric(10,2), CONSTRAINT "PK" PRIMARY KEY ("id"))`,
    );
    expect(catalog.table('public.users')?.partial).toBe(false);
    expect(catalog.column('public.users', 'id')).toEqual({
      type: { name: 'int4', modifiers: [], arrayDimensions: 0 },
      notNull: true,
      hasDefault: true,
    });
    expect(catalog.column('public.users', 'name')).toEqual({
      type: { name: 'varchar', modifiers: [50], arrayDimensions: 0 },
      notNull: true,
      hasDefault: true,
    });
    expect(catalog.column('public.users', 'price')?.type.modifiers).toEqual([10, 2]);
  });

  it('folds unquoted identifiers and keeps quoted ones', async () => {
    const catalog = await catalogOf(
      `CREATE TABLE Shop.Items (Id int)`,
      `CREATE TABLE "Shop"."Items" ("Id" int)`,
    );
    expect(catalog.column('shop.items', 'id')).toBeDefined();
    expect(catalog.column('Shop.Items', 'Id')).toBeDefined();
    expect(catalog.column('shop.items', 'Id')).toBeUndefined();
  });

  it('follows enum changes and columns of a renamed enum type', async () => {
    const catalog = await catalogOf(
      `CREATE TYPE "public"."role_enum" AS ENUM('a', 'b')`,
      `CREATE TABLE t (role role_enum)`,
      `ALTER TYPE role_enum ADD VALUE 'c'`,
      `ALTER TYPE role_enum RENAME VALUE 'a' TO 'z'`,
      `ALTER TYPE role_enum RENAME TO role_enum_old`,
    );
    expect(catalog.enumValues('public.role_enum_old')).toEqual(['z', 'b', 'c']);
    expect(catalog.enumValues('public.role_enum')).toBeUndefined();
    expect(catalog.column('public.t', 'role')?.type.name).toBe('public.role_enum_old');
  });

  it('tracks renames, drops, type changes and validated NOT NULL checks', async () => {
    const catalog = await catalogOf(
      `CREATE TABLE a (x varchar(5), y int)`,
      `ALTER TABLE a RENAME COLUMN x TO x2`,
      `ALTER TABLE a ALTER COLUMN x2 TYPE text, DROP COLUMN y`,
      `ALTER TABLE a ADD CONSTRAINT x2_nn CHECK (x2 IS NOT NULL) NOT VALID`,
      `ALTER TABLE a RENAME TO b`,
    );
    expect(catalog.table('public.a')).toBeUndefined();
    expect(catalog.column('public.b', 'x2')?.type.name).toBe('text');
    expect(catalog.column('public.b', 'y')).toBeUndefined();
    expect(catalog.provesNotNull('public.b', 'x2')).toBe(false);
  });

  it('keeps what it learns about tables no migration created as partial', async () => {
    const catalog = await catalogOf(`ALTER TABLE legacy ADD COLUMN note text`);
    expect(catalog.table('public.legacy')?.partial).toBe(true);
    expect(catalog.column('public.legacy', 'note')?.type.name).toBe('text');
  });
});
