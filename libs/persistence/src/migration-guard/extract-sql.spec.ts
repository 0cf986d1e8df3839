import { extractMigration } from './extract-sql.js';

const source = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddIndex1700000000000 implements MigrationInterface {
  public transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      \`CREATE INDEX CONCURRENTLY "IDX_a" ON "users" ("email")\`,
    );
    await queryRunner.query('SELECT ' + '1', []);
    await queryRunner.createIndex('users', index);
  }

  public async down(runner: QueryRunner): Promise<void> {
    await runner.query(\`DROP INDEX "IDX_a"\`); // trailing comment
  }
}
`;

describe('extractMigration', () => {
  const extracted = extractMigration('migrations/x.ts', source);

  it('reads static SQL of up() and down() with the line of each call', () => {
    expect(extracted.queries.up).toEqual([
      { line: 7, sql: 'CREATE INDEX CONCURRENTLY "IDX_a" ON "users" ("email")' },
      { line: 10, sql: 'SELECT 1' },
    ]);
    expect(extracted.queries.down).toEqual([{ line: 15, sql: 'DROP INDEX "IDX_a"' }]);
  });

  it('reads `transaction = false`', () => {
    expect(extracted.transactional).toBe(false);
    const transactional = extractMigration('x.ts', source.replace('= false as const', '= true'));
    expect(transactional.transactional).toBe(true);
  });

  it('reports QueryRunner schema methods', () => {
    expect(extracted.hits).toEqual([
      {
        rule: 'queryrunner-schema-call',
        line: 11,
        phase: 'up',
        message: 'queryRunner.createIndex(...)',
      },
    ]);
  });

  it('records call spans and comments for acknowledgements', () => {
    expect(extracted.callSpans).toContainEqual({ line: 7, endLine: 9 });
    expect(extracted.comments).toEqual([{ line: 15, endLine: 15, text: 'trailing comment' }]);
  });
});
