import { SnakeNamingStrategy, toSnakeCase } from './snake-naming.strategy.js';

describe('SnakeNamingStrategy', () => {
  const naming = new SnakeNamingStrategy();

  it.each([
    ['salesHeadId', 'sales_head_id'],
    ['createdAt', 'created_at'],
    ['URLValue', 'url_value'],
    ['id', 'id'],
  ])('%s → %s', (input, expected) => expect(toSnakeCase(input)).toBe(expected));

  it('names columns, join columns and constraints readably', () => {
    expect(naming.columnName('fullName', undefined, [])).toBe('full_name');
    expect(naming.columnName('x', 'custom', [])).toBe('custom');
    expect(naming.joinColumnName('salesHead', 'id')).toBe('sales_head_id');
    expect(naming.foreignKeyName('users', ['sales_head_id'])).toBe('fk_users_sales_head_id');
    expect(naming.uniqueConstraintName('mas_crm.leads', ['source', 'email'])).toBe(
      'uq_leads_source_email',
    );
    expect(naming.primaryKeyName('users', ['id'])).toBe('pk_users');
  });

  it('falls back to a hashed name beyond 63 characters', () => {
    const name = naming.indexName('a_really_long_table_name_for_testing', [
      'first_long_column',
      'second_long_column',
    ]);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.startsWith('idx_')).toBe(false);
  });
});
