/** A SQL statement (becomes one `await queryRunner.query("...")` line) or a verbatim TypeScript line. */
export type FixtureLine = string | { ts: string };

export interface FixtureMigration {
  className?: string;
  up?: FixtureLine[];
  down?: FixtureLine[];
  /** Emits `public transaction = false` when false. */
  transaction?: boolean;
}

/**
 * TypeORM migration source text for tests and tools; `{ ts }` lines let a test place
 * acknowledgement comments, dynamic SQL and other QueryRunner calls exactly.
 */
export function migrationSource({
  className = 'Fixture1700000000000',
  up = [],
  down = [],
  transaction,
}: FixtureMigration): string {
  const body = (lines: FixtureLine[]): string =>
    lines.map((line) => `    ${typeof line === 'string' ? queryLine(line) : line.ts}`).join('\n');
  return [
    "import { MigrationInterface, QueryRunner } from 'typeorm';",
    '',
    `export class ${className} implements MigrationInterface {`,
    `  name = '${className}';`,
    ...(transaction === false ? ['  public transaction = false;'] : []),
    '',
    '  public async up(queryRunner: QueryRunner): Promise<void> {',
    body(up),
    '  }',
    '',
    '  public async down(queryRunner: QueryRunner): Promise<void> {',
    body(down),
    '  }',
    '}',
    '',
  ].join('\n');
}

function queryLine(sql: string): string {
  return `await queryRunner.query(${JSON.stringify(sql)});`;
}
